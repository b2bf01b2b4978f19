"""diffsync_sync's action plugin: check and diff mode, plans, stale plans, idempotence."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.action import diffsync_diff, diffsync_load, diffsync_sync


@pytest.fixture
def loaded(run_action: Any, store: str, schema: dict, source_data: dict, target_data: dict) -> str:
    run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data, "store": store})
    run_action(diffsync_load, {"adapter": "net", "schema": schema, "data": target_data, "store": store})
    return store


def test_check_diff_preview_then_apply_then_nothing(run_action: Any, loaded: str) -> None:
    args = {"source": "sot", "target": "net", "store": loaded}
    preview = run_action(diffsync_sync, args, check_mode=True, diff=True)
    assert preview["changed"] and {op["status"] for op in preview["operations"]} == {"planned"}
    assert preview["diff"][0] == {"before": 'site: "ams"\nrole: "spine"\n', "after": 'site: "ams"\nrole: "leaf"\n',
                                  "before_header": "net device sw1", "after_header": "sot device sw1"}
    applied = run_action(diffsync_sync, args, diff=True)
    assert applied["changed"] and len(applied["operations"]) == len(preview["operations"]) == 7
    assert applied["diff"] == preview["diff"]
    again = run_action(diffsync_sync, args, diff=True)
    assert again["changed"] is False and again["diff"] == [] and again["operations"] == []


def test_plans_are_applied_or_refused_as_stale(run_action: Any, loaded: str) -> None:
    plan = run_action(diffsync_diff, {"source": "sot", "target": "net", "store": loaded})["plan"]
    run_action(diffsync_load, {"adapter": "sot", "data": {"device": []}, "store": loaded})
    stale = run_action(diffsync_sync, {"source": "sot", "target": "net", "store": loaded, "plan": plan})
    assert stale["failed"] and stale["msg"].startswith("stale plan: the source adapter 'sot' changed")
    plan = run_action(diffsync_diff, {"source": "sot", "target": "net", "store": loaded})["plan"]
    applied = run_action(diffsync_sync, {"source": "sot", "target": "net", "store": loaded, "plan": plan})
    assert applied["changed"] and [op["action"] for op in applied["operations"]] == ["delete"] * 3


def test_a_plan_that_is_not_a_plan(run_action: Any, loaded: str) -> None:
    result = run_action(diffsync_sync, {"source": "sot", "target": "net", "store": loaded, "plan": {"x": 1}})
    assert result["failed"] and "not a plan made by datasync.diffsync.diffsync_diff" in result["msg"]
