"""Checks run when a DiffSyncModel subclass is defined."""

from __future__ import annotations

from itertools import combinations
from typing import Any


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
    """True when ``model_dump`` may transform field values (field or model serializers are declared)."""
    decorators = cls.__pydantic_decorators__
    if decorators.field_serializers or decorators.model_serializers:
        return True
    for field in cls.model_fields.values():
        if any("Serializer" in type(item).__name__ for item in field.metadata):
            return True
    return False
