"""DiffSyncModel beyond diffsync: O(1) children bookkeeping, cached unique ids and shortnames, status, field dumps."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional

import pytest
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PrivateAttr, ValidationError, field_serializer

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import (
    Adapter,
    DiffSyncFlags,
    DiffSyncModel,
    DiffSyncStatus,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model import get_child_indexes, get_uid_cache
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_children import SCAN_LIMIT
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    Device,
    Interface,
    Network,
    load,
)


def eth(name: str, device: str = "r1") -> Interface:
    return Interface(device_name=device, name=name)


# -- add_child / remove_child are O(1): they never search the children list ------------------------------


class NoScanList(list):
    """A children list that fails on a search once longer than SCAN_LIMIT and counts full iterations over it.

    Up to SCAN_LIMIT children a scan is bounded (so still O(1)) and cheaper than an index set.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.iterations = 0

    def __contains__(self, item: object) -> bool:
        if len(self) > SCAN_LIMIT:
            raise AssertionError(f"children list of {len(self)} searched for {item!r} with `in`")
        return super().__contains__(item)

    def index(self, *args: Any) -> int:
        raise AssertionError("children list searched with index()")

    def count(self, *args: Any) -> int:
        raise AssertionError("children list searched with count()")

    def __iter__(self) -> Any:
        self.iterations += 1
        return super().__iter__()


def no_scan_parent() -> tuple[Device, NoScanList]:
    device = Device(name="r1")
    children = NoScanList()
    device.interfaces = children
    assert device.interfaces is children  # no validate_assignment: the list is kept as given
    return device, children


def test_no_scan_list_refuses_searches() -> None:
    listed = NoScanList(["a"] * (SCAN_LIMIT + 1))
    with pytest.raises(AssertionError):
        assert "a" in listed
    with pytest.raises(AssertionError):
        listed.index("a")
    with pytest.raises(AssertionError):
        listed.count("a")


def test_add_child_rejects_duplicates_without_searching_the_list() -> None:
    device, listed = no_scan_parent()
    children = [eth(f"eth{i}") for i in range(200)]
    for child in children:
        device.add_child(child)
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(children[7])
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth150"))  # another object with the same unique id
    assert listed.iterations <= 1  # at most the one pass that builds the index
    assert list(listed) == [child.get_unique_id() for child in children]


def test_remove_child_works_without_searching_the_list() -> None:
    device, listed = no_scan_parent()
    children = [eth(f"eth{i}") for i in range(20)]
    for child in children:
        device.add_child(child)
    device.remove_child(children[3])
    with pytest.raises(ObjectNotFound):
        device.remove_child(children[3])
    device.add_child(children[3])  # allowed again, now at the end
    assert listed.iterations <= 1
    expected = [c.get_unique_id() for c in children if c is not children[3]] + ["r1__eth3"]
    assert list(listed) == expected


def test_remove_child_from_a_stored_parent_builds_no_index_and_add_child_still_checks() -> None:
    adapter = Network()
    device = Device(name="r1")
    children = [eth(f"eth{i}") for i in range(3)]
    for child in children:
        adapter.add(child)
        device.add_child(child)
    adapter.add(device)  # stored: its index is dropped
    device.remove_child(children[1])
    assert device.interfaces == ["r1__eth0", "r1__eth2"]
    assert get_child_indexes(device) is None  # one removal scans the list; it builds no index
    with pytest.raises(ObjectNotFound, match="r1__eth1 was not found as a child in interfaces"):
        device.remove_child(children[1])
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(children[2])
    device.add_child(children[1])
    assert device.interfaces == ["r1__eth0", "r1__eth2", "r1__eth1"]


