"""Empty container defaults built fresh, not deep-copied, each time a model is validated.

Pydantic copies an unhashable field default with ``copy.deepcopy`` for every object built without
that field: the ``[]`` of a children field (``interfaces: list = []``, as diffsync users declare
them) costs each parent a pure-Python deep copy, several times the validation of a string field.
A deep copy of an exact empty ``list``, ``dict`` or ``set`` is a new empty one, which the builtin
itself makes: ``fresh_empty_defaults`` gives a model class a validator built from its own core
schema with ``default_factory=list`` (``dict``, ``set``) in place of those defaults.

Contract: objects, validation errors and every other default come out as with pydantic's own
validator. ``model_fields``, the JSON schema and the serializer are untouched and still show the
declared default. The class keeps pydantic's validator when its schema has another shape, when a
pydantic plugin wraps the validator, when pydantic-core cannot build a validator without reusing
the class's own (no ``_use_prebuilt``), and after ``model_rebuild(force=True)``.
"""

from __future__ import annotations

from typing import Any

from ._deps import SchemaValidator

Schema = dict[str, Any]

_FACTORIES: dict[type, type] = {list: list, dict: dict, set: set}


def fresh_empty_defaults(cls: type) -> None:
    """Give pydantic model ``cls`` a validator that makes its empty container defaults instead of copying them."""
    if SchemaValidator is None or type(vars(cls).get("__pydantic_validator__")) is not SchemaValidator:
        return  # a mock until forward references resolve, or a plugin's wrapper
    schema = with_factories(cls.__pydantic_core_schema__)  # type: ignore[attr-defined]
    if schema is None:
        return
    try:  # (without it, pydantic-core would hand back the class's current validator for a model schema)
        validator = SchemaValidator(schema, schema.get("config"), _use_prebuilt=False)
    except TypeError:  # an older pydantic-core: keep pydantic's validator
        return
    type.__setattr__(cls, "__pydantic_validator__", validator)


def with_factories(schema: Schema) -> Schema | None:
    """A copy of a model's core schema with factories for its empty container defaults; None if it has none
    or a shape other than a model of fields (possibly under ``definitions``). Only the changed path is copied."""
    kind = schema.get("type")
    if kind == "definitions":
        inner = with_factories(schema["schema"])
        return None if inner is None else {**schema, "schema": inner}
    fields_schema = schema.get("schema", {})
    if kind != "model" or fields_schema.get("type") != "model-fields":
        return None
    fields = fields_schema["fields"]
    changed: dict[str, Schema] = {}
    for name, field in fields.items():
        new = _factory_field(field)
        if new is not None:
            changed[name] = new
    if not changed:
        return None
    return {**schema, "schema": {**fields_schema, "fields": {**fields, **changed}}}


def _factory_field(field: Schema) -> Schema | None:
    """``field`` with a factory in place of an exact empty list, dict or set default; None for any other field."""
    default_schema = field.get("schema", {})
    if default_schema.get("type") != "default" or "default" not in default_schema:
        return None
    default = default_schema["default"]
    factory = _FACTORIES.get(type(default))
    if factory is None or default:
        return None
    rest = {key: value for key, value in default_schema.items() if key != "default"}
    return {**field, "schema": {**rest, "default_factory": factory}}
