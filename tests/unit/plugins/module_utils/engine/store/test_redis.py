"""RedisStore against a real redis-server: key layout, order, live objects, batching, persistence."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
import redis

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.local import LocalStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.test_redis_models import (
    MODULE,
    Device,
    Interface,
    Inventory,
    loaded,
    make_records,
    raw,
    run_python,
    source_and_target,
)


def redis_inventory(url: str, records: Any = None, **options: Any) -> Inventory:
    return Inventory(records, internal_storage_engine=RedisStore(url=url, **options))


def command_calls(client: redis.Redis) -> dict[str, int]:
    """Calls per command since the last CONFIG RESETSTAT."""
    stats = client.info("commandstats")
    return {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()}


# -- layout -------------------------------------------------------------------------------------------


def test_keys_follow_the_documented_layout_and_hold_json(redis_url: str) -> None:
    inventory = redis_inventory(redis_url, make_records(2, 1), store_id="site:ams:01")
    inventory.load()
    inventory.store.close()
    prefix = "diffsync:site:ams:01:"
    keys = {key.decode() for key in raw(redis_url).keys("*")}
    assert keys == {
        f"{prefix}device:dev00000", f"{prefix}device:dev00001",
        f"{prefix}interface:dev00000__eth0", f"{prefix}interface:dev00001__eth0",
        f"{prefix}__index__:device", f"{prefix}__index__:interface", f"{prefix}__models__", f"{prefix}__seq__",
    }
    value = json.loads(raw(redis_url).get(f"{prefix}device:dev00000"))
    assert value == {"model_flags": 0, "name": "dev00000", "site": "ams01", "role": "access",
                     "interfaces": ["dev00000__eth0"]}


def test_store_id_defaults_to_a_random_hex_id(redis_url: str) -> None:
    first, second = RedisStore(url=redis_url), RedisStore(url=redis_url)
    assert re.fullmatch(r"[0-9a-f]{32}", first.store_id)
    assert first.store_id != second.store_id
    assert first._store_label == f"diffsync:{first.store_id}"


def test_store_ids_sharing_a_prefix_stay_apart(redis_url: str) -> None:
    short = redis_inventory(redis_url, make_records(2), store_id="a")
    long = redis_inventory(redis_url, make_records(3), store_id="a:device")
    short.load()
    long.load()
    short.store.close()
    long.store.close()
    assert len(redis_inventory(redis_url, store_id="a")) == 8
    assert len(redis_inventory(redis_url, store_id="a:device")) == 12


# -- order and live objects --------------------------------------------------------------------------


def _replay(store: Any) -> None:
    """Adds, updates, removals and re-adds whose resulting order LocalStore defines."""
    devices = {name: Device(name=name) for name in ("m", "c", "x", "a", "q")}
    for device in devices.values():
        store.add(obj=device)
    store.update(obj=Device(name="c", role="core"))  # replaced in place: keeps its position
    store.remove(obj=devices["x"])
    store.add(obj=Device(name="x", role="back"))  # re-added: goes to the end
    store.update(obj=Device(name="z"))  # update of an absent object adds it at the end
    store.remove(obj=devices["m"])


def test_order_matches_local_store_before_and_after_reopening(redis_url: str) -> None:
    local = Inventory().store
    _replay(local)
    expected = [(d.name, d.role) for d in local.get_all(model="device")]
    store = redis_inventory(redis_url, store_id="order").store
    _replay(store)
    assert [(d.name, d.role) for d in store.get_all(model="device")] == expected
    store.close()
    reopened = redis_inventory(redis_url, store_id="order").store
    assert [(d.name, d.role) for d in reopened.get_all(model="device")] == expected
    assert [d.name for d in reopened.get_by_uids(uids=["z", "a"], model="device")] == ["z", "a"]


def test_reads_return_the_same_live_object(redis_url: str) -> None:
    loaded(make_records(3), internal_storage_engine=RedisStore(url=redis_url, store_id="live")).store.close()
    inventory = redis_inventory(redis_url, store_id="live")
    first = inventory.get("device", "dev00001")
    assert inventory.get(Device, {"name": "dev00001"}) is first
    assert inventory.get_all("device")[1] is first
    assert inventory.get_by_uids(["dev00001"], "device")[0] is first
    first.role = "edge"
    assert inventory.get("device", "dev00001").role == "edge"


def test_changes_made_in_place_are_written_back(redis_url: str) -> None:
    inventory = loaded(make_records(2, 2), internal_storage_engine=RedisStore(url=redis_url, store_id="inplace"))
    device = inventory.get("device", "dev00000")
    device.remove_child(inventory.get("interface", "dev00000__eth1"))
    extra = Interface(device_name="dev00000", name="eth9")
    inventory.add(extra)
    device.add_child(extra)
    inventory.update_or_instantiate(Device, {"name": "dev00001"}, {"role": "core"})
    inventory.store.close()
    fresh = redis_inventory(redis_url, store_id="inplace")
    assert fresh.get("device", "dev00000").interfaces == ["dev00000__eth0", "dev00000__eth9"]
    assert fresh.get("device", "dev00001").role == "core"


# -- errors of the interface ---------------------------------------------------------------------------


def test_missing_and_duplicate_objects(redis_url: str) -> None:
    loaded(make_records(2), internal_storage_engine=RedisStore(url=redis_url, store_id="dup")).store.close()
    store = redis_inventory(redis_url, store_id="dup").store
    with pytest.raises(ObjectNotFound, match="device nope not present in RedisStore 'dup'"):
        store.get(model="device", identifier="nope")
    with pytest.raises(ObjectNotFound, match="nope"):
        store.get_by_uids(uids=["dev00000", "nope"], model="device")
    with pytest.raises(ObjectNotFound):
        store.remove(obj=Device(name="nope"))
    with pytest.raises(ObjectAlreadyExists) as caught:  # the stored one was never fetched before
        store.add(obj=Device(name="dev00001", role="other"))
    assert caught.value.existing_object is store.get(model="device", identifier="dev00001")
    same = store.get(model="device", identifier="dev00000")
    store.add(obj=same)  # the very same object: a no-op
    with pytest.raises(ValueError, match="Invalid args"):
        store.get(model="unknown", identifier={"name": "x"})
    assert store.get_all(model="unknown") == []
    assert store.count(model="unknown") == 0


def test_remove_with_children_is_recursive(redis_url: str) -> None:
    inventory = loaded(make_records(2, 3), internal_storage_engine=RedisStore(url=redis_url, store_id="rm"))
    inventory.remove(inventory.get("device", "dev00000"), remove_children=True)
    inventory.store.close()
    fresh = redis_inventory(redis_url, store_id="rm")
    assert [d.name for d in fresh.get_all("device")] == ["dev00001"]
    assert {i.device_name for i in fresh.get_all("interface")} == {"dev00001"}
    assert fresh.count() == 4


def test_count_and_model_names_include_buffered_writes(redis_url: str) -> None:
    store = redis_inventory(redis_url, store_id="count").store
    store.add(obj=Device(name="a"))
    store.add(obj=Interface(device_name="a", name="e"))
    assert raw(redis_url).keys("*") == []  # still buffered
    assert store.count() == 2
    assert store.count(model=Interface) == 1
    assert store.get_all_model_names() == {"device", "interface"}
    store.flush()
    other = redis_inventory(redis_url, store_id="count").store
    assert other.count() == 2  # counted by ZCARD, nothing fetched
    assert other.get_all_model_names() == {"device", "interface"}


def test_clear_removes_objects_and_keeps_metadata(redis_url: str) -> None:
    inventory = loaded(make_records(3), internal_storage_engine=RedisStore(url=redis_url, store_id="clr"))
    inventory.store.set_metadata("schema", "v1")
    inventory.store.close()
    store = redis_inventory(redis_url, store_id="clr").store
    assert store.get_metadata("schema") == "v1"
    assert store.get_metadata("other") is None
    store.clear()
    assert store.count() == 0
    store.close()
    fresh = redis_inventory(redis_url, store_id="clr").store
    assert fresh.count() == 0
    assert fresh.get_metadata("schema") == "v1"
    assert [key.decode() for key in raw(redis_url).keys("diffsync:clr:device:*")] == []


# -- batching ------------------------------------------------------------------------------------------


def test_reads_never_scan_and_fetch_in_batches(redis_url: str) -> None:
    loaded(make_records(600, 4), internal_storage_engine=RedisStore(url=redis_url, store_id="cold")).store.close()
    client = raw(redis_url)
    client.config_resetstat()
    fresh = redis_inventory(redis_url, store_id="cold")
    src = loaded(make_records(600, 4))
    assert fresh.diff_from(src).summary()["no-change"] == 3000
    calls = command_calls(client)
    assert not {"scan", "keys"} & set(calls)
    assert calls.get("get", 0) <= 1  # the store's version, read once at connect
    assert calls["mget"] <= math.ceil(600 / 1000) + math.ceil(2400 / 1000) + 2
    assert calls["zrange"] == 2


def test_loading_writes_in_batches(redis_url: str) -> None:
    client = raw(redis_url)
    client.config_resetstat()
    inventory = redis_inventory(redis_url, make_records(500, 4), store_id="batches", batch_size=1000)
    inventory.load()
    assert 0 < len(redis_inventory(redis_url, store_id="batches")) < 2500  # full batches only, so far
    inventory.store.flush()
    assert len(redis_inventory(redis_url, store_id="batches")) == 2500
    calls = command_calls(client)
    assert calls["exec"] <= 4
    assert "set" not in calls or calls["set"] <= calls["exec"]  # only the lock is SET one by one
    assert "scan" not in calls


def test_buffered_writes_reach_redis_at_exit(redis_url: str) -> None:
    code = f"""