def test_add_child_with_an_adapter_looks_existing_siblings_up_once_not_per_add() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    for name in ("a", "b"):
        adapter.add(eth(name))
    listed = NoScanList(["r1__a", "r1__b"])
    device.interfaces = listed
    lookups: list[str] = []
    original_get_or_none = adapter.get_or_none

    def counting_get_or_none(obj: Any, identifier: Any) -> Any:
        lookups.append(identifier)
        return original_get_or_none(obj, identifier)

    original_get_by_uids = adapter.get_by_uids

    def counting_get_by_uids(uids: list[str], obj: Any) -> Any:
        lookups.extend(uids)
        return original_get_by_uids(uids, obj)

    adapter.get_or_none = counting_get_or_none  # type: ignore[method-assign]
    adapter.get_by_uids = counting_get_by_uids  # type: ignore[method-assign]
    for i in range(100):
        child = eth(f"eth{i}")
        adapter.add(child)
        device.add_child(child)
    assert sorted(lookups) == ["r1__a", "r1__b"]  # the siblings listed before the first add_child, once each
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'b'"):
        device.add_child(eth("b", device="r9"))
    assert len(device.interfaces) == 102
    assert listed.iterations <= 2  # the siblings' shortnames once, the uid set once when the list outgrows a scan


# -- the index follows the list when it is changed behind add_child's back --------------------------------


def test_index_is_rebuilt_when_the_list_is_replaced() -> None:
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.interfaces = ["r1__eth9"]
    device.add_child(eth("eth0"))  # no longer listed, so not a duplicate
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth9"))
    assert device.interfaces == ["r1__eth9", "r1__eth0"]


def test_index_is_rebuilt_when_the_list_is_appended_to_directly() -> None:
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.interfaces.append("r1__eth1")
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth1"))
    device.remove_child(eth("eth1"))
    assert device.interfaces == ["r1__eth0"]


def test_index_is_rebuilt_when_an_item_is_removed_from_the_list_directly() -> None:
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.add_child(eth("eth1"))
    device.interfaces.remove("r1__eth0")
    device.add_child(eth("eth0"))
    assert device.interfaces == ["r1__eth1", "r1__eth0"]


def test_index_starts_over_when_the_list_was_emptied_directly() -> None:
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.interfaces.clear()
    device.add_child(eth("eth1"))  # a first child again: a new index
    device.add_child(eth("eth0"))
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth1"))
    assert device.interfaces == ["r1__eth1", "r1__eth0"]


class Vlan(DiffSyncModel):
    _modelname = "vlan"
    _identifiers = ("site", "vid")
    _shortname = ("vid",)

    site: str
    vid: int


class Site(DiffSyncModel):
    _modelname = "site"
    _identifiers = ("name",)
    _children = {"interface": "interfaces", "vlan": "vlans"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    interfaces: list[str] = []  # noqa: RUF012 - pydantic copies field defaults
    vlans: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


def test_each_children_field_of_a_parent_keeps_its_own_index() -> None:
    site = Site(name="s1")
    site.add_child(eth("eth0", device="s1"))
    site.add_child(Vlan(site="s1", vid=10))  # the first of its field: the other field's index is kept
    site.add_child(eth("eth1", device="s1"))
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'eth0'"):  # known only to the kept index
        site.add_child(eth("eth0", device="s9"))
    with pytest.raises(ObjectAlreadyExists, match="both have shortname '10'"):
        site.add_child(Vlan(site="s2", vid=10))
    assert (site.interfaces, site.vlans) == (["s1__eth0", "s1__eth1"], ["s1__10"])


def test_index_is_rebuilt_when_the_list_changes_in_place_keeping_its_length() -> None:
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.interfaces.pop()
    device.interfaces.append("r1__eth1")  # same list object, same length, different content
    device.add_child(eth("eth0"))
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth1"))
    assert device.interfaces == ["r1__eth1", "r1__eth0"]


def test_index_is_rebuilt_when_the_list_is_replaced_twice_by_lists_of_the_same_length() -> None:
    # Once the first list is freed, a new list of the same length may be allocated at the same address
    # (CPython's list free list makes this the usual case): the index must not go by the address alone.
    device = Device(name="r1")
    device.add_child(eth("eth0"))
    device.interfaces = []
    device.interfaces = ["r1__eth1"]
    device.add_child(eth("eth0"))
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("eth1"))
    assert device.interfaces == ["r1__eth1", "r1__eth0"]


# -- shortname collisions among siblings are reported at add time, naming both -----------------------------


class Port(DiffSyncModel):
    _modelname = "interface"
    _identifiers = ("device_name", "slot")
    _shortname = ("label",)
    _attributes = ("label",)

    device_name: str
    slot: int
    label: str = ""


