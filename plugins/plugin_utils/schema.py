# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Schemas written as data: checked, normalised, and turned into DiffSyncModel and Adapter classes.

A schema (see docs/schema.md) looks like::

    top_level: [device]                       # optional: defaults to the models that have no parent
    models:
      device:
        identifiers: [name]                   # or {name: str}; identifiers are always required
        attributes: {site: str, mtu: int}     # or [site, mtu] (any JSON value); Optional unless `required`
        required: [site]
        shortname: [name]
        children: {interface: interfaces}     # child model -> field of this model holding their ids
      interface:
        identifiers: [device_name, name]      # device_name carries the parent device's name
        parent_identifiers: {name: device_name}   # optional: which identifier holds each parent identifier

``normalize_schema`` returns the canonical JSON-able form that is stored with the adapter;
``build_adapter_class`` turns that form into classes.
"""

from __future__ import annotations

import contextlib
import keyword
import types
from collections.abc import Mapping
from typing import Any, Optional

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from ..module_utils.engine import Adapter, DiffSyncModel

from .errors import DiffsyncTaskError

TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict, "any": Any}
"""Attribute types a schema may name, and the Python types they stand for."""

_IDENTIFIER_TYPES = ("str", "int", "float", "bool")
_SCHEMA_KEYS = ("top_level", "models")
_MODEL_KEYS = ("identifiers", "attributes", "required", "shortname", "children", "parent_identifiers")
# Keys with a meaning in an Ansible diff result (a diffsync_diff result merges its view into ``diff``).
_RESERVED_MODEL_NAMES = frozenset(("before", "after", "before_header", "after_header", "prepared"))


def _fail(path: str, problem: str) -> DiffsyncTaskError:
    return DiffsyncTaskError(f"{path}: {problem}")


def _check_name(path: str, name: Any, what: str, reserved: Any) -> str:
    """A valid model or field name, or an error naming ``path``."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise _fail(path, f"{what} must be a Python identifier (letters, digits, '_'), got {name!r}")
    if name.startswith(("_", "model_")) or hasattr(reserved, name):
        raise _fail(path, f"{what} {name!r} is reserved (it starts with '_' or 'model_', or is a method "
                          f"of {reserved.__name__}); choose another name")
    return name


def _name_list(path: str, value: Any, *, allow_empty: bool, what: str = "field names") -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty) or not all(isinstance(v, str) for v in value):
        size = "a list" if allow_empty else "a non-empty list"
        raise _fail(path, f"must be {size} of {what}, got {value!r}")
    if len(set(value)) != len(value):
        raise _fail(path, f"lists a name twice: {value!r}")
    return list(value)


def _typed_fields(path: str, value: Any, *, default_type: str, allow_empty: bool) -> dict[str, str]:
    """``[a, b]`` (every field ``default_type``) or ``{a: type, ...}`` checked into ``{name: type}``."""
    if isinstance(value, Mapping):
        if not value and not allow_empty:
            raise _fail(path, f"must be a non-empty list of field names or a mapping of name to type, got {value!r}")
        fields = {}
        for name, type_name in value.items():
            _check_name(f"{path}.{name}", name, "field name", DiffSyncModel)
            if type_name not in TYPES:
                raise _fail(f"{path}.{name}", f"unknown type {type_name!r}; use one of {', '.join(TYPES)}")
            fields[name] = type_name
        return fields
    names = _name_list(path, value, allow_empty=allow_empty)
    for name in names:
        _check_name(path, name, "field name", DiffSyncModel)
    return dict.fromkeys(names, default_type)


