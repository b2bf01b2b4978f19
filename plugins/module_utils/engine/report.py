"""What a sync did: one record per attempted create/update/delete, failures included."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class OperationResult:  # pylint: disable=too-many-instance-attributes
    """One attempted operation: ``status`` is success, failure (model returned None) or error (it raised)."""

    action: str
    model: str
    unique_id: str
    keys: dict[str, Any]
    attrs: dict[str, Any]
    status: str
    message: str = ""
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-serialisable when the attribute values are)."""
        return asdict(self)


@dataclass
class SyncReport:
    """Every operation a sync attempted, in the order attempted."""

    operations: list[OperationResult] = field(default_factory=list)

    @property
    def failures(self) -> list[OperationResult]:
        """Operations that did not succeed."""
        return [op for op in self.operations if op.status != "success"]

    @property
    def applied(self) -> list[OperationResult]:
        """Operations that succeeded and so were applied to the target."""
        return [op for op in self.operations if op.status == "success"]

    def record(self, result: OperationResult) -> None:
        """Append one operation's outcome."""
        self.operations.append(result)

    def describe_applied(self) -> str:
        """One line naming how many operations were applied before a failure, and the last one."""
        applied = self.applied
        if not applied:
            return "no operation was applied"
        last = applied[-1]
        return f"{len(applied)} operation(s) applied, the last: {last.action} {last.model} {last.unique_id!r}"
