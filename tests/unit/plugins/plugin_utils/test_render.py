"""The --diff view: one Ansible diff per object, and the combined form."""

from __future__ import annotations

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffElement
from ansible_collections.datasync.diffsync.plugins.plugin_utils import render


def _element(source: dict | None, dest: dict | None, name: str = "sw1") -> DiffElement:
    element = DiffElement("device", name, {"name": name})
    element.source_attrs, element.dest_attrs = source, dest
    return element


def test_one_diff_per_object_with_headers() -> None:
    elements = [_element({"role": "leaf", "site": "ams"}, {"role": "spine", "site": "ams"}),
                _element({"role": None}, None, "sw2"), _element(None, {}, "sw3")]
    views = render.object_diffs(elements, ["sw1", "sw2", "sw3"], source="sot", target="net")
    assert views[0] == {"before": 'role: "spine"\nsite: "ams"\n', "after": 'role: "leaf"\nsite: "ams"\n',
                        "before_header": "net device sw1", "after_header": "sot device sw1"}
    assert (views[1]["before"], views[1]["after"]) == ("", "role: null\n")
    assert (views[2]["before"], views[2]["after"]) == ("(no attributes)\n", "")


def test_the_view_is_cut_after_the_limit() -> None:
    elements = [_element({"a": i}, None, f"sw{i}") for i in range(5)]
    views = render.object_diffs(elements, [f"sw{i}" for i in range(5)], source="s", target="t", limit=2)
    assert len(views) == 3
    assert views[-1] == {"prepared": "... 3 more changed object(s) not shown; the plan (or its dest file) lists "
                                     "them all\n"}


def test_combined_view() -> None:
    view = render.combined_view([_element({"a": [1]}, None)], ["sw1"], source="sot", target="net")
    assert view == {"before": "device sw1: (absent)\n", "after": "device sw1:\n  a: [1]\n",
                    "before_header": "net", "after_header": "sot"}
