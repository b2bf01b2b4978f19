"""model_defaults: empty list, dict and set defaults are made by their builtin, with pydantic's results otherwise."""

from __future__ import annotations

import typing as t

import pydantic
import pytest
from pydantic_core import SchemaValidator

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import (
    DiffSyncModel,
    DiffSyncModelFlags,
    model_defaults,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.model_defaults import with_factories


class Rack(DiffSyncModel):
    _modelname = "rack"
    _identifiers = ("name",)
    _attributes = ("labels", "tags", "units")
    _children = {"server": "servers"}  # noqa: RUF012

    name: str
    labels: dict[str, str] = {}  # noqa: RUF012 - the declarations under test
    tags: set[str] = set()  # noqa: RUF012
    units: list[int] = [42]  # noqa: RUF012 - not empty: pydantic's deep copy stays
    servers: list[str] = []  # noqa: RUF012


def pydantic_validator(cls: type[pydantic.BaseModel]) -> SchemaValidator:
    """The validator pydantic itself builds for ``cls``, from the class's own (unchanged) core schema."""
    schema = cls.__pydantic_core_schema__
    try:
        return SchemaValidator(schema, schema.get("config"), _use_prebuilt=False)
    except TypeError:  # a pydantic-core that never reuses a class's validator
        return SchemaValidator(schema, schema.get("config"))


class Counted:
    """A factory that records how many objects it made, standing in for a builtin in ``_FACTORIES``."""

    def __init__(self, kind: type) -> None:
        self.kind, self.made = kind, 0

    def __call__(self) -> t.Any:
        self.made += 1
        return self.kind()


needs_on_complete = pytest.mark.skipif(
    not hasattr(pydantic.BaseModel, "__pydantic_on_complete__"),
    reason="pydantic < 2.12 has no __pydantic_on_complete__: classes keep pydantic's validator",
)


@pytest.fixture
def counted_lists(monkeypatch: pytest.MonkeyPatch) -> Counted:
    """Classes defined while this fixture is active get their empty list defaults from a counting factory."""
    factory = Counted(list)
    monkeypatch.setitem(model_defaults._FACTORIES, list, factory)
    return factory


def test_each_object_gets_its_own_empty_containers_and_the_declared_defaults_stay_empty() -> None:
    first, second = Rack(name="r1"), Rack(name="r2")
    first.labels["row"] = "a"
    first.tags.add("cold")
    first.servers.append("s1")
    first.units.append(1)
    assert (second.labels, second.tags, second.servers, second.units) == ({}, set(), [], [42])
    assert [Rack.model_fields[name].default for name in ("labels", "tags", "servers", "units")] == [{}, set(), [], [42]]
    assert Rack(name="r3").dict() == {
        "name": "r3",
        "labels": {},
        "tags": set(),
        "units": [42],
        "servers": [],
        "model_flags": DiffSyncModelFlags.NONE,
    }
    assert first.model_fields_set == {"name"}  # a default made by a factory is still a default


@needs_on_complete
def test_the_empty_list_default_is_made_by_the_factory_once_per_object(counted_lists: Counted) -> None:
    class Shelf(DiffSyncModel):
        _modelname = "shelf"
        _identifiers = ("name",)
        name: str
        boxes: list[str] = []  # noqa: RUF012
        slots: list[int] = [1]  # noqa: RUF012

    built = [Shelf(name="a"), Shelf.model_validate({"name": "b"}), Shelf.model_validate_json('{"name": "c"}')]
    assert counted_lists.made == 3
    Shelf(name="d", boxes=["x"])  # given: no default made
    assert counted_lists.made == 3
    assert [shelf.boxes for shelf in built] == [[], [], []]
    assert len({id(shelf.boxes) for shelf in built}) == 3


@needs_on_complete
def test_a_model_completed_later_gets_the_factory_once_its_forward_reference_resolves(counted_lists: Counted) -> None:
    class Later(DiffSyncModel):
        _modelname = "later"
        _identifiers = ("name",)
        name: str
        owner: Owner | None = None  # defined below, resolved by model_rebuild
        items: list[str] = []  # noqa: RUF012

    class Owner(pydantic.BaseModel):
        name: str

    assert Later.model_rebuild() is True
    assert Later(name="a").items == []
    assert counted_lists.made == 1
    Later.model_rebuild(force=True)  # pydantic's own validator again: the same objects, deep-copied defaults
    assert Later(name="b").items == []
    assert counted_lists.made == 1


@pytest.mark.parametrize(
    "data",
    [
        {"name": "r1"},
        {"name": "r1", "labels": {"row": "a"}, "tags": ["x", "x"], "servers": ["s1"]},
        {"name": "r1", "servers": "eth0"},
        {"name": 7, "labels": {"row": 1}, "tags": 3},
        {"labels": None},
        {"name": "r1", "model_flags": 99, "adapter": "nope"},
    ],
    ids=["defaults", "given", "bad-list", "bad-types", "missing", "bad-base-fields"],
)
def test_results_and_errors_match_pydantics_own_validator(data: dict[str, t.Any]) -> None:
    ours, theirs = Rack.__pydantic_validator__, pydantic_validator(Rack)
    assert type(ours) is SchemaValidator  # (the class's validator, not a mock awaiting a rebuild)
    outcomes = []
    for validator in (ours, theirs):
        try:
            outcomes.append(("ok", validator.validate_python(data).__dict__))
        except pydantic.ValidationError as exc:
            outcomes.append(("error", str(exc), exc.errors(include_url=False)))
    assert outcomes[0] == outcomes[1]


def test_validate_default_and_assignment_validation_keep_working() -> None:
    class Strict(DiffSyncModel):
        model_config = pydantic.ConfigDict(validate_assignment=True, validate_default=True)
        _modelname = "strict"
        _identifiers = ("name",)
        name: str
        members: list[int] = []  # noqa: RUF012

    one = Strict(name="a")
    one.members = ["3"]  # type: ignore[list-item]
    assert one.members == [3]
    with pytest.raises(pydantic.ValidationError, match="members"):
        one.members = ["x"]  # type: ignore[list-item]
    assert Strict(name="b").members == []


def test_only_exact_empty_list_dict_and_set_defaults_are_replaced() -> None:
    schema = with_factories(Rack.__pydantic_core_schema__)
    assert schema is not None
    fields = schema["schema"]["fields"]
    factories = {name: field["schema"].get("default_factory") for name, field in fields.items()}
    assert factories == {
        "model_flags": None,
        "adapter": None,
        "name": None,
        "labels": dict,
        "tags": set,
        "units": None,
        "servers": list,
    }
    assert "default" not in fields["servers"]["schema"] and fields["units"]["schema"]["default"] == [42]
    assert Rack.__pydantic_core_schema__["schema"]["fields"]["servers"]["schema"]["default"] == []  # not changed


def test_a_schema_without_empty_container_defaults_or_of_another_shape_is_left_alone() -> None:
    class Plain(DiffSyncModel):
        _modelname = "plain"
        _identifiers = ("name",)
        name: str
        note: str = ""
        made: list[str] = pydantic.Field(default_factory=list)

    class EmptyTuple(pydantic.BaseModel):
        items: tuple[str, ...] = ()

    assert with_factories(Plain.__pydantic_core_schema__) is None
    assert with_factories(EmptyTuple.__pydantic_core_schema__) is None
    assert with_factories({"type": "function-before", "schema": {"type": "model"}}) is None


def test_definitions_around_the_model_schema_are_kept() -> None:
    schema = {"type": "definitions", "definitions": [{"ref": "x"}], "schema": Rack.__pydantic_core_schema__}
    changed = with_factories(schema)
    assert changed is not None
    assert changed["definitions"] == [{"ref": "x"}]
    assert changed["schema"]["schema"]["fields"]["servers"]["schema"]["default_factory"] is list
