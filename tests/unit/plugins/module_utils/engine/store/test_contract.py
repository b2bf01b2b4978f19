"""One contract for every store: LocalStore, SQLiteStore (a real file) and RedisStore (a real redis-server).

Every BaseStore method, the get_or_*/update_or_* helpers, errors, order, children, and a full
load/diff/sync round trip. For the persistent stores, what was saved is checked from a new store
instance and, after a sync, from a second process.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncFlags
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
    ObjectNotUpdated,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store import BaseStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.local import LocalStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.sqlite import SQLiteStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store import store_cases as cases
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.store_cases import (
    Address,
    Device,
    FragileInventory,
    Interface,
    Inventory,
)

REDIS_MODULE = "ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis"


@dataclass
class StoreCase:
    """How to open one kind of store; ``url`` reaches the same data from another process (None: memory)."""

    kind: str
    opener: Callable[[str], BaseStore]
    url: str | None
    atomic: bool  # a sync that raises leaves the stored data as it was
    opened: list[BaseStore] = field(default_factory=list)

    @property
    def persistent(self) -> bool:
        return self.url is not None

    def open(self, store_id: str = "dst") -> BaseStore:
        store = self.opener(store_id)
        self.opened.append(store)
        return store

    def adapter(self, cls: type[Adapter] = Inventory, store_id: str = "dst") -> Adapter:
        return cls(name=f"{self.kind}-{store_id}", internal_storage_engine=self.open(store_id))

    def reopen(self, adapter: Adapter, cls: type[Adapter] = Inventory) -> Adapter:
        """A fresh adapter on a new instance of the same store (memory: the same adapter)."""
        if not self.persistent:
            return adapter
        adapter.store.close()
        return self.adapter(cls, store_id=getattr(adapter.store, "store_id", "dst"))


def _local_case(request: pytest.FixtureRequest, tmp_path: Path) -> StoreCase:
    shared = LocalStore()
    return StoreCase("local", lambda store_id: shared, url=None, atomic=False)


def _sqlite_case(request: pytest.FixtureRequest, tmp_path: Path) -> StoreCase:
    path = tmp_path / "contract.db"
    return StoreCase("sqlite", lambda store_id: SQLiteStore(database_path=path, store_id=store_id),
                     url=f"sqlite://{path}", atomic=True)


def _redis_case(request: pytest.FixtureRequest, tmp_path: Path) -> StoreCase:
    redis_url = request.getfixturevalue("redis_url")
    module = importlib.import_module(REDIS_MODULE)
    return StoreCase("redis", lambda store_id: module.RedisStore(url=redis_url, store_id=store_id),
                     url=redis_url, atomic=True)


@pytest.fixture(params=[
    pytest.param(_local_case, id="local"),
    pytest.param(_sqlite_case, id="sqlite"),
    pytest.param(_redis_case, id="redis", marks=pytest.mark.redis),
])
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreCase]:
    store_case = request.param(request, tmp_path)
    yield store_case
    for store in store_case.opened:
        store.close()


@pytest.fixture
def inv(case: StoreCase) -> Adapter:
    """An empty Inventory on the store under test."""
    return case.adapter()


def device(name: str = "r1", site: str = "ams", **attrs: Any) -> Device:
    return Device(name=name, site=site, **attrs)


def interface(device_name: str = "r1", name: str = "eth0", **attrs: Any) -> Interface:
    return Interface(device_name=device_name, name=name, **attrs)


def uids(objects: list) -> list[str]:
    return [obj.get_unique_id() for obj in objects]


# -- get --------------------------------------------------------------------------------------------------


def test_get_by_uid_and_by_identifier_dict(inv: Adapter) -> None:
    r1 = device()
    inv.add(r1)
    assert inv.get("device", "r1") is r1
    assert inv.get(Device, {"name": "r1"}) is r1
    assert inv.get(device(), "r1") is r1  # a model instance names the model too
    assert inv.store.get(model="device", identifier={"name": "r1"}) is r1  # the adapter knows "device"


def test_get_reads_back_equal_objects_from_a_new_instance(case: StoreCase, inv: Adapter) -> None:
    inv.add(device(role="core"))
    inv.add(interface(mtu=9000))
    fresh = case.reopen(inv)
    assert fresh.get(Device, {"name": "r1"}).get_attrs() == {"site": "ams", "role": "core"}
    assert fresh.get("interface", "r1__eth0").mtu == 9000
    assert fresh.get("device", "r1") is fresh.get(Device, "r1")  # one live object per key


def test_get_unknown_model_name_with_dict_is_a_value_error(inv: Adapter) -> None:
    inv.add(device())
    with pytest.raises(ValueError, match="should be a str"):
        inv.store.get(model="no_such_model", identifier={"name": "r1"})


def test_get_missing_raises_object_not_found(inv: Adapter) -> None:
    inv.add(device())
    with pytest.raises(ObjectNotFound):
        inv.get("device", "nope")
    with pytest.raises(ObjectNotFound):
        inv.get("interface", "r1__eth0")
    assert inv.get_or_none("device", "nope") is None


def test_store_get_or_none_answers_like_get(inv: Adapter) -> None:
    inv.add(device())
    store = inv.store
    assert store.get_or_none(model="device", identifier="r1") is store.get(model="device", identifier="r1")
    assert store.get_or_none(model=Device, identifier={"name": "r1"}) is store.get(model=Device, identifier="r1")
    assert store.get_or_none(model="device", identifier="nope") is None
    assert store.get_or_none(model="interface", identifier="r1__eth0") is None
    with pytest.raises(ValueError, match="should be a str"):
        store.get_or_none(model="no_such_model", identifier={"name": "r1"})


# -- get_all / get_by_uids ----------------------------------------------------------------------------------


def test_get_all_keeps_insertion_order(case: StoreCase, inv: Adapter) -> None:
    for name in ("r5", "r1", "r9", "r3"):
        inv.add(device(name))
        inv.add(interface(name))
    assert uids(inv.get_all("device")) == ["r5", "r1", "r9", "r3"]
    assert uids(inv.get_all(Interface)) == ["r5__eth0", "r1__eth0", "r9__eth0", "r3__eth0"]
    assert inv.get_all("address") == []
    fresh = case.reopen(inv)
    assert uids(fresh.get_all("device")) == ["r5", "r1", "r9", "r3"]


def test_get_all_order_after_remove_and_update(case: StoreCase, inv: Adapter) -> None:
    for name in ("r1", "r2", "r3"):
        inv.add(device(name))
    inv.remove(inv.get("device", "r1"))
    inv.add(device("r1", site="again"))  # back in: now last
    inv.update(device("r2", site="changed"))  # replaced in place: keeps its place
    expected = ["r2", "r3", "r1"]
    assert uids(inv.get_all("device")) == expected
    fresh = case.reopen(inv)
    assert uids(fresh.get_all("device")) == expected
    assert fresh.get("device", "r2").site == "changed"


def test_get_all_returns_the_live_objects(inv: Adapter) -> None:
    r1 = device()
    inv.add(r1)
    assert inv.get_all("device")[0] is r1
    assert inv.get_all("device")[0] is inv.get("device", "r1")


def test_get_by_uids_in_the_order_given(case: StoreCase, inv: Adapter) -> None:
    for name in ("r1", "r2", "r3"):
        inv.add(device(name))
    assert uids(inv.get_by_uids(["r3", "r1", "r2"], "device")) == ["r3", "r1", "r2"]
    fresh = case.reopen(inv)
    found = fresh.get_by_uids(["r2", "r3"], Device)
    assert uids(found) == ["r2", "r3"]
    assert found[0] is fresh.get("device", "r2")


def test_get_by_uids_missing_raises_object_not_found(case: StoreCase, inv: Adapter) -> None:
    inv.add(device("r1"))
    with pytest.raises(ObjectNotFound, match="r7"):
        inv.get_by_uids(["r1", "r7"], "device")
    fresh = case.reopen(inv)
    with pytest.raises(ObjectNotFound, match="r7"):
        fresh.get_by_uids(["r1", "r7"], "device")
    assert fresh.get_by_uids([], "device") == []


# -- add / update / remove ----------------------------------------------------------------------------------


def test_add_the_same_object_twice_is_a_no_op(inv: Adapter) -> None:
    r1 = device()
    inv.add(r1)
    inv.add(r1)
    assert inv.count("device") == 1
    assert r1.adapter is inv


def test_add_another_object_with_the_same_uid_raises(case: StoreCase, inv: Adapter) -> None:
    r1 = device(role="edge")
    inv.add(r1)
    with pytest.raises(ObjectAlreadyExists) as caught:
        inv.add(device(role="core"))
    assert caught.value.existing_object is r1
    fresh = case.reopen(inv)
    with pytest.raises(ObjectAlreadyExists) as caught:
        fresh.add(device(role="core"))
    assert caught.value.existing_object is fresh.get("device", "r1")
    assert caught.value.existing_object.role == "edge"


def test_update_replaces_the_stored_object(case: StoreCase, inv: Adapter) -> None:
    inv.add(device(role="edge"))
    replacement = device(role="core")
    inv.update(replacement)
    assert inv.get("device", "r1") is replacement
    inv.update(device("r2"))  # an update of an absent key stores it
    assert inv.count("device") == 2
    fresh = case.reopen(inv)
    assert fresh.get("device", "r1").role == "core"
    assert uids(fresh.get_all("device")) == ["r1", "r2"]


def test_remove(case: StoreCase, inv: Adapter) -> None:
    r1, r2 = device("r1"), device("r2")
    inv.add(r1)
    inv.add(r2)
    inv.remove(r1)
    assert r1.adapter is None
    assert uids(inv.get_all("device")) == ["r2"]
    with pytest.raises(ObjectNotFound):
        inv.remove(r1)
    fresh = case.reopen(inv)
    assert uids(fresh.get_all("device")) == ["r2"]
    with pytest.raises(ObjectNotFound):
        fresh.remove(device("r1"))
    fresh.remove(device("r2"))  # an equal object stands for the stored one
    assert fresh.count() == 0


def test_remove_with_children_across_three_levels(case: StoreCase, inv: Adapter) -> None:
    cases.load(inv, cases.TARGET)
    r1 = inv.get("device", "r1")
    inv.remove(r1, remove_children=True)
    assert uids(inv.get_all("device")) == ["r2", "r3"]
    assert uids(inv.get_all("interface")) == ["r2__eth0", "r3__eth0"]
    assert uids(inv.get_all("address")) == ["r3__eth0__10.3.0.1"]
    fresh = case.reopen(inv)
    assert (fresh.count("device"), fresh.count("interface"), fresh.count("address")) == (2, 2, 1)


# -- count / model names ------------------------------------------------------------------------------------


def test_count_per_model_and_in_total(case: StoreCase, inv: Adapter) -> None:
    assert inv.count() == 0
    cases.load(inv, cases.TARGET)
    assert (inv.count("device"), inv.count(Interface), inv.count(Address(device_name="x", interface_name="y",
                                                                       ip="z"))) == (3, 4, 2)
    assert inv.count() == len(inv) == 9
    fresh = case.reopen(inv)
    assert (fresh.count(), fresh.count("device"), fresh.count("interface"), fresh.count("address")) == (9, 3, 4, 2)
    assert fresh.count("no_such_model") == 0


def test_get_all_model_names(case: StoreCase, inv: Adapter) -> None:
    inv.add(device())
    inv.add(interface())
    assert inv.get_all_model_names() == {"device", "interface"}
    fresh = case.reopen(inv)
    assert fresh.get_all_model_names() == {"device", "interface"}


def test_store_ids_are_isolated(case: StoreCase) -> None:
    if not case.persistent:
        pytest.skip("a LocalStore has no store_id")
    one, two = case.adapter(store_id="one"), case.adapter(store_id="two")
    one.add(device("r1"))
    two.add(device("r2"))
    two.add(interface("r2"))
    assert uids(one.get_all("device")) == ["r1"]
    assert (one.count(), two.count()) == (1, 2)
    assert one.get_all_model_names() == {"device"}
    with pytest.raises(ObjectNotFound):
        two.get("device", "r1")


def test_clear_removes_this_stores_objects_only(case: StoreCase) -> None:
    one = cases.load(case.adapter(store_id="one"), cases.TARGET)
    r1 = one.get("device", "r1")
    two = None
    if case.persistent:
        two = cases.load(case.adapter(store_id="two"), cases.TARGET)
    one.store.clear()
    assert one.count() == 0 and one.get_all("device") == [] and r1.adapter is None
    with pytest.raises(ObjectNotFound):
        one.get("device", "r1")
    one.add(device("r9"))
    fresh = case.reopen(one)
    assert uids(fresh.get_all("device")) == ["r9"]
    if two is not None:
        assert case.reopen(two).count() == 9


def test_metadata(case: StoreCase, inv: Adapter) -> None:
    assert inv.store.get_metadata("schema") is None
    inv.store.set_metadata("schema", "v1")
    inv.store.set_metadata("schema", "v2")
    inv.add(device())
    inv.store.clear()  # metadata stays
    assert case.reopen(inv).store.get_metadata("schema") == "v2"


# -- helpers --------------------------------------------------------------------------------------------------


def test_get_or_instantiate(case: StoreCase, inv: Adapter) -> None:
    obj, created = inv.get_or_instantiate(Device, {"name": "r1"}, {"site": "ams"})
    assert created and obj.site == "ams"
    again, created = inv.get_or_instantiate(Device, {"name": "r1"}, {"site": "other"})
    assert not created and again is obj and again.site == "ams"
    assert case.reopen(inv).get("device", "r1").site == "ams"


def test_get_or_add_model_instance(case: StoreCase, inv: Adapter) -> None:
    first = device(role="edge")
    obj, added = inv.get_or_add_model_instance(first)
    assert added and obj is first
    obj, added = inv.get_or_add_model_instance(device(role="core"))
    assert not added and obj is first and obj.role == "edge"
    assert case.reopen(inv).get("device", "r1").role == "edge"


def test_update_or_instantiate(case: StoreCase, inv: Adapter) -> None:
    obj, created = inv.update_or_instantiate(Device, {"name": "r1"}, {"site": "ams", "role": "edge"})
    assert created
    again, created = inv.update_or_instantiate(Device, {"name": "r1"}, {"site": "ams", "role": "core"})
    assert not created and again is obj and obj.role == "core"
    assert case.reopen(inv).get("device", "r1").role == "core"  # the in-place change was saved


def test_update_or_add_model_instance(case: StoreCase, inv: Adapter) -> None:
    first = device(role="edge")
    obj, added = inv.update_or_add_model_instance(first)
    assert added and obj is first
    obj, added = inv.update_or_add_model_instance(device(role="core", site="ber"))
    assert not added and obj is first and (obj.role, obj.site) == ("core", "ber")
    assert case.reopen(inv).get("device", "r1").get_attrs() == {"site": "ber", "role": "core"}


# -- children -------------------------------------------------------------------------------------------------


def test_children_added_and_removed_are_saved(case: StoreCase, inv: Adapter) -> None:
    r1 = device()
    inv.add(r1)  # stored first, children attached afterwards: the changes must reach the store
    eth0, eth1 = interface(name="eth0"), interface(name="eth1")
    for child in (eth0, eth1):
        inv.add(child)
        r1.add_child(child)
    fresh = case.reopen(inv)
    r1 = fresh.get("device", "r1")
    assert r1.interfaces == ["r1__eth0", "r1__eth1"]
    r1.remove_child(fresh.get("interface", "r1__eth0"))
    fresh = case.reopen(fresh)
    assert fresh.get("device", "r1").interfaces == ["r1__eth1"]


# -- load / diff / sync ---------------------------------------------------------------------------------------


def second_process(case: StoreCase, store_id: str = "dst") -> dict:
    """What a fresh process sees in the store (see store_cases.check_in_fresh_process)."""
    assert case.url is not None
    result = subprocess.run(
        [sys.executable, "-m", cases.MODULE, case.url, store_id],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(), check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_round_trip_load_diff_sync(case: StoreCase) -> None:
    dst = cases.load(case.adapter(), cases.TARGET)
    src = cases.source()
    diff = dst.diff_from(src)
    assert diff.summary() == {"create": 5, "update": 3, "delete": 4, "no-change": 2, "skip": 0}
    dst.sync_from(src, diff=diff)
    assert dst.sync_report is not None and not dst.sync_report.failures
    assert not dst.diff_from(src).has_diffs()
    assert cases.snapshot(dst) == cases.snapshot(src)
    if case.persistent:
        seen = second_process(case)
        assert seen["data"] == cases.snapshot(src)
        assert not seen["has_diffs"], seen["summary"]
        assert seen["count"] == len(src)
        assert seen["order"]["device"] == ["r1", "r2", "r4"]


def test_sync_from_a_second_adapter_on_the_same_store(case: StoreCase) -> None:
    if not case.persistent:
        pytest.skip("memory stores are not shared")
    first = cases.load(case.adapter(), cases.TARGET)
    first.store.close()
    second = case.adapter()  # reads everything from the backend
    second.sync_from(cases.source())
    assert not second.diff_from(cases.source()).has_diffs()
    assert not second_process(case)["has_diffs"]


def test_two_processes_syncing_one_store_id_do_not_interleave(case: StoreCase, tmp_path: Path) -> None:
    if not case.persistent:
        pytest.skip("memory stores are not shared")
    cases.load(case.adapter(), cases.TARGET).store.close()
    go = tmp_path / "go"
    command = [sys.executable, "-m", cases.MODULE, str(case.url), "dst", "sync", str(go)]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=os.environ.copy()) for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.ready.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # both have read the store and computed their diff: now they race
    go.touch()
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out))
    assert any(outcome["ok"] for outcome in outcomes), outcomes
    for outcome in outcomes:  # the later one may find its diff out of date: a clear engine error, no mixture
        assert outcome["ok"] or {"ObjectCrudException", "ObjectStoreException"} & set(outcome["base"]), outcome
    seen = second_process(case)
    assert not seen["has_diffs"], seen["summary"]
    assert seen["data"] == cases.snapshot(cases.source())


def test_failing_sync_raises_and_an_atomic_store_keeps_its_data(case: StoreCase) -> None:
    dst = cases.load(case.adapter(FragileInventory), cases.TARGET)
    before = cases.snapshot(dst)
    with pytest.raises(ObjectNotUpdated, match="r2__eth0") as caught:
        dst.sync_from(cases.source())
    report = caught.value.sync_report  # type: ignore[attr-defined]
    assert report.applied, "operations on r1 came before the failure"
    if case.atomic:
        assert cases.snapshot(dst) == before  # the adapter itself reads the file again
        assert second_process(case)["data"] == before
        fresh = case.reopen(dst, FragileInventory)
        assert cases.snapshot(fresh) == before


def test_continue_on_failure_keeps_the_successful_operations(case: StoreCase) -> None:
    dst = cases.load(case.adapter(FragileInventory), cases.TARGET)
    src = cases.source()
    dst.sync_from(src, flags=DiffSyncFlags.CONTINUE_ON_FAILURE)
    assert dst.sync_report is not None
    failures = [(op.action, op.model, op.unique_id, op.status) for op in dst.sync_report.failures]
    assert failures == [("update", "interface", "r2__eth0", "error")]
    fresh = case.reopen(dst, FragileInventory)
    remaining = fresh.diff_from(src)
    assert remaining.summary()["update"] == 1
    assert remaining.summary()["create"] + remaining.summary()["delete"] == 0
    assert fresh.get("interface", "r2__eth0").description == "mgmt"
    assert fresh.get("device", "r1").role == "core"
    assert uids(fresh.get_all("device")) == ["r1", "r2", "r4"]
