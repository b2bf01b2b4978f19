"""SyncReport and OperationResult: what a sync attempted, in order, as plain data."""

from __future__ import annotations

import json

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import OperationResult, SyncReport


def result(uid: str, status: str, action: str = "create", error: str | None = None) -> OperationResult:
    return OperationResult(action=action, model="device", unique_id=uid, keys={"name": uid},
                           attrs={"os": "eos"}, status=status, message=f"{status} {uid}", error=error)


def test_operation_result_defaults() -> None:
    op = OperationResult(action="delete", model="device", unique_id="r1", keys={"name": "r1"}, attrs={},
                         status="success")
    assert (op.message, op.error) == ("", None)


def test_as_dict_is_plain_json_serialisable_data() -> None:
    op = result("r1", "error", error="ObjectNotCreated: no")
    data = op.as_dict()
    assert data == {"action": "create", "model": "device", "unique_id": "r1", "keys": {"name": "r1"},
                    "attrs": {"os": "eos"}, "status": "error", "message": "error r1",
                    "error": "ObjectNotCreated: no"}
    assert json.loads(json.dumps(data)) == data
    data["keys"]["name"] = "changed"
    assert op.keys == {"name": "r1"}  # a copy, not the record's own dicts


def test_empty_report() -> None:
    report = SyncReport()
    assert (report.operations, report.failures, report.applied) == ([], [], [])
    assert report.describe_applied() == "no operation was applied"


def test_failures_and_applied_partition_the_operations_in_order() -> None:
    report = SyncReport()
    for op in (result("r1", "success"), result("r2", "error"), result("r3", "success"), result("r4", "failure")):
        report.record(op)
    assert [op.unique_id for op in report.operations] == ["r1", "r2", "r3", "r4"]
    assert [op.unique_id for op in report.failures] == ["r2", "r4"]
    assert [op.unique_id for op in report.applied] == ["r1", "r3"]


def test_describe_applied_counts_and_names_the_last_applied() -> None:
    report = SyncReport()
    report.record(result("r1", "success"))
    report.record(result("r2", "success", action="update"))
    report.record(result("r3", "error"))
    assert report.describe_applied() == "2 operation(s) applied, the last: update device 'r2'"


def test_reports_do_not_share_their_operation_lists() -> None:
    first, second = SyncReport(), SyncReport()
    first.record(result("r1", "success"))
    assert second.operations == []
