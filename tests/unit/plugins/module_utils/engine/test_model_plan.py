"""model_plan: hot paths read a class's settings from its plan, and a plan always mirrors its class as it is now."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import ObjectAlreadyExists
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model import (
    get_child_indexes,
    get_shortname_cache,
    get_uid_cache,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_plan import (
    PLANS,
    known_plan,
    modelname_of,
    new_plan,
)
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    Device,
    Interface,
    Network,
)


def plan_of(cls: type[DiffSyncModel]) -> Any:
    return known_plan(cls) or new_plan(cls)


def test_a_plan_holds_what_the_class_methods_give() -> None:
    interface, device = plan_of(Interface), plan_of(Device)
    assert (interface.modelname, interface.has_shortname, interface.has_children) == ("interface", True, False)
    assert (device.modelname, device.has_shortname, device.has_children) == ("device", False, True)
    assert interface.cached_uid and interface.shortname_of is not None  # both read without the methods
    assert known_plan(Interface) is interface is PLANS[Interface]


def test_a_class_overriding_the_identity_methods_is_not_read_from_the_caches() -> None:
    class Custom(Interface):
        def get_unique_id(self) -> str:
            return f"custom-{self.name}"

        def get_shortname(self) -> str:
            return f"short-{self.description}"

    plan = plan_of(Custom)
    assert not plan.cached_uid
    assert plan.shortname_of is None
    network, device = Network(), Device(name="r1")
    port = Custom(device_name="r1", name="eth0")
    device.add_child(port)
    network.add(port)
    assert device.interfaces == ["custom-eth0"]
    assert network.get("interface", "custom-eth0") is port
    with pytest.raises(ObjectAlreadyExists, match="shortname 'short-'"):
        device.add_child(Custom(device_name="r1", name="eth1"))


def test_assigning_or_deleting_a_class_attribute_drops_every_plan() -> None:
    class Port(Interface):
        pass

    before = plan_of(Port)
    plan_of(Device)
    Port.label = "set after use"  # type: ignore[attr-defined]
    assert known_plan(Port) is None
    assert known_plan(Device) is None
    assert plan_of(Port) is not before
    del Port.label  # type: ignore[attr-defined]
    assert known_plan(Port) is None


def test_identity_methods_set_on_a_class_after_its_first_use_are_honoured_by_add_and_add_child() -> None:
    class Late(Interface):
        pass

    network, device = Network(), Device(name="r1")
    first = Late(device_name="r1", name="eth0")
    device.add_child(first)
    network.add(first)
    Late.get_unique_id = lambda self: f"late-{self.name}"  # type: ignore[method-assign]
    Late.get_shortname = lambda self: "same"  # type: ignore[method-assign]
    second = Late(device_name="r1", name="eth1")
    network.add(second)
    assert network.get("interface", "late-eth1") is second
    other = Device(name="r2")
    other.add_child(second)
    assert other.interfaces == ["late-eth1"]
    with pytest.raises(ObjectAlreadyExists, match="shortname 'same'"):
        other.add_child(Late(device_name="r1", name="eth2"))


def test_a_new_model_class_drops_the_plans_so_classes_built_at_run_time_do_not_pile_up() -> None:
    plan_of(Interface)
    for number in range(3):
        type(f"Built{number}", (Interface,), {"__module__": __name__})
    assert known_plan(Interface) is None


def test_model_construct_without_an_identifier_still_works_and_its_unique_id_is_computed_when_asked() -> None:
    partial = Interface.model_construct(name="eth0")
    partial.device_name = "r7"
    assert partial.get_unique_id() == "r7__eth0"


def test_the_store_fills_the_unique_id_cache_and_get_shortname_the_shortname_cache() -> None:
    port = Interface(device_name="r1", name="eth0")
    with pytest.raises(AttributeError):  # nothing runs per object when a model is built
        get_uid_cache(port)
    Network().add(port)
    assert get_uid_cache(port) == "r1__eth0"
    Device(name="r1").add_child(port)  # the shortname is computed from the fields, not cached
    with pytest.raises(AttributeError):
        get_shortname_cache(port)
    assert port.get_shortname() == "eth0"
    assert get_shortname_cache(port) == "eth0"
    port.name = "eth1"  # an identifier assigned: recomputed when next asked
    assert (get_uid_cache(port), get_shortname_cache(port)) == (None, None)
    assert (port.get_unique_id(), port.get_shortname()) == ("r1__eth1", "eth1")


class SkipsSuper(Interface):
    def model_post_init(self, context: Any, /) -> None:
        """Leaves the caches unset."""


@pytest.mark.parametrize("make", [
    lambda: Interface(device_name="r1", name="eth0").model_copy(),
    lambda: SkipsSuper(device_name="r1", name="eth0"),
], ids=["copy", "model_post_init without super()"])
def test_objects_without_filled_caches_are_stored_and_attached_by_their_methods(make: Any) -> None:
    network, device = Network(), Device(name="r1")
    port = make()
    device.add_child(port)
    network.add(port)
    assert device.interfaces == ["r1__eth0"]
    assert network.get("interface", "r1__eth0") is port



def test_storing_a_parent_drops_its_children_index_and_a_childless_object_gets_none() -> None:
    device, port = Device(name="r1"), Interface(device_name="r1", name="eth0")
    device.add_child(port)
    assert get_child_indexes(device)  # built while the parent is filled
    network = Network()
    network.add(port)
    network.add(device)
    assert get_child_indexes(device) is None  # stored: rebuilt through the adapter when next needed
    with pytest.raises(AttributeError):  # a childless model never gets one
        get_child_indexes(port)
    with pytest.raises(ObjectAlreadyExists, match="eth0"):
        device.add_child(Interface(device_name="r1", name="eth0"))  # the rebuilt index still checks


class Switch(DiffSyncModel):
    _modelname = "switch"
    _identifiers = ("name",)
    _children = {"interface": "ports"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    ports: list[str]  # required: model_construct may leave it unset


def test_add_child_to_a_constructed_parent_without_its_children_field_fails_as_the_attribute_read() -> None:
    switch = Switch.model_construct(name="s1")
    with pytest.raises(AttributeError, match="ports"):
        switch.add_child(Interface(device_name="s1", name="eth0"))
    switch.ports = []
    switch.add_child(Interface(device_name="s1", name="eth0"))
    assert switch.ports == ["s1__eth0"]


def test_modelname_of_reads_the_plan_and_falls_back_to_get_type_without_making_one() -> None:
    class Renamed(Interface):
        _modelname = "port"

    assert modelname_of(Renamed) == "port"  # no plan yet: get_type(), and none is made
    assert known_plan(Renamed) is None
    port = Renamed(device_name="r1", name="eth0")
    assert modelname_of(port) == "port"
    plan_of(Renamed).modelname = "from-the-plan"  # (a plan is what the hot paths read)
    assert modelname_of(Renamed) == modelname_of(port) == "from-the-plan"
    PLANS.pop(Renamed)