import sys
from {MODULE} import Inventory, make_records
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
inventory = Inventory(make_records(5), internal_storage_engine=RedisStore(url=sys.argv[1], store_id="exit"))
inventory.load()
print(len(inventory))
"""
    assert run_python(code, redis_url) == 20
    assert len(redis_inventory(redis_url, store_id="exit")) == 20


# -- persistence ---------------------------------------------------------------------------------------


def test_synced_data_is_seen_by_another_process(redis_url: str) -> None:
    source, target = source_and_target()
    dst = loaded(target, internal_storage_engine=RedisStore(url=redis_url, store_id="persist:1"))
    src = loaded(source)
    diff = dst.sync_from(src)
    assert diff.summary()["create"] and diff.summary()["update"] and diff.summary()["delete"]
    code = f"""
import json, sys
from {MODULE} import Inventory, loaded, source_and_target
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
dst = Inventory(internal_storage_engine=RedisStore(url=sys.argv[1], store_id="persist:1"))
src = loaded(source_and_target()[0])
print(json.dumps({{"data": dst.dict(), "diff": dst.diff_from(src).summary(), "order": dst.str()}}))
"""
    seen = run_python(code, redis_url)
    assert seen["data"] == src.dict()
    assert seen["diff"]["create"] == seen["diff"]["update"] == seen["diff"]["delete"] == 0
    assert seen["order"] == dst.str()


def test_close_is_idempotent_and_the_store_is_a_context_manager(redis_url: str) -> None:
    with RedisStore(url=redis_url, store_id="ctx") as store:
        Inventory(internal_storage_engine=store)
        store.add(obj=Device(name="a"))
    store.close()
    assert redis_inventory(redis_url, store_id="ctx").count() == 1


def test_local_store_is_unchanged_by_the_redis_tests() -> None:
    """The replay helper itself behaves as documented on LocalStore (guards the order test)."""
    store = LocalStore()
    _replay(store)
    assert [d.name for d in store.get_all(model="device")] == ["c", "a", "q", "x", "z"]


def test_walking_a_cold_store_with_get_reads_ahead(redis_url: str) -> None:
    loaded(make_records(1500, 1), internal_storage_engine=RedisStore(url=redis_url, store_id="ahead")).store.close()
    client = raw(redis_url)
    client.config_resetstat()
    inventory = redis_inventory(redis_url, store_id="ahead")
    names = [f"dev{index:05d}" for index in range(1500)]
    assert [inventory.get("device", name).name for name in names] == names
    assert command_calls(client)["mget"] <= 3


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_small_odd_batch_sizes_keep_keys_and_values_paired(redis_url: str, batch_size: int) -> None:
    records = make_records(5, 2)
    store = RedisStore(url=redis_url, store_id="odd", batch_size=batch_size)
    loaded(records, internal_storage_engine=store).store.close()
    fresh = redis_inventory(redis_url, store_id="odd", batch_size=batch_size)
    assert fresh.dict() == loaded(records).dict()
    fresh.remove(fresh.get("device", "dev00001"), remove_children=True)
    fresh.store.close()
    assert redis_inventory(redis_url, store_id="odd").count() == 12


def test_object_changed_ignores_objects_the_store_does_not_hold(redis_url: str) -> None:
    inventory = redis_inventory(redis_url, store_id="foreign")
    inventory.add(Device(name="a"))
    stranger = Device(name="a", role="not stored", adapter=inventory)  # same key, another object
    inventory.store.object_changed(stranger)
    unbound = Device(name="b", adapter=inventory)  # never added
    unbound.add_child(Interface(device_name="b", name="e"))
    inventory.store.close()
    fresh = redis_inventory(redis_url, store_id="foreign")
    assert [(d.name, d.role) for d in fresh.get_all("device")] == [("a", "")]


def test_metadata_written_in_a_failed_transaction_is_dropped(redis_url: str) -> None:
    store = redis_inventory(redis_url, store_id="meta").store
    store.set_metadata("schema", "v1")
    store.flush()
    with pytest.raises(RuntimeError), store.transaction():
        store.set_metadata("schema", "v2")
        assert store.get_metadata("schema") == "v2"
        raise RuntimeError
    assert store.get_metadata("schema") == "v1"
    assert redis_inventory(redis_url, store_id="meta").store.get_metadata("schema") == "v1"
