"""The differ beyond the differential tests: element snapshots, lazy child diffs, one computation per differ."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import (
    Adapter,
    Diff,
    DiffSyncFlags,
    DiffSyncModel,
    DiffSyncModelFlags,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.helpers import DiffSyncDiffer
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import (
    Network,
    pair,
)


def walk(diff: Diff) -> list[Any]:
    result = []
    for item in diff.get_children():
        result.append(item)
        result.extend(walk(item.child_diff) if item._child_diff is not None else [])
    return result


def test_leaf_elements_get_no_child_diff() -> None:
    source, target = pair()
    source.add(Network.device(name="r9", os="bare"))  # a device without interfaces on either side
    elements = walk(target.diff_from(source))
    leaves = [item for item in elements if item.type == "interface" or item.name == "r9"]
    assert leaves
    assert all(item._child_diff is None for item in leaves)
    assert not any(hasattr(item, "__dict__") for item in elements)


def test_element_attrs_are_snapshots_of_the_models() -> None:
    source, target = pair()
    diff = target.diff_from(source)
    source.get("device", "r1").os = "changed later"
    target.get("device", "r2").os = "changed later"
    by_name = {item.name: item for item in diff.get_children()}
    assert by_name["r1"].get_attrs_diffs() == {"-": {"os": "ios-15"}, "+": {"os": "ios-17"}}
    assert by_name["r2"].action is None


def test_unchanged_element_results_can_be_mutated_without_effect() -> None:
    source, target = pair()
    diff = target.diff_from(source)
    unchanged = next(item for item in diff.get_children() if item.name == "r2")
    unchanged.get_attrs_diffs()["+"]["os"] = "tampered"
    diff.dict().setdefault("device", {})["r2"] = {"+": {"os": "tampered"}}
    assert unchanged.action is None
    assert unchanged.source_attrs == unchanged.dest_attrs == {"os": "eos"}
    assert source.get("device", "r2").get_attrs() == {"os": "eos"}


def test_calculate_diffs_computes_once_and_completes_once() -> None:
    completed: list[int] = []

    class RecordingDiff(Diff):
        def complete(self) -> None:
            completed.append(len(self))

    source, target = pair()
    differ = DiffSyncDiffer(src_diffsync=source, dst_diffsync=target, flags=DiffSyncFlags.NONE,
                            diff_class=RecordingDiff)
    first = differ.calculate_diffs()
    assert differ.calculate_diffs() is first
    assert completed == [10]
    assert first.models_processed == len(source) + len(target) == 14


def test_diff_of_an_adapter_with_itself_has_no_changes() -> None:
    source, _ = pair()
    diff = source.diff_from(source)
    assert diff.has_diffs() is False
    assert diff.summary() == {"create": 0, "update": 0, "delete": 0, "no-change": 7, "skip": 0}


class Host(DiffSyncModel):
    _modelname = "host"
    _identifiers = ("name",)
    _attributes = ("ip",)

    name: str
    ip: str = ""

    @classmethod
    def create_unique_id(cls, **identifiers: Any) -> str:
        return str(identifiers["name"]).lower()


class Hosts(Adapter):
    host = Host
    top_level = ["host"]  # noqa: RUF012 - declared as diffsync users do


def test_objects_matched_by_unique_id_with_different_identifiers_are_refused() -> None:
    source, target = Hosts(name="source"), Hosts(name="target")
    source.add(Host(name="WWW", ip="1"))
    target.add(Host(name="www", ip="1"))
    with pytest.raises(ValueError, match="Keys mismatch"):
        target.diff_from(source)


def test_callback_totals_are_the_objects_on_both_sides() -> None:
    calls: list[tuple[str, int, int]] = []
    source, target = pair()
    target.diff_from(source, callback=lambda stage, done, total: calls.append((stage, done, total)))
    assert {total for _, _, total in calls} == {14}
    assert calls[-1][1] == 14
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)


def test_skip_unmatched_flags_leave_one_sided_objects_out() -> None:
    source, target = pair()
    diff = target.diff_from(source, flags=DiffSyncFlags.SKIP_UNMATCHED_BOTH)
    actions = {(item.type, item.name, item.action) for item in walk(diff)}
    assert {action for _, _, action in actions} == {None, "update"}
    # r3, r4, eth1 (source only) and eth2 (target only); a skipped parent's children are not visited
    assert diff.summary()["skip"] == 4



# -- packed elements: attribute values as tuples, dicts built on first access ------------------------------


def by_name(diff: Diff) -> dict[str, Any]:
    return {item.name: item for item in walk(diff)}


def test_plain_models_give_packed_elements_answering_without_building_dicts() -> None:
    source, target = pair()
    elements = by_name(target.diff_from(source))
    unchanged, updated = elements["r2"], elements["r1"]
    assert unchanged._source_values is unchanged._dest_values == ("eos",)  # equal sides share one tuple
    assert updated.action == "update" and unchanged.action is None
    assert unchanged.has_diffs(include_children=False) is False
    assert elements["r3"].action == "create" and elements["r4"].action == "delete"
    assert all(item._source_attrs is None and item._dest_attrs is None for item in elements.values())
    assert not any(isinstance(item._keys, dict) for item in elements.values())  # keys are read when asked for


def test_packed_elements_read_like_dicts_and_keep_changes() -> None:
    source, target = pair()
    elements = by_name(target.diff_from(source))
    updated, created = elements["r1"], elements["r3"]
    assert updated.keys == {"name": "r1"} and elements["eth1"].keys == {"device_name": "r1", "name": "eth1"}
    assert (updated.source_attrs, updated.dest_attrs) == ({"os": "ios-17"}, {"os": "ios-15"})
    assert (created.source_attrs, created.dest_attrs) == ({"os": "junos"}, None)
    updated.source_attrs["os"] = "ios-15"  # a change to the built dict sticks, as on a plain element
    assert updated.source_attrs == {"os": "ios-15"} and updated.action is None
    created.keys = {"name": "other"}
    assert created.keys == {"name": "other"}


class CustomAttrs(DiffSyncModel):
    _modelname = "thing"
    _identifiers = ("name",)
    _attributes = ("value",)
    name: str
    value: int = 0

    def get_attrs(self) -> dict[str, Any]:
        return {"value": self.value * 10}


class Plain(DiffSyncModel):
    _modelname = "thing"
    _identifiers = ("name",)
    _attributes = ("value", "extra")
    name: str
    value: int = 0
    extra: str = ""


def test_overridden_get_attrs_or_other_attribute_names_use_dicts() -> None:
    class Custom(Adapter):
        thing = CustomAttrs
        top_level = ["thing"]  # noqa: RUF012

    class Other(Adapter):
        thing = Plain
        top_level = ["thing"]  # noqa: RUF012

    assert CustomAttrs._attrs_packer is None and Plain._attrs_packer is not None
    custom, other = Custom(), Other()
    custom.add(CustomAttrs(name="a", value=1))
    other.add(Plain(name="a", value=10, extra="x"))
    element = next(other.diff_from(custom).get_children())
    assert element._source_values is None and element._source_attrs == {"value": 10}
    assert element.dest_attrs == {"value": 10, "extra": "x"}
    assert element.action is None  # compares the names both sides have, as diffsync does


class Pair2(DiffSyncModel):
    _modelname = "pair2"
    _identifiers = ("first", "second")
    first: str
    second: str


def test_pairs_matched_by_unique_id_with_other_identifiers_are_refused() -> None:
    class Side(Adapter):
        pair2 = Pair2
        top_level = ["pair2"]  # noqa: RUF012

    source, target = Side(), Side()
    source.add(Pair2(first="a__b", second="c"))
    target.add(Pair2(first="a", second="b__c"))  # same unique id "a__b__c"
    with pytest.raises(ValueError, match="Keys mismatch"):
        target.diff_from(source)


# -- class settings read once per diff (ClassPlan): what a class declares in other ways still counts ---------


class FixedFlags(DiffSyncModel):
    """Flags as a class attribute (not a field): absent from each object's ``__dict__``."""

    _modelname = "fixed"
    _identifiers = ("name",)
    _attributes = ("value",)
    model_flags: ClassVar[DiffSyncModelFlags] = DiffSyncModelFlags.IGNORE

    name: str
    value: int = 0


