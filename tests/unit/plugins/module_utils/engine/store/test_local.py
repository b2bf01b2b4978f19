"""LocalStore specifics (the cross-store contract is in test_contract.py): live objects, adapter binding, logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydantic import ConfigDict

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import ObjectNotFound
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_plan import known_plan, new_plan
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store import BaseStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.local import LocalStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    Device,
    Interface,
    Network,
    load,
)


def test_local_store_is_the_default_and_is_bound_to_its_adapter() -> None:
    adapter = Network(name="inv")
    assert type(adapter.store) is LocalStore
    assert adapter.store.adapter is adapter
    assert str(adapter.store) == "LocalStore"


def test_a_store_instance_given_to_an_adapter_is_adopted() -> None:
    store = LocalStore(name="shared-memory")
    adapter = Network(internal_storage_engine=store)
    assert adapter.store is store
    assert store.adapter is adapter
    assert str(store) == "shared-memory"


def test_add_binds_the_adapter_only_when_the_object_has_none() -> None:
    first, second = Network(name="first"), Network(name="second")
    device = Device(name="r1")
    first.add(device)
    assert device.adapter is first
    second.add(device)
    assert device.adapter is first  # already bound elsewhere: left alone
    assert second.get("device", "r1") is device


def test_adding_the_stored_object_again_changes_nothing_but_binds_it_if_it_lost_its_adapter() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    adapter.add(device)
    assert adapter.get_all("device") == [device]
    assert device.adapter is adapter
    device.adapter = None
    adapter.add(device)
    assert device.adapter is adapter
    assert adapter.count() == 1


def test_remove_unbinds_the_adapter() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    adapter.remove(device)
    assert device.adapter is None
    with pytest.raises(ObjectNotFound):
        adapter.get("device", "r1")


class AuditedDevice(Device):
    """Records every assignment made through its own ``__setattr__``."""

    def __setattr__(self, name: str, value: object) -> None:
        self.__dict__.setdefault("assigned_names", []).append(name)
        super().__setattr__(name, value)


class ValidatedDevice(Device):
    model_config = ConfigDict(validate_assignment=True)


@pytest.mark.parametrize("model", [Device, AuditedDevice, ValidatedDevice])
def test_remove_unbinds_as_an_assignment_would(model: type[Device]) -> None:
    adapter = Network()
    device = model(name="r1")
    adapter.add(device)
    adapter.remove(device)
    assert device.adapter is None
    assert "adapter" in device.model_fields_set
    assert ("adapter" in (known_plan(model) or new_plan(model)).plain_fields) is (model is Device)
    if model is AuditedDevice:
        assert device.__dict__["assigned_names"] == ["adapter"]  # the override ran
    adapter.add(device)  # unbound: the next store binds it again
    assert device.adapter is adapter


def test_objects_are_live_changes_are_seen_without_update() -> None:
    adapter = load(Network(), {"r1": {"os": "eos", "interfaces": {"eth0": "x"}}})
    adapter.get("device", "r1").os = "ios"
    assert adapter.get("device", {"name": "r1"}).os == "ios"  # type: ignore[attr-defined]
    assert adapter.get_all(Device)[0] is adapter.get_by_uids(["r1"], "device")[0]


def test_update_with_a_new_object_keeps_the_position_of_the_old_one() -> None:
    adapter = load(Network(), {name: {"os": "eos", "interfaces": {}} for name in ("r1", "r2", "r3")})
    replacement = Device(name="r2", os="ios")
    adapter.update(replacement)
    assert [obj.get_unique_id() for obj in adapter.get_all("device")] == ["r1", "r2", "r3"]
    assert adapter.get("device", "r2") is replacement


def test_remove_children_skips_and_logs_missing_children(caplog: pytest.LogCaptureFixture) -> None:
    adapter = load(Network(), {"r1": {"os": "eos", "interfaces": {"eth0": "x", "eth1": "y"}}})
    device = adapter.get("device", "r1")
    adapter.remove(adapter.get("interface", "r1__eth0"))  # the parent still lists it
    with caplog.at_level(logging.ERROR, logger="diffsync"):
        adapter.remove(device, remove_children=True)
    assert adapter.count() == 0
    assert [(record.name, record.levelname) for record in caplog.records] == [("diffsync.store", "ERROR")]
    assert "'r1__eth0'" in caplog.records[0].getMessage()


def test_remove_children_goes_down_every_level() -> None:
    class Site(Device):
        _modelname = "site"
        _children = {"device": "devices"}  # noqa: RUF012 - declared as diffsync users do

        devices: list[str] = []  # noqa: RUF012 - pydantic copies field defaults

    class Sites(Network):
        site = Site
        top_level = ["site"]  # noqa: RUF012 - declared as diffsync users do

    adapter = load(Sites(), {"r1": {"os": "eos", "interfaces": {"eth0": "x"}}})
    site = Site(name="ams")
    adapter.add(site)
    site.add_child(adapter.get("device", "r1"))
    adapter.add(Interface(device_name="other", name="eth9"))
    adapter.remove(site, remove_children=True)
    assert {name: adapter.count(name) for name in ("site", "device", "interface")} == {
        "site": 0, "device": 0, "interface": 1}


def test_transaction_and_object_changed_are_no_ops() -> None:
    adapter = load(Network(), {"r1": {"os": "eos", "interfaces": {}}})
    with pytest.raises(RuntimeError), adapter.store.transaction():
        adapter.add(Device(name="r2"))
        raise RuntimeError("abort")
    assert adapter.count("device") == 2  # an in-memory store keeps what was done before the error
    adapter.store.object_changed(adapter.get("device", "r1"))
    adapter.store.close()
    adapter.store.close()
    assert adapter.count() == 2


def test_stores_of_two_adapters_are_independent() -> None:
    first = load(Network(), {"r1": {"os": "eos", "interfaces": {}}})
    second = Network()
    assert second.count() == 0
    assert first.store is not second.store
    assert isinstance(first.store, BaseStore)



def test_a_subclass_that_overrides_add_sees_every_object_the_adapter_adds() -> None:
    seen: list[str] = []

    class Recording(LocalStore):
        def add(self, *, obj: Any) -> None:
            seen.append(obj.get_unique_id())
            super().add(obj=obj)

    class Plain(LocalStore):
        pass

    recorded, plain = Network(internal_storage_engine=Recording), Network(internal_storage_engine=Plain)
    load(recorded, {"r1": {"os": "eos", "interfaces": {"eth0": "uplink"}}})
    load(plain, {"r1": {"os": "eos", "interfaces": {"eth0": "uplink"}}})
    assert seen == ["r1", "r1__eth0"]
    assert recorded.dict() == plain.dict() and recorded.get("interface", "r1__eth0").adapter is recorded
    assert Recording.add_with_plan is BaseStore.add_with_plan  # the adapter goes through the override
    assert Plain.add_with_plan is LocalStore.add_with_plan  # no override: the plan the adapter holds is used


def test_a_subclass_that_overrides_both_add_and_add_with_plan_keeps_its_own() -> None:
    class Both(LocalStore):
        def add(self, *, obj: Any) -> None:
            super().add(obj=obj)

        def add_with_plan(self, obj: Any, plan: Any) -> None:
            super().add_with_plan(obj, plan)

    assert Both.add_with_plan is vars(Both)["add_with_plan"]
    adapter = load(Network(internal_storage_engine=Both), {"r1": {"os": "eos", "interfaces": {"eth0": "uplink"}}})
    assert adapter.count() == 2
