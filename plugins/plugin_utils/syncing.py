# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The diff and sync behind diffsync_diff and diffsync_sync: flags, the computed plan, applying it, results."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from ..module_utils.engine import Adapter, DiffSyncFlags, DiffSyncModelFlags

from . import plan as plans
from . import render
from .errors import DiffsyncTaskError


def describe_error(exc: BaseException) -> str:
    """``Type: message; note; note`` for an exception (notes name, for example, the element a sync failed at)."""
    notes = "".join(f"; {note}" for note in getattr(exc, "__notes__", ()))
    return f"{type(exc).__name__}: {exc}{notes}"


def engine_flags(flags: Mapping[str, bool], continue_on_failure: bool = False) -> DiffSyncFlags:
    result = DiffSyncFlags.NONE
    if flags["skip_unmatched_src"]:
        result |= DiffSyncFlags.SKIP_UNMATCHED_SRC
    if flags["skip_unmatched_dst"]:
        result |= DiffSyncFlags.SKIP_UNMATCHED_DST
    if continue_on_failure:
        result |= DiffSyncFlags.CONTINUE_ON_FAILURE
    return result


class Computation:  # pylint: disable=too-few-public-methods
    """The diff of a source into a target, in sync order, with both fingerprints."""

    def __init__(self, src: Adapter, dst: Adapter, flags: Mapping[str, bool], *, fingerprints: bool = True) -> None:
        self.fingerprints = {"source": plans.fingerprint(src), "target": plans.fingerprint(dst)} if fingerprints else {}
        self.diff = dst.diff_from(src, flags=engine_flags(flags))
        self.elements = plans.ordered_elements(self.diff, dst, natural_deletion_order=flags["natural_deletion_order"])
        self.operations = [plans.operation(element, dst) for element in self.elements]

    def views(self, src: Adapter, dst: Adapter, limit: int) -> list[dict[str, str]]:
        """The --diff view: one Ansible diff per object to change."""
        uids = [op["unique_id"] for op in self.operations]
        return render.object_diffs(self.elements, uids, source=str(src.name), target=str(dst.name),
                                   limit=limit or render.DEFAULT_VIEW_LIMIT)

    def combined_view(self, src: Adapter, dst: Adapter, limit: int) -> dict[str, str]:
        """The --diff view as one before/after pair."""
        uids = [op["unique_id"] for op in self.operations]
        return render.combined_view(self.elements, uids, source=str(src.name), target=str(dst.name),
                                    limit=limit or render.DEFAULT_VIEW_LIMIT)


def limited(items: list[Any], limit: int) -> list[Any]:
    return items[:limit] if limit and len(items) > limit else items


def resolve_flags(given: Mapping[str, bool | None], plan: Any) -> dict[str, bool]:
    """The task's flags, taken from ``plan`` where the task leaves them unset; conflicts are errors."""
    defaults = {"skip_unmatched_src": False, "skip_unmatched_dst": False, "natural_deletion_order": True}
    planned = plan["flags"] if plan is not None else {}
    flags = {}
    for name in plans.FLAG_NAMES:
        value = given.get(name)
        if value is not None and name in planned and bool(planned[name]) != value:
            raise DiffsyncTaskError(f"{name}: the task sets {value}, but the plan was made with "
                                    f"{bool(planned[name])}; drop the option or make the plan again")
        flags[name] = value if value is not None else bool(planned.get(name, defaults[name]))
    return flags


def sync_result(
    computed: Computation, operations: list[dict[str, Any]], failed: list[dict[str, Any]], check_mode: bool,
    limit: int,
) -> dict[str, Any]:
    applied = operations if check_mode else [op for op in operations if op["status"] == "success"]
    result: dict[str, Any] = {
        "changed": bool(applied), "summary": computed.diff.summary(),
        "operations": limited(operations, limit), "failed_operations": limited(failed, limit),
        "truncated": bool(limit) and max(len(operations), len(failed)) > limit,
    }
    if failed:
        first = failed[0]
        result.update(failed=True, msg=f"{len(failed)} of {len(operations)} operation(s) failed; the first: "
                                       f"{first['action']} {first['model']} {first['unique_id']!r}: "
                                       f"{first.get('error') or first.get('message')}")
    return result


def _mark_natural_deletion(computed: Computation, dst: Adapter) -> None:
    """Flag the target objects to delete so the syncer deletes their children first, as the plan says."""
    for element in computed.elements:
        if element.action == "delete":
            obj = dst.get_or_none(element.type, element.keys)
            if obj is not None:
                obj.model_flags |= DiffSyncModelFlags.NATURAL_DELETION_ORDER


def apply_sync(  # pylint: disable=too-many-arguments
    src: Adapter, dst: Adapter, computed: Computation, flags: Mapping[str, bool], continue_on_failure: bool,
    limit: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the sync with the computed diff; the operations attempted (with status) and those that failed."""
    if flags["natural_deletion_order"]:
        _mark_natural_deletion(computed, dst)
    planned = {(op["action"], op["model"], op["unique_id"]): op for op in computed.operations}
    try:
        dst.sync_from(src, diff=computed.diff, flags=engine_flags(flags, continue_on_failure))
    except Exception as exc:
        report = getattr(exc, "sync_report", None) or dst.sync_report
        attempted = _reported(report, planned)
        raise DiffsyncTaskError(f"sync of {dst.name!r} from {src.name!r} failed: {describe_error(exc)}",
                                {"operations": limited(attempted, limit),
                                 "failed_operations": [op for op in attempted if op["status"] != "success"]}) from None
    operations = _reported(dst.sync_report, planned)
    return operations, [op for op in operations if op["status"] != "success"]


def _reported(report: Any, planned: Mapping[tuple[str, str, str], dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's operations, each with the plan's ``keys`` and ``attrs`` (``-`` and ``+``) and its status."""
    operations = []
    for result in getattr(report, "operations", None) or []:
        entry = result.as_dict()
        base = planned.get((entry["action"], entry["model"], entry["unique_id"]))
        if base is not None:
            entry["attrs"] = base["attrs"]
        else:
            entry["attrs"] = {"+": entry["attrs"]}
        if not entry.get("error"):
            entry.pop("error", None)
        operations.append(entry)
    return operations
