"""utils: the small helpers behind the differ and get_tree_traversal()."""

from __future__ import annotations

from typing import Any

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.utils import (
    OrderedDefaultDict,
    ensure_key_path,
    find_key_path,
    intersection,
    symmetric_difference,
    tree_lines,
    tree_string,
)

TREE: dict[str, Any] = {"site": {"device": {"interface": {}, "module": {}}, "vlan": {}}, "tenant": {}}


def test_tree_string_draws_nested_keys_with_box_characters() -> None:
    assert tree_string(TREE, "Inventory") == "\n".join([
        "Inventory",
        "├── site",
        "│   ├── device",
        "│   │   ├── interface",
        "│   │   └── module",
        "│   └── vlan",
        "└── tenant",
    ])


def test_tree_string_of_an_empty_tree_is_the_root_only() -> None:
    assert tree_string({}, "Empty") == "Empty"
    assert list(tree_lines({})) == []


def test_tree_lines_treat_non_dict_values_as_leaves() -> None:
    assert list(tree_lines({"a": None, "b": "text"})) == ["├── a", "└── b"]


def test_find_key_path() -> None:
    assert find_key_path(TREE, "site") == ["site"]
    assert find_key_path(TREE, "module") == ["site", "device", "module"]
    assert find_key_path(TREE, "tenant") == ["tenant"]
    assert find_key_path(TREE, "missing") is None
    assert find_key_path({}, "site") is None


def test_find_key_path_returns_the_first_match_in_insertion_order() -> None:
    tree: dict[str, Any] = {"a": {"x": {}}, "x": {}}
    assert find_key_path(tree, "x") == ["a", "x"]


def test_ensure_key_path_creates_missing_levels_and_keeps_existing_ones() -> None:
    tree: dict[str, Any] = {"site": {"vlan": {}}}
    ensure_key_path(tree, ["site", "device", "interface"])
    ensure_key_path(tree, ["site", "device", "module"])
    ensure_key_path(tree, [])
    assert tree == {"site": {"vlan": {}, "device": {"interface": {}, "module": {}}}}


def test_ordered_default_dict_creates_values_with_its_factory_in_insertion_order() -> None:
    groups: OrderedDefaultDict[str, list[int]] = OrderedDefaultDict(list)
    groups["b"].append(1)
    groups["a"].append(2)
    groups["b"].append(3)
    assert list(groups.items()) == [("b", [1, 3]), ("a", [2])]
    assert "c" not in groups
    assert groups.get("c") is None  # get() does not create


def test_ordered_default_dict_defaults_to_dict() -> None:
    groups: OrderedDefaultDict = OrderedDefaultDict()
    groups["x"]["y"] = 1
    assert groups == {"x": {"y": 1}}


def test_intersection_keeps_the_first_lists_order() -> None:
    assert intersection(["c", "a", "b", "a"], ["a", "b", "z"]) == ["a", "b", "a"]
    assert intersection([], ["a"]) == []


def test_symmetric_difference_is_sorted() -> None:
    assert symmetric_difference(["site", "device", "vlan"], ["device", "tenant", "area"]) == [
        "area", "site", "tenant", "vlan"]
    assert symmetric_difference(["a"], ["a"]) == []