class Labelled(DiffSyncModel):
    """A shortname from a method of its own."""

    _modelname = "labelled"
    _identifiers = ("name",)
    _shortname = ("name",)
    _attributes = ("value",)

    name: str
    value: int = 0

    def get_shortname(self) -> str:
        return f"label-{self.name}"


def sides_of(model: type[DiffSyncModel]) -> tuple[Adapter, Adapter]:
    """A source and a target adapter with ``model`` as their only top-level model."""
    side = type("Side", (Adapter,), {model.get_type(): model, "top_level": [model.get_type()]})
    return side(name="source"), side(name="target")


def test_flags_declared_as_a_class_attribute_are_honoured() -> None:
    source, target = sides_of(FixedFlags)
    source.add(FixedFlags(name="a", value=1))
    target.add(FixedFlags(name="a", value=2))
    target.add(FixedFlags(name="b"))
    diff = target.diff_from(source)
    assert not diff.has_diffs()
    assert diff.summary()["skip"] == 2


def test_a_get_shortname_of_the_class_names_the_elements() -> None:
    source, target = sides_of(Labelled)
    source.add(Labelled(name="a", value=1))
    target.add(Labelled(name="a", value=2))
    source.add(Labelled(name="b"))
    diff = target.diff_from(source)
    assert [(item.name, item.action) for item in walk(diff)] == [("label-a", "update"), ("label-b", "create")]


def test_a_get_shortname_set_on_the_class_later_is_used_by_the_next_diff() -> None:
    class Late(Labelled):
        _modelname = "late"

    source, target = sides_of(Late)
    source.add(Late(name="a"))
    assert [item.name for item in walk(target.diff_from(source))] == ["label-a"]
    Late.get_shortname = lambda self: f"late-{self.name}"  # type: ignore[assignment,method-assign]
    assert [item.name for item in walk(target.diff_from(source))] == ["late-a"]
    Late.get_shortname = classmethod(lambda cls: cls.get_type())  # type: ignore[assignment,method-assign]
    assert [item.name for item in walk(target.diff_from(source))] == ["late"]


class Tagged(DiffSyncModel):
    """A shortname from a field that is not an identifier."""

    _modelname = "tagged"
    _identifiers = ("name",)
    _shortname = ("label",)
    _attributes = ("value",)

    name: str
    label: str = ""
    value: int = 0


def test_elements_are_named_by_the_shortname_of_the_fields_as_they_are_now() -> None:
    source, target = sides_of(Tagged)
    renamed = Tagged(name="a", label="old", value=1)
    source.add(renamed)
    assert renamed.get_shortname() == "old"  # cached, then made stale by the assignment below
    renamed.label = "new"
    target.add(Tagged(name="a", label="new", value=2))  # paired objects must agree on the shortname
    target.add(Tagged(name="b", label="only-here"))
    diff = target.diff_from(source)
    assert [(item.name, item.action) for item in walk(diff)] == [("new", "update"), ("only-here", "delete")]