def _normalize_model(path: str, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise _fail(path, f"must be a mapping with identifiers (and attributes, children, ...), got {spec!r}")
    unknown = sorted(set(spec) - set(_MODEL_KEYS))
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(map(repr, unknown))}; a model takes {', '.join(_MODEL_KEYS)}")
    if "identifiers" not in spec:
        raise _fail(f"{path}.identifiers", "is missing: a model needs at least one identifier field")
    identifiers = _typed_fields(f"{path}.identifiers", spec["identifiers"], default_type="str", allow_empty=False)
    for name, type_name in identifiers.items():
        if type_name not in _IDENTIFIER_TYPES:
            raise _fail(f"{path}.identifiers.{name}", f"an identifier must be one of {', '.join(_IDENTIFIER_TYPES)}, "
                        f"got {type_name!r}")
    attributes = _typed_fields(f"{path}.attributes", spec.get("attributes", []), default_type="any", allow_empty=True)
    both = sorted(set(identifiers) & set(attributes))
    if both:
        raise _fail(path, f"field(s) {', '.join(both)} are both identifiers and attributes")
    required = _name_list(f"{path}.required", spec.get("required", []), allow_empty=True)
    for name in required:
        if name not in attributes:
            raise _fail(f"{path}.required", f"{name!r} is not an attribute (identifiers are always required)")
    shortname = _name_list(f"{path}.shortname", spec.get("shortname", []), allow_empty=True)
    for name in shortname:
        if name not in identifiers and name not in attributes:
            raise _fail(f"{path}.shortname", f"{name!r} is neither an identifier nor an attribute")
    return {
        "identifiers": identifiers, "attributes": attributes, "required": required, "shortname": shortname,
        "children": _children(f"{path}.children", spec.get("children", {}), identifiers, attributes),
        "parent_identifiers": _parent_identifiers(f"{path}.parent_identifiers", spec.get("parent_identifiers", {})),
    }


def _parent_identifiers(path: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in [*value, *value.values()]):
        raise _fail(path, f"must map the parent's identifiers to this model's identifiers, got {value!r}")
    return dict(value)


def _children(path: str, value: Any, identifiers: dict, attributes: dict) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"must be a mapping of child model to field name, got {value!r}")
    children: dict[str, str] = {}
    for child, field in value.items():
        _check_name(f"{path}.{child}", field, "field name", DiffSyncModel)
        if field in identifiers or field in attributes:
            raise _fail(f"{path}.{child}", f"field {field!r} is already an identifier or attribute")
        if field in children.values():
            raise _fail(f"{path}.{child}", f"field {field!r} already holds another child model")
        children[str(child)] = field
    return children


def normalize_schema(schema: Any, path: str = "schema") -> dict[str, Any]:
    """Check ``schema`` and return its canonical form; DiffsyncTaskError naming the path of the first problem."""
    if not isinstance(schema, Mapping):
        raise _fail(path, f"must be a mapping with 'models' (and optionally 'top_level'), got {schema!r}")
    unknown = sorted(set(schema) - set(_SCHEMA_KEYS))
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(map(repr, unknown))}; a schema takes {', '.join(_SCHEMA_KEYS)}")
    models_in = schema.get("models")
    if not isinstance(models_in, Mapping) or not models_in:
        raise _fail(f"{path}.models", f"must be a non-empty mapping of model name to model, got {models_in!r}")
    models = {}
    for name, spec in models_in.items():
        _check_name(f"{path}.models.{name}", name, "model name", Adapter)
        if name in _RESERVED_MODEL_NAMES:
            raise _fail(f"{path}.models.{name}", f"model name {name!r} is reserved; choose another name")
        models[name] = _normalize_model(f"{path}.models.{name}", spec)
    parents = _parents(path, models)
    for name, parent in parents.items():
        models[name]["parent_identifiers"] = _parent_keys(f"{path}.models.{name}", name, models, parent)
    for name, model in models.items():
        if model["parent_identifiers"] and name not in parents:
            raise _fail(f"{path}.models.{name}.parent_identifiers", "is only allowed on a child model")
    top_level = _top_level(path, schema.get("top_level"), models, parents)
    return {"top_level": top_level, "models": models}


def _parents(path: str, models: dict[str, dict]) -> dict[str, str]:
    """``{child model: parent model}``; each model has at most one parent and there is no cycle."""
    parents: dict[str, str] = {}
    for name, model in models.items():
        for child in model["children"]:
            where = f"{path}.models.{name}.children.{child}"
            if child not in models:
                raise _fail(where, f"{child!r} is not a model of this schema (models: {', '.join(models)})")
            if child in parents:
                raise _fail(where, f"{child!r} is already a child of {parents[child]!r}; a model has at most one "
                            f"parent")
            parents[child] = name
    for start in parents:
        seen, current = {start}, start
        while current in parents:
            current = parents[current]
            if current in seen:
                raise _fail(f"{path}.models.{start}.children", f"models {sorted(seen)} form a cycle of children")
            seen.add(current)
    return parents


