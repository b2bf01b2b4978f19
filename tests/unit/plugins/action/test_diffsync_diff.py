"""diffsync_diff's action plugin: read-only result, the plan, dest files and the diff view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.action import diffsync_diff, diffsync_load


@pytest.fixture
def loaded(run_action: Any, store: str, schema: dict, source_data: dict, target_data: dict) -> str:
    run_action(diffsync_load, {"adapter": "sot", "schema": schema, "data": source_data, "store": store})
    run_action(diffsync_load, {"adapter": "net", "schema": schema, "data": target_data, "store": store})
    return store


def test_diff_is_read_only_and_plans(run_action: Any, loaded: str, tmp_path: Path) -> None:
    result = run_action(diffsync_diff, {"source": "sot", "target": "net", "store": loaded, "dest": "out/plan.json"},
                        check_mode=True, diff=True)
    assert result["changed"] is False and result["has_diffs"]
    plan = result["plan"]
    assert (plan["source"], plan["target"], plan["operations_count"]) == ("sot", "net", 7)
    assert plan["flags"] == {"skip_unmatched_src": False, "skip_unmatched_dst": False, "natural_deletion_order": True}
    assert result["diff"]["device"]["sw3"]["-"] == {"site": "ber", "role": None}
    assert result["diff"]["after_header"] == "sot"
    assert result["dest"] == str(tmp_path / "out" / "plan.json")
    written = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert written["plan"]["operations"] == plan["operations"]


def test_unknown_adapter_and_bad_options(run_action: Any, loaded: str) -> None:
    result = run_action(diffsync_diff, {"source": "sot", "target": "nowhere", "store": loaded})
    assert result["failed"] and "adapter 'nowhere' was never loaded" in result["msg"]
    result = run_action(diffsync_diff, {"source": "sot", "store": loaded})
    assert result["failed"] and "missing required arguments: target" in result["msg"]
    result = run_action(diffsync_diff, {"source": "sot", "target": "net", "store": loaded, "operations_limit": "x"})
    assert result["failed"] and "operations_limit" in result["msg"]
