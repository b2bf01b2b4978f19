"""The four operations end to end, on SQLite and on a real redis-server."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.plugin_utils import operations as ops
from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError


@pytest.fixture(params=["sqlite", "redis"])
def url(request: pytest.FixtureRequest, store_url: str) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return store_url


@pytest.fixture
def loaded(url: str, schema: dict, source_data: dict, target_data: dict) -> str:
    ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)
    ops.load_adapter(store=url, adapter="net", schema=schema, data=target_data)
    return url


def _error(function: Any, **kwargs: Any) -> DiffsyncTaskError:
    with pytest.raises(DiffsyncTaskError) as caught:
        function(**kwargs)
    return caught.value


def test_load_reports_changes_only_when_content_changes(url: str, schema: dict, source_data: dict) -> None:
    first = ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)
    assert first["changed"] and first["previous_fingerprint"] is None
    assert first["counts"] == {"device": 2, "interface": 3} == first["stored"]
    source_data["device"].reverse()  # same content, other order
    again = ops.load_adapter(store=url, adapter="sot", data=source_data)  # the stored schema is reused
    assert not again["changed"] and again["fingerprint"] == first["fingerprint"]
    schema["models"]["device"]["attributes"]["serial"] = "str"
    assert ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)["changed"]


def test_load_check_mode_and_diff_mode_write_nothing(url: str, schema: dict, source_data: dict) -> None:
    result = ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data, check_mode=True,
                              diff_mode=True)
    assert result["changed"] and result["counts"]["device"] == 2
    assert result["diff"][0]["after_header"] == "sot (loaded) device sw1"
    assert "adapter 'sot' was never loaded" in str(_error(ops.lookup_objects, store=url, adapter="sot",
                                                          models=["device"]))


def test_bad_records_leave_the_store_as_it_was(url: str, schema: dict, source_data: dict) -> None:
    before = ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)["fingerprint"]
    source_data["interface"].append({"device_name": "sw1", "name": "eth9", "mtu": "jumbo"})
    source_data["device"][1]["site"] = "changed"
    error = _error(ops.load_adapter, store=url, adapter="sot", data=source_data)
    assert "data.interface[1] (keys: device_name, name, mtu): field 'mtu'" in str(error)
    assert "(got 'jumbo')" in str(error)
    after = ops.load_adapter(store=url, adapter="sot", data={"device": []}, check_mode=True)
    assert after["previous_fingerprint"] == before


def test_bad_schema_fails_before_anything_is_written(url: str, source_data: dict) -> None:
    error = _error(ops.load_adapter, store=url, adapter="sot", schema={"models": {"device": {"identifiers": "name"}}},
                   data=source_data)
    assert str(error) == "schema.models.device.identifiers: must be a non-empty list of field names, got 'name'"
    assert "has no schema yet" in str(_error(ops.load_adapter, store=url, adapter="sot", data=source_data))


def test_merge_mode_adds_and_updates_without_removing(url: str, schema: dict, source_data: dict) -> None:
    ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)
    result = ops.load_adapter(store=url, adapter="sot", mode="merge",
                              data={"interface": [{"device_name": "sw2", "name": "eth1"}]})
    assert result["changed"] and result["counts"] == {"device": 0, "interface": 1}
    assert result["stored"] == {"device": 2, "interface": 4}
    devices = ops.lookup_objects(store=url, adapter="sot", models=["device"], unique_id="sw2")
    assert devices[0]["interfaces"] == ["sw2__eth0", "sw2__eth1"]
    again = ops.load_adapter(store=url, adapter="sot", mode="merge",
                             data={"interface": [{"device_name": "sw2", "name": "eth1"}]})
    assert not again["changed"]


def test_load_from_src_file(url: str, schema: dict, source_data: dict, tmp_path: Path) -> None:
    path = tmp_path / "sot.json"
    path.write_text(json.dumps(source_data))
    assert ops.load_adapter(store=url, adapter="sot", schema=schema, src=str(path))["counts"]["interface"] == 3


def test_diff_then_sync_with_the_plan_then_idempotent(loaded: str, tmp_path: Path) -> None:
    diff = ops.diff_adapters(store=loaded, source="sot", target="net", diff_mode=True, dest=str(tmp_path / "p.json"))
    assert not diff["changed"] and diff["has_diffs"]
    assert diff["summary"] == {"create": 4, "update": 1, "delete": 2, "no-change": 0, "skip": 0}
    assert diff["diff"]["device"]["sw1"]["-"] == {"role": "spine"}
    assert diff["diff"]["before_header"] == "net" and "device sw3:" in diff["diff"]["before"]
    assert json.loads((tmp_path / "p.json").read_text())["plan"]["operations_count"] == 7
    preview = ops.sync_adapters(store=loaded, source="sot", target="net", plan=diff["plan"], check_mode=True,
                                diff_mode=True)
    assert preview["changed"] and {op["status"] for op in preview["operations"]} == {"planned"}
    assert len(preview["diff"]) == 7
    synced = ops.sync_adapters(store=loaded, source="sot", target="net", plan=diff["plan"])
    assert synced["changed"] and synced["failed_operations"] == []
    assert [op["status"] for op in synced["operations"]] == ["success"] * 7
    assert synced["operations"] == [dict(op, status="success", message=synced["operations"][i]["message"])
                                    for i, op in enumerate(diff["plan"]["operations"])]
    again = ops.sync_adapters(store=loaded, source="sot", target="net")
    assert not again["changed"] and again["operations"] == []
    assert ops.lookup_objects(store=loaded, adapter="net", models=["device"]) == ops.lookup_objects(
        store=loaded, adapter="sot", models=["device"])


def test_a_plan_goes_stale_when_an_adapter_changes(loaded: str) -> None:
    plan = ops.diff_adapters(store=loaded, source="sot", target="net")["plan"]
    ops.load_adapter(store=loaded, adapter="net", mode="merge", data={"device": [{"name": "sw9"}]})
    error = _error(ops.sync_adapters, store=loaded, source="sot", target="net", plan=plan)
    assert str(error).startswith("stale plan: the target adapter 'net' changed since the plan was made")
    fresh = ops.diff_adapters(store=loaded, source="sot", target="net")["plan"]
    error = _error(ops.sync_adapters, store=loaded, source="sot", target="net", plan=fresh, skip_unmatched_dst=True)
    assert "skip_unmatched_dst: the task sets True, but the plan was made with False" in str(error)
    fresh["operations_digest"] = "sha256:other"
    assert "the operations computed now differ" in str(_error(ops.sync_adapters, store=loaded, source="sot",
                                                               target="net", plan=fresh))
    assert ops.sync_adapters(store=loaded, source="sot", target="net", check_mode=True)["changed"]


def test_skip_flags_and_limits(loaded: str) -> None:
    diff = ops.diff_adapters(store=loaded, source="sot", target="net", skip_unmatched_dst=True, operations_limit=2)
    assert diff["summary"]["delete"] == 0 and diff["truncated"] and diff["diff"] == {}
    assert len(diff["plan"]["operations"]) == 2 and diff["plan"]["operations_count"] == 5
    synced = ops.sync_adapters(store=loaded, source="sot", target="net", plan=diff["plan"], operations_limit=2)
    assert synced["changed"] and synced["truncated"] and len(synced["operations"]) == 2
    assert len(ops.lookup_objects(store=loaded, adapter="net", models=["device"])) == 3  # sw3 kept


def test_lookup_selects_and_explains(loaded: str) -> None:
    one = ops.lookup_objects(store=loaded, adapter="net", models=["interface"],
                             identifiers={"device_name": "sw3", "name": "lo"})
    assert one == [{"device_name": "sw3", "name": "lo", "description": None, "enabled": None, "mtu": None}]
    both = ops.lookup_objects(store=loaded, adapter="net", models=["device", "interface"])
    assert [obj["name"] for obj in both] == ["sw1", "sw3", "lo"]
    assert "has no model 'devices'; its models are device, interface" in str(
        _error(ops.lookup_objects, store=loaded, adapter="net", models=["devices"]))
    assert "holds no device with unique id 'sw9'" in str(
        _error(ops.lookup_objects, store=loaded, adapter="net", models=["device"], unique_id="sw9"))
    assert "missing name" in str(
        _error(ops.lookup_objects, store=loaded, adapter="net", models=["interface"], identifiers={"device_name": "x"}))


def test_source_and_target_must_differ(loaded: str) -> None:
    assert "name two different adapters" in str(_error(ops.diff_adapters, store=loaded, source="sot", target="sot"))


@pytest.fixture
def python_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's adapter whose models record what their CRUD methods did, and fail for 'bad' devices."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    (tmp_path / "userops_models.py").write_text(textwrap.dedent("""
        from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
        from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import ObjectNotCreated

        CALLS = []

        class Device(DiffSyncModel):
            _modelname = "device"
            _identifiers = ("name",)
            _attributes = ("site",)
            name: str
            site: str | None = None

            @classmethod
            def create(cls, adapter, ids, attrs):
                if ids["name"].startswith("bad"):
                    raise ObjectNotCreated(f"the API refused {ids['name']}")
                CALLS.append(("create", ids["name"]))
                return super().create(adapter, ids, attrs)

            def update(self, attrs):
                CALLS.append(("update", self.name))
                return super().update(attrs)

            def delete(self):
                CALLS.append(("delete", self.name))
                return super().delete()

        class Inventory(Adapter):
            device = Device
            top_level = ["device"]
    """))
    yield tmp_path
    sys.modules.pop("userops_models", None)


def test_schema_class_models_run_their_own_crud(store_url: str, python_models: Path) -> None:
    common = {"store": store_url, "schema_class": "userops_models.Inventory", "module_path": [str(python_models)]}
    ops.load_adapter(adapter="sot", data={"device": [{"name": "a", "site": "x"}, {"name": "b"}]}, **common)
    ops.load_adapter(adapter="api", data={"device": [{"name": "a", "site": "y"}, {"name": "c"}]}, **common)
    calls = sys.modules["userops_models"].CALLS
    ops.sync_adapters(store=store_url, source="sot", target="api", check_mode=True)
    assert calls == []
    result = ops.sync_adapters(store=store_url, source="sot", target="api")
    assert result["changed"]
    assert calls == [("update", "a"), ("create", "b"), ("delete", "c")]
    assert not ops.sync_adapters(store=store_url, source="sot", target="api")["changed"]


def test_failing_models_are_reported(store_url: str, python_models: Path) -> None:
    common = {"store": store_url, "schema_class": "userops_models.Inventory", "module_path": [str(python_models)]}
    ops.load_adapter(adapter="sot", data={"device": [{"name": "bad1"}, {"name": "ok"}]}, **common)
    ops.load_adapter(adapter="api", data={"device": []}, **common)
    error = _error(ops.sync_adapters, store=store_url, source="sot", target="api")
    assert "sync of 'api' from 'sot' failed: ObjectNotCreated: the API refused bad1" in str(error)
    assert error.details["failed_operations"][0]["unique_id"] == "bad1"
    assert ops.lookup_objects(store=store_url, adapter="api", models=["device"]) == []  # rolled back
    result = ops.sync_adapters(store=store_url, source="sot", target="api", continue_on_failure=True)
    assert result["failed"] and result["changed"]
    assert result["msg"].startswith("1 of 2 operation(s) failed; the first: create device 'bad1'")
    assert [op["unique_id"] for op in result["failed_operations"]] == ["bad1"]


def test_diffsync_deletion_order_on_request(loaded: str) -> None:
    result = ops.sync_adapters(store=loaded, source="sot", target="net", natural_deletion_order=False)
    assert [(op["action"], op["unique_id"]) for op in result["operations"]][-2:] == [("delete", "sw3"),
                                                                                      ("delete", "sw3__lo")]
    assert [obj["name"] for obj in ops.lookup_objects(store=loaded, adapter="net", models=["device"])] == ["sw1",
                                                                                                         "sw2"]
    assert not ops.sync_adapters(store=loaded, source="sot", target="net")["changed"]


def test_null_data_never_empties_an_adapter(url: str, schema: dict, source_data: dict) -> None:
    ops.load_adapter(store=url, adapter="sot", schema=schema, data=source_data)
    assert "data and src are both null" in str(_error(ops.load_adapter, store=url, adapter="sot", data=None))
    emptied = ops.load_adapter(store=url, adapter="sot", data={})
    assert emptied["changed"] and emptied["stored"] == {"device": 0, "interface": 0}