def parent_key_rule(child: str, child_identifiers: Any, parent: str, parent_identifiers: Any) -> dict[str, str]:
    """The documented rule: the child identifier ``<parent>_<id>``, else one named like the parent's ``<id>``.

    Returns ``{parent identifier: child identifier}`` for the identifiers the rule finds.
    """
    found = {}
    for pid in parent_identifiers:
        for candidate in (f"{parent}_{pid}", pid):
            if candidate in child_identifiers:
                found[pid] = candidate
                break
    return found


def _parent_keys(path: str, name: str, models: dict[str, dict], parent: str) -> dict[str, str]:
    child_ids, parent_ids = models[name]["identifiers"], models[parent]["identifiers"]
    keys = parent_key_rule(name, child_ids, parent, parent_ids)
    given = models[name]["parent_identifiers"]
    for pid, field in given.items():
        if pid not in parent_ids or field not in child_ids:
            raise _fail(f"{path}.parent_identifiers", f"{pid!r}: {field!r} must map an identifier of {parent} "
                        f"({', '.join(parent_ids)}) to an identifier of {name} ({', '.join(child_ids)})")
        keys[pid] = field
    missing = [pid for pid in parent_ids if pid not in keys]
    if missing:
        pid = missing[0]
        raise _fail(path, f"no identifier of {name} holds its parent {parent}'s identifier {pid!r}: add an "
                    f"identifier {parent}_{pid} (or {pid}), or map it with parent_identifiers: {{{pid}: <identifier>}}")
    return {pid: keys[pid] for pid in parent_ids}


def _top_level(path: str, value: Any, models: dict[str, dict], parents: dict[str, str]) -> list[str]:
    roots = [name for name in models if name not in parents]
    if value is None:
        return roots
    top = _name_list(f"{path}.top_level", value, allow_empty=False, what="model names")
    for name in top:
        if name not in models:
            raise _fail(f"{path}.top_level", f"{name!r} is not a model of this schema (models: {', '.join(models)})")
        if name in parents:
            raise _fail(f"{path}.top_level", f"{name!r} is a child of {parents[name]!r}; list only models "
                        f"without a parent")
    for name in roots:
        if name not in top:
            raise _fail(f"{path}.models.{name}", "is neither in top_level nor a child of a model: it would never be "
                        "compared; add it to top_level or to a model's children")
    return top


def _annotation(type_name: str, required: bool) -> Any:
    python_type = TYPES[type_name]
    return python_type if required or python_type is Any else Optional[python_type]  # noqa: UP045


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) or name


def build_model_class(name: str, model: Mapping[str, Any]) -> type[DiffSyncModel]:
    """A DiffSyncModel subclass for one normalised model."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {
        "_modelname": name,
        "_identifiers": tuple(model["identifiers"]),
        "_attributes": tuple(model["attributes"]),
        "_shortname": tuple(model["shortname"]),
        "_children": dict(model["children"]),
        "__module__": __name__,
        "__annotations__": annotations,
    }
    for field, type_name in model["identifiers"].items():
        annotations[field] = TYPES[type_name]
    for field, type_name in model["attributes"].items():
        required = field in model["required"]
        annotations[field] = _annotation(type_name, required)
        if not required:
            namespace[field] = None
    for field in model["children"].values():
        annotations[field] = list[str]
        namespace[field] = []
    return types.new_class(_class_name(name), (DiffSyncModel,), exec_body=lambda ns: ns.update(namespace))


def build_adapter_class(schema: Mapping[str, Any]) -> type[Adapter]:
    """An Adapter subclass holding one model class per model of a normalised schema."""
    namespace: dict[str, Any] = {name: build_model_class(name, model) for name, model in schema["models"].items()}
    namespace["top_level"] = list(schema["top_level"])
    namespace["datasync_schema"] = schema
    namespace["__module__"] = __name__
    return types.new_class("SchemaAdapter", (Adapter,), exec_body=lambda ns: ns.update(namespace))
