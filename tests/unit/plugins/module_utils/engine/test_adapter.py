"""Adapter beyond diffsync: collisions reported when an object is added, naming both objects; the sync report."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import (
    Adapter,
    DiffSyncModel,
    SyncReport,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.local import LocalStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    Network,
    pair,
)


class Switch(DiffSyncModel):
    _modelname = "switch"
    _identifiers = ("serial",)
    _shortname = ("hostname",)
    _attributes = ("hostname", "role")

    serial: str
    hostname: str
    role: str = "leaf"


class Pair(DiffSyncModel):
    _modelname = "pair"
    _identifiers = ("left", "right")
    _attributes = ("note",)

    left: str
    right: str
    note: str = ""


class Fabric(Adapter):
    switch = Switch
    pair = Pair
    top_level = ["switch", "pair"]  # noqa: RUF012 - declared as diffsync users do


# -- top-level shortname collisions --------------------------------------------------------------------------


def test_top_level_shortname_collision_is_reported_at_add_naming_both() -> None:
    fabric = Fabric(name="dc1")
    first = Switch(serial="SN1", hostname="leaf1")
    fabric.add(first)
    with pytest.raises(ObjectAlreadyExists) as caught:
        fabric.add(Switch(serial="SN2", hostname="leaf1"))
    message = caught.value.args[0]
    assert "'SN1'" in message
    assert "'SN2'" in message
    assert "'leaf1'" in message
    assert caught.value.existing_object is first
    assert [obj.get_unique_id() for obj in fabric.get_all("switch")] == ["SN1"]


def test_top_level_shortname_is_free_again_after_remove() -> None:
    fabric = Fabric()
    first = Switch(serial="SN1", hostname="leaf1")
    fabric.add(first)
    fabric.remove(first)
    fabric.add(Switch(serial="SN2", hostname="leaf1"))
    assert fabric.get("switch", "SN2").get_shortname() == "leaf1"


def test_top_level_shortname_collision_with_objects_present_before_the_first_check() -> None:
    fabric = Fabric()
    fabric.store.add(obj=Switch(serial="SN1", hostname="leaf1"))  # straight into the store
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'leaf1'"):
        fabric.add(Switch(serial="SN2", hostname="leaf1"))


def test_adding_the_same_top_level_object_twice_is_not_a_collision() -> None:
    fabric = Fabric()
    switch = Switch(serial="SN1", hostname="leaf1")
    fabric.add(switch)
    fabric.add(switch)
    assert fabric.count("switch") == 1


def test_a_rejected_duplicate_does_not_reserve_its_shortname() -> None:
    fabric = Fabric()
    fabric.add(Switch(serial="SN1", hostname="leaf1"))
    with pytest.raises(ObjectAlreadyExists):
        fabric.add(Switch(serial="SN1", hostname="renamed"))  # same unique id: refused by the store
    fabric.add(Switch(serial="SN3", hostname="renamed"))
    assert sorted(obj.get_shortname() for obj in fabric.get_all("switch")) == ["leaf1", "renamed"]


def test_update_moves_the_shortname_reservation_to_the_new_object() -> None:
    fabric = Fabric()
    fabric.add(Switch(serial="SN1", hostname="leaf1"))
    fabric.update(Switch(serial="SN1", hostname="spine1"))  # same unique id, new shortname
    fabric.add(Switch(serial="SN2", hostname="leaf1"))  # the old shortname is free
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'spine1'"):
        fabric.add(Switch(serial="SN3", hostname="spine1"))


def test_shortnames_of_different_models_do_not_collide() -> None:
    fabric = Fabric()
    fabric.add(Switch(serial="SN1", hostname="x__y"))
    fabric.add(Pair(left="x", right="y"))  # no _shortname: its shortname is its unique id "x__y"
    assert fabric.count() == 2


# -- unique id collisions between different identifiers ------------------------------------------------------


def test_unique_id_collision_of_different_identifiers_names_both() -> None:
    fabric = Fabric()
    first = Pair(left="a__b", right="c")
    fabric.add(first)
    clash = Pair(left="a", right="b__c")
    assert clash.get_unique_id() == first.get_unique_id() == "a__b__c"
    with pytest.raises(ObjectAlreadyExists) as caught:
        fabric.add(clash)
    message = caught.value.args[0]
    assert "{'left': 'a__b', 'right': 'c'}" in message
    assert "{'left': 'a', 'right': 'b__c'}" in message
    assert "'a__b__c'" in message
    assert caught.value.existing_object is first
    assert fabric.get("pair", "a__b__c") is first


def test_same_identifiers_twice_reports_both_attribute_sets() -> None:
    fabric = Fabric()
    first = Pair(left="a", right="b", note="old")
    fabric.add(first)
    with pytest.raises(ObjectAlreadyExists) as caught:
        fabric.add(Pair(left="a", right="b", note="new"))
    assert "{'note': 'old'}" in caught.value.args[0]
    assert "{'note': 'new'}" in caught.value.args[0]
    assert caught.value.existing_object is first


# -- the sync report on the adapter ----------------------------------------------------------------------


def test_sync_report_is_none_until_a_sync_and_new_for_each_sync() -> None:
    source, target = pair(Network)
    assert target.sync_report is None
    target.sync_from(source)
    first = target.sync_report
    assert isinstance(first, SyncReport)
    assert first.operations
    target.sync_from(source)
    assert target.sync_report is not first
    assert target.sync_report is not None
    assert target.sync_report.operations == []
    assert source.sync_report is None


def test_sync_to_puts_the_report_on_the_target() -> None:
    source, target = pair(Network)
    source.sync_to(target)
    assert source.sync_report is None
    assert target.sync_report is not None
    assert {op.status for op in target.sync_report.operations} == {"success"}


def test_remove_of_an_absent_object_raises_and_keeps_the_shortname_of_the_stored_one() -> None:
    fabric = Fabric()
    fabric.add(Switch(serial="SN1", hostname="leaf1"))
    with pytest.raises(ObjectNotFound):
        fabric.remove(Switch(serial="SN9", hostname="leaf1"))
    with pytest.raises(ObjectAlreadyExists):
        fabric.add(Switch(serial="SN2", hostname="leaf1"))


# -- get_or_none goes through a get() that a subclass overrides, as diffsync's does -----------------------


def test_get_or_none_uses_an_overridden_adapter_get() -> None:
    class Aliased(Fabric):
        def get(self, obj: Any, identifier: Any) -> Any:
            return super().get(obj, "SN1" if identifier == "primary" else identifier)

    fabric = Aliased()
    fabric.add(Switch(serial="SN1", hostname="leaf1"))
    assert fabric.get_or_none("switch", "primary") is fabric.get("switch", "SN1")
    assert fabric.get_or_none("switch", "SN9") is None


def test_get_or_none_uses_an_overridden_store_get() -> None:
    class AliasedStore(LocalStore):
        def get(self, *, model: Any, identifier: Any) -> Any:
            return super().get(model=model, identifier="SN1" if identifier == "primary" else identifier)

    fabric = Fabric(internal_storage_engine=AliasedStore)
    fabric.add(Switch(serial="SN1", hostname="leaf1"))
    assert fabric.get_or_none("switch", "primary") is fabric.get("switch", "SN1")
    assert fabric.store.get_or_none(model="switch", identifier="SN9") is None
