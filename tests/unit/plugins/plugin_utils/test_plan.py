"""Plans: sync order, fingerprints, digests and the stale-plan checks."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter
from ansible_collections.datasync.diffsync.plugins.plugin_utils import plan as plans
from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError
from ansible_collections.datasync.diffsync.plugins.plugin_utils.records import describe, items_from_data, load_items
from ansible_collections.datasync.diffsync.plugins.plugin_utils.schema import build_adapter_class, normalize_schema


def _adapter(schema: dict, data: dict, name: str) -> Adapter:
    adapter_class = build_adapter_class(normalize_schema(schema))
    adapter = adapter_class(name=name)
    infos = describe(adapter_class)
    load_items(adapter, items_from_data(data, infos, origin="data"), infos, merge=False)
    return adapter


def _operations(src: Adapter, dst: Adapter, natural: bool) -> list[dict[str, Any]]:
    diff = dst.diff_from(src)
    return [plans.operation(e, dst) for e in plans.ordered_elements(diff, dst, natural_deletion_order=natural)]


def test_operations_follow_the_sync_order(schema: dict, source_data: dict, target_data: dict) -> None:
    src, dst = _adapter(schema, source_data, "sot"), _adapter(schema, target_data, "net")
    natural = [(op["action"], op["model"], op["unique_id"]) for op in _operations(src, dst, True)]
    assert natural == [
        ("update", "device", "sw1"), ("create", "interface", "sw1__eth0"), ("create", "interface", "sw1__eth1"),
        ("create", "device", "sw2"), ("create", "interface", "sw2__eth0"),
        ("delete", "interface", "sw3__lo"), ("delete", "device", "sw3"),
    ]
    diffsync_order = [(op["action"], op["unique_id"]) for op in _operations(src, dst, False)]
    assert diffsync_order[-2:] == [("delete", "sw3"), ("delete", "sw3__lo")]
    update = _operations(src, dst, True)[0]
    assert update == {"action": "update", "model": "device", "unique_id": "sw1", "keys": {"name": "sw1"},
                      "attrs": {"-": {"role": "spine"}, "+": {"role": "leaf"}}}


def test_the_syncer_applies_the_planned_order(schema: dict, source_data: dict, target_data: dict) -> None:
    src, dst = _adapter(schema, source_data, "sot"), _adapter(schema, target_data, "net")
    planned = [(op["action"], op["unique_id"]) for op in _operations(src, dst, False)]
    dst.sync_from(src)
    assert [(op.action, op.unique_id) for op in dst.sync_report.operations] == planned


def test_fingerprint_ignores_order_but_not_content(schema: dict, source_data: dict) -> None:
    first = _adapter(schema, source_data, "a")
    source_data["device"].reverse()
    second = _adapter(schema, source_data, "b")
    assert plans.fingerprint(first) == plans.fingerprint(second)
    second.get("device", "sw2").site = "lon"
    assert plans.fingerprint(first) != plans.fingerprint(second)
    assert plans.fingerprint(first).startswith("sha256:")


def _plan(ops: list[dict], limit: int = 0) -> dict[str, Any]:
    flags = {"skip_unmatched_src": False, "skip_unmatched_dst": False, "natural_deletion_order": True}
    return plans.make_plan(source="sot", target="net", source_fingerprint="sha256:a", target_fingerprint="sha256:b",
                           flags=flags, operations=ops, limit=limit)


def test_make_plan_truncates_but_keeps_the_digest_of_everything() -> None:
    ops = [{"action": "create", "model": "device", "unique_id": str(i)} for i in range(5)]
    plan = _plan(ops, limit=2)
    assert plan["truncated"] and len(plan["operations"]) == 2 and plan["operations_count"] == 5
    assert plan["operations_digest"] == plans.operations_digest(ops)
    plans.check_same_operations(plan, ops)
    with pytest.raises(DiffsyncTaskError, match="the plan has 5 operations, now 4"):
        plans.check_same_operations(plan, ops[:2] + ops[3:] + [])


def test_stale_plans_name_the_adapter_that_changed() -> None:
    plan = _plan([])
    plans.check_fresh(plan, source="sot", target="net", fingerprints={"source": "sha256:a", "target": "sha256:b"})
    with pytest.raises(DiffsyncTaskError, match="stale plan: the target adapter 'net' changed since the plan was made"):
        plans.check_fresh(plan, source="sot", target="net", fingerprints={"source": "sha256:a", "target": "sha256:c"})
    with pytest.raises(DiffsyncTaskError, match="stale plan: the source adapter 'sot' changed"):
        plans.check_fresh(plan, source="sot", target="net", fingerprints={"source": "sha256:x", "target": "sha256:b"})
    with pytest.raises(DiffsyncTaskError, match="the plan syncs 'net' from 'sot', but this task syncs 'other'"):
        plans.check_fresh(plan, source="sot", target="other", fingerprints={})


def test_changed_operations_are_stale_and_named() -> None:
    ops = [{"action": "create", "model": "device", "unique_id": "sw1"}]
    with pytest.raises(DiffsyncTaskError, match="operation 0 was create device 'sw1' and is now delete device 'sw1'"):
        plans.check_same_operations(_plan(ops), [{"action": "delete", "model": "device", "unique_id": "sw1"}])


@pytest.mark.parametrize("bad", [None, [], {"source": "a"}, {**dict.fromkeys(plans._PLAN_KEYS, ""), "flags": []}])
def test_plan_shape_is_checked(bad: Any) -> None:
    with pytest.raises(DiffsyncTaskError, match="plan"):
        plans.check_plan_shape(bad)
