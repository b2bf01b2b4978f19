"""fieldsets: stored objects share one fields-set per class and set of names, and never see each other's changes."""

from __future__ import annotations

import copy

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Adapter, DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.fieldsets import SharedFieldsSet


class Port(DiffSyncModel):
    _modelname = "port"
    _identifiers = ("name",)
    _attributes = ("speed", "note")
    name: str
    speed: int = 1000
    note: str = ""


class Vlan(DiffSyncModel):
    _modelname = "vlan"
    _identifiers = ("vid",)
    vid: int


class Switch(Adapter):
    port = Port
    vlan = Vlan
    top_level = ["port", "vlan"]  # noqa: RUF012


def stored(*ports: Port) -> Switch:
    adapter = Switch()
    for port in ports:
        adapter.add(port)
    return adapter


def test_objects_with_the_same_fields_set_share_one_set_once_stored() -> None:
    first, second = Port(name="a", speed=10), Port(name="b", speed=20)
    assert first.__pydantic_fields_set__ is not second.__pydantic_fields_set__
    stored(first, second)
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert type(first.__pydantic_fields_set__) is SharedFieldsSet
    assert first.model_fields_set == {"name", "speed", "adapter"}


def test_different_names_or_classes_never_share() -> None:
    partial, full = Port(name="a"), Port(name="b", speed=1, note="x")
    vlan = Vlan(vid=10)
    adapter = stored(partial, full)
    adapter.add(vlan)
    assert partial.model_fields_set == {"name", "adapter"}
    assert full.model_fields_set == {"name", "speed", "note", "adapter"}
    assert vlan.model_fields_set == {"vid", "adapter"}
    assert len({id(o.__pydantic_fields_set__) for o in (partial, full, vlan)}) == 3


def test_assigning_an_unset_field_changes_only_that_object() -> None:
    first, second = Port(name="a"), Port(name="b")
    stored(first, second)
    first.note = "changed"
    assert first.model_fields_set == {"name", "adapter", "note"}
    assert second.model_fields_set == {"name", "adapter"}
    assert second.model_dump(exclude_unset=True) == {"name": "b", "adapter": second.adapter}
    assert Port(name="c").model_fields_set == {"name"}


def test_assigning_an_already_set_field_keeps_sharing() -> None:
    first, second = Port(name="a", speed=1), Port(name="b", speed=2)
    stored(first, second)
    first.speed = 3
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert first.model_fields_set == {"name", "speed", "adapter"}


def test_copies_get_their_own_set() -> None:
    first, second = Port(name="a"), Port(name="b")
    stored(first, second)
    copied = first.model_copy(update={"note": "copy"})
    shallow = copy.copy(second)
    shallow.speed = 5
    assert copied.model_fields_set >= {"note"}
    assert copied.__pydantic_fields_set__ is not first.__pydantic_fields_set__
    assert first.model_fields_set == second.model_fields_set == {"name", "adapter"}


def test_dumps_honour_exclude_unset_with_a_shared_set() -> None:
    first, second = Port(name="a", speed=5), Port(name="b", speed=6)
    stored(first, second)
    assert first.dict(exclude_unset=True) == {"name": "a", "speed": 5}
    assert second.json(exclude_unset=True) == '{"name":"b","speed":6}'


def test_sets_of_the_same_size_alternating_each_get_the_right_shared_set() -> None:
    with_speed = [Port(name=f"s{n}", speed=n) for n in range(3)]
    with_note = [Port(name=f"n{n}", note="x") for n in range(3)]
    stored(*(port for pair in zip(with_speed, with_note, strict=True) for port in pair))
    assert {port.model_fields_set == {"name", "speed", "adapter"} for port in with_speed} == {True}
    assert {port.model_fields_set == {"name", "note", "adapter"} for port in with_note} == {True}
    assert len({id(port.__pydantic_fields_set__) for port in with_speed}) == 1
    assert len({id(port.__pydantic_fields_set__) for port in with_note}) == 1


def test_an_object_given_adapter_none_shares_the_set_of_those_built_without_it() -> None:
    given, added, last = Port(name="a", adapter=None), Port(name="b"), Port(name="c")
    stored(added, given, last)
    assert given.__pydantic_fields_set__ is added.__pydantic_fields_set__ is last.__pydantic_fields_set__
    assert given.model_fields_set == {"name", "adapter"}
    copied = copy.copy(added.__pydantic_fields_set__)
    assert copied == {"name", "adapter"} == copied.base | {"adapter"}  # type: ignore[attr-defined]
