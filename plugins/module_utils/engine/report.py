"""What a sync did: one record per attempted create/update/delete, failures included."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_NOT_APPLIED = frozenset(("failure", "error"))


@dataclass(slots=True)
class OperationResult:  # pylint: disable=too-many-instance-attributes
    """One attempted operation. ``status``: success; unknown (the model returned itself without setting a
    status: applied); failure (the model returned None: not applied); error (it raised: not applied)."""

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
        """Operations that were not applied (status failure or error)."""
        return [op for op in self.operations if op.status in _NOT_APPLIED]

    @property
    def applied(self) -> list[OperationResult]:
        """Operations applied to the target (status success or unknown)."""
        return [op for op in self.operations if op.status not in _NOT_APPLIED]

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
