"""Checks run when a DiffSyncModel subclass is defined."""

from __future__ import annotations

import types
from collections.abc import Callable
from itertools import combinations
from operator import itemgetter
from typing import Any, NamedTuple, Union


def check_declarations(cls: Any) -> None:
    """Raise AttributeError when the class's declarations name missing fields or overlap."""
    fields = cls.model_fields
    for attr in cls._identifiers:
        if attr not in fields and not hasattr(cls, attr):
            raise AttributeError(f"_identifiers {cls._identifiers} references missing or un-annotated attr {attr}")
    groups = {
        "_shortname": tuple(cls._shortname),
        "_attributes": tuple(cls._attributes),
        "_children": tuple(cls._children.values()),
    }
    for label, names in groups.items():
        shown = cls._children if label == "_children" else names
        for attr in names:
            if attr not in fields:
                raise AttributeError(f"{label} {shown} references missing or un-annotated attr {attr}")
    exclusive = {
        "_identifiers": set(cls._identifiers),
        "_attributes": set(groups["_attributes"]),
        "_children": set(groups["_children"]),
    }
    for (first, first_names), (second, second_names) in combinations(exclusive.items(), 2):
        overlap = first_names & second_names
        if overlap:
            raise AttributeError(f"Fields {overlap} are included in both {first} and {second}.")


def uses_custom_serializers(cls: Any) -> bool:
    """True when ``model_dump`` may not return field values as they are: a serializer is declared anywhere in
    the model's schema (decorators, ``PlainSerializer`` in any nested annotation) or a field is excluded."""
    decorators = cls.__pydantic_decorators__
    if decorators.field_serializers or decorators.model_serializers:
        return True
    if any(field.exclude or getattr(field, "exclude_if", None) for field in cls.model_fields.values()):
        return True
    return _schema_has_serializer(getattr(cls, "__pydantic_core_schema__", {}), set())


def _schema_has_serializer(node: Any, seen: set[int]) -> bool:
    """True when a pydantic core schema (nested dicts and lists) declares a custom ``serialization``."""
    if id(node) in seen:
        return False
    seen.add(id(node))
    if isinstance(node, dict):
        if "serialization" in node:
            return True
        return any(_schema_has_serializer(value, seen) for value in node.values())
    if isinstance(node, (list, tuple)):
        return any(_schema_has_serializer(value, seen) for value in node)
    return False


_PLAIN_ANNOTATIONS = frozenset((str, int, float, bool, type(None)))


class FieldPlan:  # pylint: disable=too-few-public-methods
    """How to read a group of fields fast: their names in declaration order, and whether their values can
    be taken from ``__dict__`` as they are (``plain``) without checking each value's type (``typed``)."""

    __slots__ = ("names", "ordered", "plain", "typed")

    def __init__(self, names: tuple[str, ...], ordered: tuple[str, ...], plain: bool, typed: bool) -> None:
        self.names = names
        self.ordered = ordered
        self.plain = plain
        self.typed = typed

    @classmethod
    def of(cls, model: Any, names: tuple[str, ...]) -> FieldPlan:
        """The plan for ``names`` on ``model`` (names that are not fields make ``model_dump`` the only way)."""
        fields = model.model_fields
        ordered = tuple(name for name in fields if name in names)
        plain = model._plain_dump and len(ordered) == len(set(names))
        typed = plain and all(_is_plain_annotation(fields[name].annotation) for name in ordered)
        return cls(names, ordered, plain, typed)


class AttrsPacker(NamedTuple):
    """Reads a group of plain typed fields (a model's attributes, or its identifiers) straight from
    ``__dict__``: ``values`` as a tuple in ``names`` order, ``picks`` as the dict ``get_attrs()``
    (``get_identifiers()``) returns."""

    names: tuple[str, ...]
    values: Callable[[dict[str, Any]], tuple]
    picks: Callable[[dict[str, Any]], dict[str, Any]]

    @classmethod
    def of(cls, plan: FieldPlan | None) -> AttrsPacker | None:
        """The packer for a field plan, or None when values must go through ``get_attrs()``/``get_identifiers()``."""
        if plan is None or not plan.typed:
            return None
        names = plan.ordered
        if len(names) > 1:
            return cls(names, itemgetter(*names), dict_builder(names))
        if names:
            only = names[0]
            return cls(names, lambda values: (values[only],), dict_builder(names))
        return cls(names, lambda values: (), dict_builder(names))


def dict_builder(names: tuple[str, ...]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function of ``__dict__`` giving ``{name: value}`` for ``names``, in that order (a new dict each call);
    up to three names get a dedicated function (a display, without the comprehension's call)."""
    if len(names) == 1:
        (first,) = names
        return lambda values: {first: values[first]}
    if len(names) == 2:
        first, second = names
        return lambda values: {first: values[first], second: values[second]}
    if len(names) == 3:
        first, second, third = names
        return lambda values: {first: values[first], second: values[second], third: values[third]}
    return lambda values: {name: values[name] for name in names}


def join_builder(names: tuple[str, ...]) -> Callable[[dict[str, Any]], str]:
    """A function of ``__dict__`` giving ``"__".join(str(value) for each name)``, for plain-typed fields.

    Formatting (``f"{value}"``) gives ``str(value)`` for str/int/float/bool/None and costs a fraction of
    a ``str()`` call per value; one to three names get a dedicated function (the usual cases).
    """
    if len(names) == 1:
        (first,) = names
        return lambda values: f"{values[first]}"
    if len(names) == 2:
        first, second = names
        return lambda values: f"{values[first]}__{values[second]}"
    if len(names) == 3:
        first, second, third = names
        return lambda values: f"{values[first]}__{values[second]}__{values[third]}"
    return lambda values: "__".join([f"{values[name]}" for name in names])


def _is_plain_annotation(annotation: Any) -> bool:
    """True for str/int/float/bool and Optional/Union of them: validated values are returned by model_dump as is."""
    if annotation in _PLAIN_ANNOTATIONS:
        return True
    args = getattr(annotation, "__args__", None)
    origin = getattr(annotation, "__origin__", None)
    is_union = origin is Union or type(annotation) is types.UnionType
    return bool(is_union and args and all(arg in _PLAIN_ANNOTATIONS for arg in args))
