"""model_checks: the per-class readers give exactly what the generic code gives."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncModel
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_checks import (
    AttrsPacker,
    dict_builder,
    join_builder,
)

VALUES: dict[str, Any] = {"a": "x", "b": 7, "c": 2.5, "d": True, "e": None}


@pytest.mark.parametrize("names", [("a",), ("b",), ("a", "b"), ("c", "d", "e"), ("a", "b", "c", "d", "e")])
def test_join_builder_equals_str_join(names: tuple[str, ...]) -> None:
    assert join_builder(names)(VALUES) == "__".join(str(VALUES[name]) for name in names)


@pytest.mark.parametrize("names", [(), ("a",), ("b", "a"), ("c", "d", "e"), ("e", "d", "c", "b", "a")])
def test_dict_builder_picks_the_names_in_order_into_a_new_dict(names: tuple[str, ...]) -> None:
    build = dict_builder(names)
    picked = build(VALUES)
    assert list(picked.items()) == [(name, VALUES[name]) for name in names]
    assert build(VALUES) is not picked


class Mixed(DiffSyncModel):
    _modelname = "mixed"
    _identifiers = ("name", "unit", "ratio", "flag", "maybe")
    _shortname = ("name", "unit")
    _attributes = ("note",)
    name: str
    unit: int
    ratio: float
    flag: bool
    maybe: Optional[str] = None  # noqa: UP045 - the annotation under test
    note: str = ""


def test_unique_id_and_shortname_match_the_generic_forms() -> None:
    obj = Mixed(name="n", unit=3, ratio=0.5, flag=False, maybe=None)
    assert Mixed._uid_of is not None and Mixed._shortname_of is not None
    assert obj.get_unique_id() == Mixed.create_unique_id(**obj.get_identifiers()) == "n__3__0.5__False__None"
    assert obj.get_shortname() == "n__3"


def test_attrs_packer_reads_values_in_get_attrs_order() -> None:
    packer = AttrsPacker.of(Mixed._attrs_plan)
    obj = Mixed(name="n", unit=3, ratio=0.5, flag=False, note="hello")
    assert packer is not None and packer.names == tuple(obj.get_attrs())
    assert packer.values(obj.__dict__) == tuple(obj.get_attrs().values())
    ids = AttrsPacker.of(Mixed._ids_plan)
    assert ids is not None
    assert list(ids.picks(obj.__dict__).items()) == list(obj.get_identifiers().items())