class Chassis(DiffSyncModel):
    _modelname = "chassis"
    _identifiers = ("name",)
    _children = {"interface": "ports"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    ports: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


def test_sibling_shortname_collision_names_both_and_carries_the_stored_sibling() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    first = eth("eth0")
    adapter.add(first)
    device.add_child(first)
    newcomer = eth("eth0", device="r1x")  # another unique id, same shortname under r1
    with pytest.raises(ObjectAlreadyExists) as caught:
        device.add_child(newcomer)
    message = str(caught.value.args[0])
    assert "'r1__eth0'" in message
    assert "'r1x__eth0'" in message
    assert "'eth0'" in message
    assert caught.value.existing_object is first
    assert device.interfaces == ["r1__eth0"]


def test_sibling_shortname_collision_found_for_siblings_listed_before_the_first_add_child() -> None:
    adapter = Network()
    adapter.add(eth("eth0"))
    device = Device(name="r1", interfaces=["r1__eth0"])
    adapter.add(device)
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'eth0'"):
        device.add_child(eth("eth0", device="other"))


def test_sibling_shortname_is_free_again_after_remove_child() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    first = eth("eth0")
    adapter.add(first)
    device.add_child(first)
    device.remove_child(first)
    adapter.remove(first)
    device.add_child(eth("eth0", device="other"))
    assert device.interfaces == ["other__eth0"]


class LabelledPort(Port):
    """Same model name as Port, its own shortname method."""

    def get_shortname(self) -> str:
        return f"{self.label}-{self.slot}"


def test_stored_siblings_of_another_class_are_named_by_their_own_get_shortname() -> None:
    adapter = Network()
    chassis = Chassis(name="c1")
    adapter.add(chassis)
    odd = LabelledPort(device_name="c1", slot=1, label="uplink")
    plain = Port(device_name="c1", slot=2, label="spare")
    for port in (odd, plain):
        adapter.add(port)
    chassis.ports = ["c1__1", "c1__2"]  # listed before the first add_child: names come from the store
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'uplink-1'") as caught:
        chassis.add_child(Port(device_name="c1", slot=3, label="uplink-1"))
    assert caught.value.existing_object is odd
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'spare'"):
        chassis.add_child(Port(device_name="c1", slot=4, label="spare"))
    chassis.add_child(Port(device_name="c1", slot=5, label="uplink"))  # "uplink" itself is free
    assert chassis.ports == ["c1__1", "c1__2", "c1__5"]


def test_sibling_shortname_collision_without_an_adapter() -> None:
    chassis = Chassis(name="c1")
    chassis.add_child(Port(device_name="c1", slot=1, label="uplink"))
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'uplink'"):
        chassis.add_child(Port(device_name="c1", slot=2, label="uplink"))


def test_sibling_shortname_collision_without_an_adapter_after_remove_child() -> None:
    chassis = Chassis(name="c1")
    chassis.add_child(Port(device_name="c1", slot=1, label="uplink"))
    spare = Port(device_name="c1", slot=2, label="spare")
    chassis.add_child(spare)
    chassis.remove_child(spare)
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'uplink'"):
        chassis.add_child(Port(device_name="c1", slot=3, label="uplink"))


# -- cached unique id and shortname ----------------------------------------------------------------------


def test_assigning_an_identifier_changes_unique_id_and_shortname() -> None:
    model = eth("eth0")
    assert (model.get_unique_id(), model.get_shortname()) == ("r1__eth0", "eth0")
    model.name = "eth1"
    assert (model.get_unique_id(), model.get_shortname()) == ("r1__eth1", "eth1")
    model.device_name = "r2"
    assert model.get_unique_id() == "r2__eth1"
    assert str(model) == "r2__eth1"
    assert repr(model) == 'interface "r2__eth1"'


def test_assigning_a_shortname_attribute_changes_the_shortname_only() -> None:
    port = Port(device_name="c1", slot=1, label="uplink")
    assert (port.get_unique_id(), port.get_shortname()) == ("c1__1", "uplink")
    port.label = "spare"
    assert (port.get_unique_id(), port.get_shortname()) == ("c1__1", "spare")


def test_assigning_other_fields_keeps_the_unique_id() -> None:
    model = eth("eth0")
    model.get_unique_id()
    model.description = "changed"
    assert model.get_unique_id() == "r1__eth0"


COPIES: dict[str, Callable[[Interface], Interface]] = {
    "model_copy": lambda model: model.model_copy(),
    "deep_model_copy": lambda model: model.model_copy(deep=True),
    "copy.copy": copy.copy,
    "copy.deepcopy": copy.deepcopy,
}


@pytest.mark.parametrize("make_copy", list(COPIES.values()), ids=list(COPIES))
def test_copies_compute_their_own_unique_id(make_copy: Callable[[Interface], Interface]) -> None:
    original = eth("eth0")
    assert original.get_unique_id() == "r1__eth0"  # cached before copying
    duplicate = make_copy(original)
    duplicate.name = "eth1"
    assert (duplicate.get_unique_id(), duplicate.get_shortname()) == ("r1__eth1", "eth1")
    assert (original.get_unique_id(), original.get_shortname()) == ("r1__eth0", "eth0")
    original.name = "eth2"
    assert duplicate.get_unique_id() == "r1__eth1"


def test_model_copy_with_an_update_of_an_identifier() -> None:
    original = eth("eth0")
    original.get_unique_id()
    original.get_shortname()
    duplicate = original.model_copy(update={"name": "eth5"})
    assert (duplicate.get_unique_id(), duplicate.get_shortname()) == ("r1__eth5", "eth5")
    assert original.get_unique_id() == "r1__eth0"


@pytest.mark.parametrize("make_copy", [copy.deepcopy, lambda model: model.model_copy(deep=True)],
                         ids=["copy.deepcopy", "deep_model_copy"])
def test_deep_copies_of_a_parent_keep_their_own_children_index(make_copy: Callable[[Device], Device]) -> None:
    parent = Device(name="r1")
    parent.add_child(eth("eth0"))
    twin = make_copy(parent)
    twin.add_child(eth("eth1"))
    with pytest.raises(ObjectAlreadyExists):
        twin.add_child(eth("eth0"))
    parent.add_child(eth("eth2"))
    assert parent.interfaces == ["r1__eth0", "r1__eth2"]
    assert twin.interfaces == ["r1__eth0", "r1__eth1"]


class CaseInsensitive(DiffSyncModel):
    _modelname = "host"
    _identifiers = ("domain", "name")
    _attributes = ("note",)

    domain: str
    name: str
    note: str = ""

    @classmethod
    def create_unique_id(cls, **identifiers: Any) -> str:
        return f"{identifiers['name']}.{identifiers['domain']}".lower()


class UpperIdentifiers(DiffSyncModel):
    _modelname = "site"
    _identifiers = ("code",)

    code: str

    def get_identifiers(self) -> dict[str, Any]:
        return {"code": self.code.upper()}


def test_custom_create_unique_id_is_used_and_recomputed_after_assignment() -> None:
    host = CaseInsensitive(domain="Example.COM", name="WWW")
    assert host.get_unique_id() == "www.example.com"
    host.name = "Mail"
    assert host.get_unique_id() == "mail.example.com"
    assert host.get_shortname() == "mail.example.com"


def test_custom_get_identifiers_is_used_for_the_unique_id() -> None:
    site = UpperIdentifiers(code="ams1")
    assert site.get_identifiers() == {"code": "AMS1"}
    assert site.get_unique_id() == "AMS1"
    site.code = "fra2"
    assert site.get_unique_id() == "FRA2"


class Zone(DiffSyncModel):
    _modelname = "zone"
    _identifiers = ("name",)
    _children = {"host": "hosts"}  # noqa: RUF012 - declared as diffsync users do

    name: str
    hosts: list[str] = []  # noqa: RUF012 - pydantic copies field defaults


@pytest.mark.parametrize("build", [lambda: eth("eth0"), lambda: CaseInsensitive(domain="Example.COM", name="WWW")],
                         ids=["joined identifiers", "custom create_unique_id"])
def test_add_child_of_a_child_never_asked_for_its_unique_id_computes_and_caches_it(build: Callable[[], Any]) -> None:
    """A sync adds a created child to its parent before the store computes its unique id (diffsync's order)."""
    child = build()
    if isinstance(child, Interface):
        parent, field, expected = Device(name="r1"), "interfaces", "r1__eth0"
    else:
        parent, field, expected = Zone(name="example.com"), "hosts", "www.example.com"
    with pytest.raises(AttributeError):
        get_uid_cache(child)  # never computed
    parent.add_child(child)
    assert getattr(parent, field) == [expected]
    assert get_uid_cache(child) == expected
    assert child.get_unique_id() == expected


def test_add_child_recomputes_a_unique_id_dropped_by_an_identifier_assignment() -> None:
    child = eth("eth0")
    assert child.get_unique_id() == "r1__eth0"
    child.name = "eth7"  # the cache now holds None
    parent = Device(name="r1")
    parent.add_child(child)
    assert parent.interfaces == ["r1__eth7"]
    assert get_uid_cache(child) == "r1__eth7"


# -- get_attrs / get_identifiers give exactly what model_dump gives ----------------------------------------


class Color(Enum):
    RED = "red"
    BLUE = "blue"


class Location(BaseModel):
    building: str
    floor: int


def _with(name: str, annotation: Any, default: Any) -> type[DiffSyncModel]:
    """A model with identifier ``key`` and one attribute ``value`` of the given annotation and default."""
    namespace: dict[str, Any] = {
        "__annotations__": {"key": str, "value": annotation},
        "_modelname": name,
        "_identifiers": ("key",),
        "_attributes": ("value",),
        "value": default,
    }
    return type(name, (DiffSyncModel,), namespace)


class SerializedField(DiffSyncModel):
    _modelname = "serialized"
    _identifiers = ("key",)
    _attributes = ("value",)

    key: str
    value: str = "abc"

    @field_serializer("value")
    def _shout(self, value: str) -> str:
        return value.upper()


ATTRIBUTE_MODELS: dict[str, type[DiffSyncModel]] = {
    "nested model": _with("nested", Location, Location(building="b1", floor=2)),
    "list": _with("listed", list[str], ["a", "b"]),
    "dict": _with("mapped", dict[str, int], {"a": 1}),
    "tuple": _with("tupled", tuple[int, ...], (1, 2)),
    "enum": _with("enumerated", Color, Color.BLUE),
    "optional enum": _with("optional_enum", Optional[Color], Color.RED),  # noqa: UP045 - the typing form on purpose
    "datetime": _with("dated", datetime.date, datetime.date(2024, 1, 2)),
    "field_serializer": SerializedField,
    "Annotated PlainSerializer": _with(
        "annotated", Annotated[str, PlainSerializer(lambda v: v.upper())], "abc"),
    "Optional[Annotated PlainSerializer]": _with(
        "optional_annotated", Optional[Annotated[str, PlainSerializer(lambda v: v.upper())]], "abc"),  # noqa: UP045
    "Field(exclude=True)": _with("excluded", str, Field(default="hidden", exclude=True)),
}


@pytest.mark.parametrize("model_class", list(ATTRIBUTE_MODELS.values()), ids=list(ATTRIBUTE_MODELS))
def test_get_attrs_is_model_dump_of_the_attributes(model_class: Any) -> None:
    model = model_class(key="k")
    expected = model.model_dump(include={"value"})
    assert repr(model.get_attrs()) == repr(expected)
    assert repr(model.get_attrs()) == repr(expected)  # the second read (cached plan) too


def test_get_attrs_gives_copies_of_mutable_values() -> None:
    model_class: Any = ATTRIBUTE_MODELS["list"]
    model = model_class(key="k")
    model.get_attrs()["value"].append("c")
    assert model.value == ["a", "b"]


class EnumKeyed(DiffSyncModel):
    _modelname = "enum_keyed"
    _identifiers = ("name", "color")
    _attributes = ("floors",)

    name: str
    color: Color
    floors: list[int] = []  # noqa: RUF012 - pydantic copies field defaults


def test_identifiers_of_non_plain_types_follow_model_dump() -> None:
    model = EnumKeyed(name="r1", color=Color.RED, floors=[1, 2])
    dumped = model.model_dump(include={"name", "color"})
    assert model.get_identifiers() == dumped
    assert model.get_unique_id() == EnumKeyed.create_unique_id(**dumped) == "r1__Color.RED"
    model.color = Color.BLUE
    assert model.get_unique_id() == "r1__Color.BLUE"


class SerializedKey(DiffSyncModel):
    _modelname = "serialized_key"
    _identifiers = ("code",)

    code: str

    @field_serializer("code")
    def _lower(self, code: str) -> str:
        return code.lower()


def test_identifiers_with_a_field_serializer_follow_model_dump() -> None:
    model = SerializedKey(code="AMS1")
    assert model.get_identifiers() == model.model_dump(include={"code"}) == {"code": "ams1"}
    assert model.get_unique_id() == "ams1"
    model.code = "FRA2"
    assert model.get_unique_id() == "fra2"


def test_values_assigned_without_validation_are_dumped_as_model_dump_does() -> None:
    model = eth("eth0")
    model.description = 42  # type: ignore[assignment]  # no validate_assignment: kept as given
    assert model.get_attrs() == {"description": 42}


# -- status ---------------------------------------------------------------------------------------------


def test_status_defaults_to_success_with_no_message() -> None:
    model = eth("eth0")
    assert model.get_status() == (DiffSyncStatus.SUCCESS, "")
    assert model._status is DiffSyncStatus.SUCCESS
    assert model._status_message == ""


def test_status_attributes_and_set_status_are_one_state() -> None:
    model = eth("eth0")
    model._status = DiffSyncStatus.ERROR
    model._status_message = "boom"
    assert model.get_status() == (DiffSyncStatus.ERROR, "boom")
    model.set_status(DiffSyncStatus.FAILURE, "partial")
    assert (model._status, model._status_message) == (DiffSyncStatus.FAILURE, "partial")
    model.set_status(DiffSyncStatus.UNKNOWN)
    assert model.get_status() == (DiffSyncStatus.UNKNOWN, "")


def test_status_stays_out_of_dumps_and_is_copied_with_the_model() -> None:
    model = eth("eth0")
    model.set_status(DiffSyncStatus.ERROR, "boom")
    assert "_status" not in model.dict()
    assert "status" not in model.json()
    duplicate = model.model_copy()
    assert duplicate.get_status() == (DiffSyncStatus.ERROR, "boom")
    duplicate.set_status(DiffSyncStatus.SUCCESS, "fixed")
    assert model.get_status() == (DiffSyncStatus.ERROR, "boom")


class WithPrivates(Interface):
    _seen: int = PrivateAttr(default=0)
    _notes: list[str] = PrivateAttr(default_factory=list)


def test_subclass_with_its_own_private_attributes() -> None:
    model = WithPrivates(device_name="r1", name="eth0")
    assert (model._seen, model._notes) == (0, [])
    assert model.get_status() == (DiffSyncStatus.SUCCESS, "")
    model._seen = 3
    model.set_status(DiffSyncStatus.ERROR, "boom")
    model._notes.append("x")
    assert (model._seen, model._notes, model.get_status()) == (3, ["x"], (DiffSyncStatus.ERROR, "boom"))
    duplicate = copy.deepcopy(model)
    assert (duplicate._seen, duplicate._notes, duplicate.get_status()) == (3, ["x"], (DiffSyncStatus.ERROR, "boom"))
    model.name = "eth1"
    assert model.get_unique_id() == "r1__eth1"


class PostInitWithSuper(Interface):
    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self.description = self.description or f"auto {self.name}"


class PostInitWithoutSuper(Interface):
    def model_post_init(self, context: Any, /) -> None:
        self.description = self.description or f"auto {self.name}"


class ParentWithoutSuper(Device):
    def model_post_init(self, context: Any, /) -> None:
        self.os = self.os or "unknown"


@pytest.mark.parametrize("model_class", [PostInitWithSuper, PostInitWithoutSuper])
def test_model_post_init_override_with_and_without_super(model_class: type[Interface]) -> None:
    model = model_class(device_name="r1", name="eth0")
    assert model.description == "auto eth0"
    assert (model.get_unique_id(), model.get_shortname()) == ("r1__eth0", "eth0")
    model.name = "eth1"
    assert (model.get_unique_id(), model.get_shortname()) == ("r1__eth1", "eth1")
    model.set_status(DiffSyncStatus.FAILURE, "x")
    assert model.get_status() == (DiffSyncStatus.FAILURE, "x")
    parent = ParentWithoutSuper(name="r1")
    assert parent.os == "unknown"
    parent.add_child(model)
    with pytest.raises(ObjectAlreadyExists):
        parent.add_child(model)
    parent.remove_child(model)
    assert parent.interfaces == []


class NoSuperDevice(Device):
    def model_post_init(self, context: Any, /) -> None:
        pass


class NoSuperInterface(Interface):
    def model_post_init(self, context: Any, /) -> None:
        pass


class NoSuperNetwork(Network):
    device = NoSuperDevice
    interface = NoSuperInterface


def test_models_without_super_post_init_load_diff_and_sync() -> None:
    data = {"r1": {"os": "a", "interfaces": {"eth0": "x"}}, "r2": {"os": "b", "interfaces": {}}}
    source = load(NoSuperNetwork(name="source"), data)
    target = load(NoSuperNetwork(name="target"), {"r1": {"os": "old", "interfaces": {"eth1": "y"}}})
    target.sync_from(source, flags=DiffSyncFlags.NONE)
    assert target.diff_from(source).has_diffs() is False
    assert target.dict() == source.dict()


def test_storing_a_parent_drops_its_child_index_and_the_next_add_child_rebuilds_it() -> None:
    adapter = Network()
    device = Device(name="r1")
    for name in ("a", "b"):
        child = eth(name)
        adapter.add(child)
        device.add_child(child)
    assert device._child_indexes
    adapter.add(device)
    assert device._child_indexes is None  # no index memory kept for a parent once stored
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'b'"):
        device.add_child(eth("b", device="r9"))
    with pytest.raises(ObjectAlreadyExists):
        device.add_child(eth("a"))
    assert device.interfaces == ["r1__a", "r1__b"]


def test_rebuilding_the_index_skips_listed_siblings_missing_from_the_store() -> None:
    adapter = Network()
    device = Device(name="r1")
    adapter.add(device)
    stored = eth("a")
    adapter.add(stored)
    device.interfaces = ["r1__a", "r1__gone"]  # one listed child is not in the store
    device.add_child(eth("b"))
    with pytest.raises(ObjectAlreadyExists, match="both have shortname 'a'"):
        device.add_child(eth("a", device="r9"))
    assert device.interfaces == ["r1__a", "r1__gone", "r1__b"]


# -- get_type() overridden by a class: the engine's own lookups follow the override -------------------------


class NamedByMethod(Interface):
    _modelname = "not_used"

    @classmethod
    def get_type(cls) -> str:
        return "interface"


def test_an_overridden_get_type_names_the_store_the_parent_field_and_the_diff() -> None:
    class Renamed(Network):
        interface = NamedByMethod

    source, target = Renamed(name="source"), Renamed(name="target")
    for adapter, description in ((source, "uplink"), (target, "old")):
        port = NamedByMethod(device_name="r1", name="eth0", description=description)
        router = Device(name="r1")
        router.add_child(port)  # finds the "interfaces" field through get_type()
        adapter.add(port)
        adapter.add(router)
    assert target.get("interface", "r1__eth0").description == "old"
    assert target.store.get_all_model_names() == {"device", "interface"}
    diff = target.diff_from(source)
    assert diff.summary()["update"] == 1
    target.sync_from(source, diff=diff)
    assert target.get("interface", "r1__eth0").description == "uplink"


# -- update_base: a plain attribute is written as pydantic's assignment writes it, anything else is assigned --------


class StrictInterface(Interface):
    model_config = ConfigDict(validate_assignment=True)


class PinnedInterface(Interface):
    description: str = Field(default="", frozen=True)


class AuditedInterface(Interface):
    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__.setdefault("assigned_names", []).append(name)
        super().__setattr__(name, value)


def test_update_base_writes_plain_attributes_and_keeps_the_shared_fields_set() -> None:
    adapter = Network()
    ports = [Interface(device_name="r1", name=f"eth{i}", description="old") for i in range(2)]
    for port in ports:
        adapter.add(port)
    shared = ports[1].__pydantic_fields_set__
    assert ports[0].update_base({"description": "new"}) is ports[0]
    assert (ports[0].description, ports[1].description) == ("new", "old")
    assert ports[0].__pydantic_fields_set__ is shared  # already set: nothing else to record
    assert ports[0].get_status() == (DiffSyncStatus.SUCCESS, "Updated successfully")


def test_update_base_records_a_field_set_for_the_first_time_on_that_object_only() -> None:
    adapter = Network()
    ports = [Interface(device_name="r1", name=f"eth{i}") for i in range(2)]  # description left at its default
    for port in ports:
        adapter.add(port)
    ports[0].update_base({"description": "set"})
    assert "description" in ports[0].model_fields_set
    assert "description" not in ports[1].model_fields_set
    assert ports[0].model_dump(exclude_unset=True)["description"] == "set"


def test_update_base_of_an_identifier_renews_the_cached_unique_id_and_shortname() -> None:
    port = Interface(device_name="r1", name="eth0")
    assert (port.get_unique_id(), port.get_shortname()) == ("r1__eth0", "eth0")
    port.update_base({"name": "eth1"})
    assert (port.get_unique_id(), port.get_shortname()) == ("r1__eth1", "eth1")


@pytest.mark.parametrize("model", [StrictInterface, PinnedInterface])
def test_update_base_assigns_through_pydantic_when_it_validates_or_freezes(model: type[Interface]) -> None:
    port = model(device_name="r1", name="eth0", description="old")
    with pytest.raises(ValidationError):
        port.update_base({"description": 42 if model is StrictInterface else "new"})
    assert port.description == "old"


def test_update_base_assigns_through_an_overridden_setattr() -> None:
    port = AuditedInterface(device_name="r1", name="eth0", description="old")
    port.update_base({"description": "new"})
    assert port.description == "new"
    assert port.__dict__["assigned_names"] == ["description"]


# -- declarations and methods assigned on a class after its definition (diffsync reads them on every call) ----


def late_model() -> tuple[type[DiffSyncModel], type[DiffSyncModel]]:
    """A fresh model class and a subclass of it, for tests that change the class."""

    class Late(DiffSyncModel):
        _modelname = "late"
        _identifiers = ("name",)
        _shortname = ("a",)
        _attributes = ("a", "b")

        name: str
        a: str = ""
        b: str = ""

    class LateChild(Late):
        _modelname = "late_child"

    return Late, LateChild


def test_declarations_assigned_later_are_used_by_objects_of_the_class_and_its_subclasses() -> None:
    late, child = late_model()
    late._shortname = ("b",)
    assert late(name="y", a="A", b="B").get_shortname() == "B"
    late._identifiers = ("a",)
    assert late(name="z", a="A2").get_unique_id() == "A2"
    assert child(name="z", a="A3").get_unique_id() == "A3"  # inherits the new identifiers
    late._attributes = ("b",)
    assert late(name="q", a="A", b="B").get_attrs() == {"b": "B"}
    probe = late(name="q", a="A", b="B")
    probe.get_unique_id()
    probe.a = "A9"  # "a" is an identifier now: assigning it renews the cached unique id
    assert probe.get_unique_id() == "A9"


def test_methods_assigned_later_are_used_and_deleting_them_restores_the_inherited_ones() -> None:
    late, _ = late_model()
    late.get_attrs = lambda self: {"b": self.b.upper()}  # type: ignore[method-assign]
    assert late(name="q", b="bb").get_attrs() == {"b": "BB"}
    late.create_unique_id = classmethod(  # type: ignore[method-assign,assignment]
        lambda cls, **ids: "ID-" + "-".join(map(str, ids.values()))
    )
    assert late(name="r").get_unique_id() == "ID-r"
    del late.create_unique_id
    assert late(name="r").get_unique_id() == "r"


def test_a_diff_uses_a_get_attrs_assigned_after_a_first_diff() -> None:
    late, _ = late_model()
    side = type("Side", (Adapter,), {"late": late, "top_level": ["late"]})
    source, target = side(name="source"), side(name="target")
    source.add(late(name="x", a="A", b="one"))
    target.add(late(name="x", a="A", b="ONE"))
    assert target.diff_from(source).summary()["update"] == 1
    late.get_attrs = lambda self: {"a": self.a, "b": self.b.upper()}  # type: ignore[method-assign]
    assert target.diff_from(source).summary()["update"] == 0
