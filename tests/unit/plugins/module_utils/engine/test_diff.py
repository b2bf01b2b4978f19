"""Diff and DiffElement details the differential tests do not pin: slots, lazy child diffs, attr isolation, counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import Diff, DiffElement
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.engine_models import pair

SUMMARY_KEYS = ["create", "update", "delete", "no-change"]


class CountingDiff(Diff):
    made = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).made += 1


def element(name: str = "r1", source: dict | None = None, dest: dict | None = None) -> DiffElement:
    item = DiffElement("device", name, {"name": name})
    item.add_attrs(source=source, dest=dest)
    return item


# -- slots and the lazily created child diff -------------------------------------------------------------


def test_element_fields_live_in_slots() -> None:
    for name in ("type", "name", "_keys", "_context", "_source_attrs", "_dest_attrs", "_child_diff"):
        assert name in DiffElement.__slots__
    item = element(source={"os": "a"}, dest={"os": "b"})
    assert not hasattr(item, "__dict__")
    with pytest.raises(AttributeError):
        item.note = "x"  # type: ignore[attr-defined]

    class Annotated(DiffElement):
        pass

    annotated = Annotated("device", "r1", {"name": "r1"})
    annotated.note = "x"  # a subclass may keep its own attributes
    assert annotated.note == "x"


def test_leaf_element_has_no_child_diff_until_asked() -> None:
    CountingDiff.made = 0
    item = DiffElement("device", "r1", {"name": "r1"}, diff_class=CountingDiff)
    item.add_attrs(source={"os": "a"}, dest={"os": "b"})
    assert list(item.get_children()) == []
    assert len(item) == 1
    assert item.has_diffs(include_children=True) is True
    assert item.summary() == {"create": 0, "update": 1, "delete": 0, "no-change": 0}
    assert item.dict() == {"-": {"os": "b"}, "+": {"os": "a"}}
    assert "device: r1" in item.str()
    assert CountingDiff.made == 0
    child_diff = item.child_diff
    assert type(child_diff) is CountingDiff
    assert item.child_diff is child_diff
    assert CountingDiff.made == 1


def test_add_child_creates_the_child_diff_of_the_diff_class() -> None:
    parent = DiffElement("device", "r1", {"name": "r1"}, diff_class=CountingDiff)
    child = DiffElement("interface", "eth0", {"device_name": "r1", "name": "eth0"})
    child.add_attrs(source={"description": "x"})
    parent.add_child(child)
    assert type(parent.child_diff) is CountingDiff
    assert list(parent.get_children()) == [child]
    assert len(parent) == 2
    assert parent.has_diffs(include_children=False) is False
    assert parent.has_diffs(include_children=True) is True


def test_child_diff_can_be_replaced() -> None:
    item = element(source={"os": "a"}, dest={"os": "a"})
    replacement = Diff()
    child = element("eth0", source={"os": "x"})
    replacement.add(child)
    item.child_diff = replacement
    assert list(item.get_children()) == [child]


# -- attribute dicts: results never alias the element's own dicts ------------------------------------------


def test_shared_equal_attr_dicts_mean_no_change() -> None:
    shared = {"os": "eos", "role": "edge"}
    item = element(source=shared, dest=shared)
    assert item.action is None
    assert item.has_diffs() is False
    assert item.get_attrs_diffs() == {"-": {}, "+": {}}


def test_mutating_attrs_diffs_of_an_update_does_not_change_the_element() -> None:
    item = element(source={"os": "new"}, dest={"os": "old"})
    diffs = item.get_attrs_diffs()
    diffs["+"]["os"] = "tampered"
    diffs["-"]["os"] = "tampered"
    diffs["+"]["extra"] = 1
    assert item.get_attrs_diffs() == {"-": {"os": "old"}, "+": {"os": "new"}}
    assert (item.source_attrs, item.dest_attrs) == ({"os": "new"}, {"os": "old"})


@pytest.mark.parametrize(("side", "sign"), [("source", "+"), ("dest", "-")])
def test_mutating_attrs_diffs_of_a_create_or_delete_does_not_change_the_element(side: str, sign: str) -> None:
    item = element(**{side: {"os": "eos"}})  # type: ignore[arg-type]
    item.get_attrs_diffs()[sign]["os"] = "tampered"
    item.dict()[sign]["os"] = "tampered"
    assert item.get_attrs_diffs() == {sign: {"os": "eos"}}
    assert getattr(item, f"{side}_attrs") == {"os": "eos"}


def test_new_source_attrs_on_a_shared_element_leave_the_destination_side_alone() -> None:
    shared = {"os": "eos", "role": "edge"}
    item = element(source=shared, dest=shared)
    item.add_attrs(source={"os": "ios", "role": "edge"})
    assert item.action == "update"
    assert item.dest_attrs == {"os": "eos", "role": "edge"}
    assert item.get_attrs_diffs() == {"-": {"os": "eos"}, "+": {"os": "ios"}}
    assert shared == {"os": "eos", "role": "edge"}


def test_action_compares_only_attributes_present_on_both_sides() -> None:
    item = element(source={"os": "eos", "extra": 1}, dest={"os": "eos"})
    assert item.action is None
    assert item.get_attrs_diffs() == {"-": {}, "+": {}}


def test_add_attrs_with_none_keeps_the_side_as_it_was() -> None:
    item = element(source={"os": "a"}, dest={"os": "b"})
    item.add_attrs(source=None, dest=None)
    assert (item.source_attrs, item.dest_attrs) == ({"os": "a"}, {"os": "b"})


# -- counts --------------------------------------------------------------------------------------------------


def counts_of(items: Iterable[DiffElement]) -> dict[str, int]:
    totals = dict.fromkeys(SUMMARY_KEYS, 0)
    for item in items:
        for key, value in item.summary().items():
            totals[key] += value
    return totals


def test_summary_is_the_sum_of_the_elements_summaries() -> None:
    source, target = pair()
    diff = target.diff_from(source)
    summary = diff.summary()
    assert list(summary) == [*SUMMARY_KEYS, "skip"]
    assert {key: summary[key] for key in SUMMARY_KEYS} == counts_of(diff.get_children())
    assert summary == {"create": 3, "update": 1, "delete": 3, "no-change": 3, "skip": 0}
    assert sum(summary[key] for key in SUMMARY_KEYS) == len(diff) == 10


def test_element_summary_counts_itself_and_its_descendants() -> None:
    source, target = pair()
    diff = target.diff_from(source)
    for item in diff.get_children():
        expected = dict.fromkeys(SUMMARY_KEYS, 0)
        expected[item.action or "no-change"] += 1
        for key, value in counts_of(item.get_children()).items():
            expected[key] += value
        assert item.summary() == expected
        assert sum(item.summary().values()) == len(item)


def test_count_into_adds_to_the_given_counts() -> None:
    item = element(source={"os": "a"})
    counts = {"create": 5, "update": 0, "delete": 0, "no-change": 2}
    item.count_into(counts)
    assert counts == {"create": 6, "update": 0, "delete": 0, "no-change": 2}


# -- order_children_* hooks ---------------------------------------------------------------------------------


def test_order_hook_set_on_an_instance_is_used() -> None:
    diff = Diff()
    for name in ("b", "a", "c"):
        diff.add(element(name, source={"os": name}))
    diff.order_children_device = lambda children: sorted(children.values())  # type: ignore[attr-defined]
    assert [item.name for item in diff.get_children()] == ["a", "b", "c"]
    assert list(diff.dict()["device"]) == ["a", "b", "c"]


def test_order_hook_may_return_a_list_and_applies_to_its_group_only() -> None:
    class ByNameDescending(Diff):
        @classmethod
        def order_children_device(cls, children: dict[str, DiffElement]) -> list[DiffElement]:
            return sorted(children.values(), reverse=True)

    diff = ByNameDescending()
    for name in ("b", "a", "c"):
        diff.add(element(name, source={"os": name}))
    for name in ("y", "x"):
        other = DiffElement("site", name, {"name": name})
        other.add_attrs(dest={"region": name})
        diff.add(other)
    assert [(item.type, item.name) for item in diff.get_children()] == [
        ("device", "c"), ("device", "b"), ("device", "a"), ("site", "y"), ("site", "x")]
    assert diff.groups() == ["device", "site"]


def test_element_order_for_sorting_is_type_then_name() -> None:
    items = [DiffElement("site", "a", {}), DiffElement("device", "b", {}), DiffElement("device", "a", {})]
    assert [(item.type, item.name) for item in sorted(items)] == [("device", "a"), ("device", "b"), ("site", "a")]


def test_single_group_child_diffs_honour_order_hooks_and_an_overridden_default() -> None:
    class Reversed(Diff):
        def order_children_interface(self, children: dict[str, DiffElement]) -> Any:
            return reversed(list(children.values()))

    class Sorted(Diff):
        @classmethod
        def order_children_default(cls, children: dict[str, DiffElement]) -> Any:
            return iter(sorted(children.values(), key=lambda item: item.name))

    for diff_class, expected in ((Diff, ["b", "a", "c"]), (Reversed, ["c", "a", "b"]), (Sorted, ["a", "b", "c"])):
        parent = DiffElement("device", "r1", {"name": "r1"}, diff_class=diff_class)
        for name in ("b", "a", "c"):
            parent.add_child(DiffElement("interface", name, {"name": name}))
        assert [item.name for item in parent.get_children()] == expected
    assert list(DiffElement("device", "leaf", {"name": "leaf"}).get_children()) == []


def test_source_and_dest_names_can_be_read_and_set() -> None:
    item = DiffElement("device", "r1", {"name": "r1"}, source_name="nb", dest_name="net")
    assert (item.source_name, item.dest_name) == ("nb", "net")
    item.source_name, item.dest_name = "a", "b"
    assert (item.source_name, item.dest_name) == ("a", "b")
    item.add_attrs(source={"os": "x"}, dest={"os": "y"})
    assert str(item) == "device \"r1\" : {'name': 'r1'} : a → b : {'-': {'os': 'y'}, '+': {'os': 'x'}}"


def test_diff_children_is_an_ordered_dict_of_groups_that_creates_missing_ones() -> None:
    diff = Diff()
    assert type(diff.children).__mro__[1] is dict  # a plain dict subclass (diffsync: an OrderedDict subclass)
    assert diff.children["vlan"] == {} and list(diff.children) == ["vlan"]
    diff.add(DiffElement("device", "r1", {"name": "r1"}))
    assert list(diff.children) == ["vlan", "device"] and diff.groups() == ["vlan", "device"]


def test_new_keys_of_a_differ_built_element_is_a_fresh_copy_of_the_identifiers() -> None:
    source, target = pair()
    element = next(element for element in target.diff_from(source).get_children() if element.name == "r1")
    first = element.new_keys()
    assert first == {"name": "r1"} == source.get("device", "r1").get_identifiers()
    first["name"] = "changed"
    assert element.new_keys() == {"name": "r1"}
    assert element.keys == {"name": "r1"}


def test_new_keys_uses_an_overridden_get_identifiers() -> None:
    source, _target = pair()

    class Renamed(type(source.get("device", "r1"))):  # type: ignore[misc]
        def get_identifiers(self) -> dict[str, Any]:
            return {"name": self.name.upper()}

    element = DiffElement("device", "r1", {"name": "r1"})
    element._keys = Renamed(name="r1")  # what the differ stores: the object to read the keys from
    assert element.new_keys() == {"name": "R1"}
