"""What the engine's hot paths need of a model class, read once per class into plain slots.

Every attribute read through a pydantic model or model class passes pydantic's ``__getattr__`` hooks,
several times slower than reading a slot of a plain object (about 80 ns against 20 ns here, and a
classmethod call such as ``get_type()`` about 200 ns). A load reads a dozen class settings per object,
a diff a few per pair: they read them from the class's ``ModelPlan`` instead, found with
``known_plan(cls) or new_plan(cls)`` where ``cls = type(obj)``.

Contract: a plan mirrors its class as it is now. Assigning or deleting an attribute of any model class
drops every plan (see ``DiffSyncModel``'s metaclass), so an override set on a class after it was used
(``Model.get_shortname = ...``) is seen by the next call. Defining a model class does the same, which
also keeps the dict from growing with classes built at run time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from operator import methodcaller
from types import FunctionType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import DiffSyncModel
    from .model_checks import AttrsPacker


class ModelPlan:  # pylint: disable=too-few-public-methods,too-many-instance-attributes
    """One model class's settings, as its methods would give them."""

    __slots__ = (
        "attrs_packer", "cached_uid", "fields_sets", "get_shortname", "has_children", "has_shortname",
        "ids_packer", "modelname", "plain_fields", "set_status", "shortname_from_ids", "shortname_of", "uid_of",
    )

    def __init__(self, cls: type[DiffSyncModel]) -> None:
        from .model import DiffSyncModel  # pylint: disable=import-outside-toplevel  # (model.py imports this module)

        self.modelname: str = cls.get_type()
        self.has_children: bool = bool(cls._children)
        self.has_shortname: bool = bool(cls._shortname)
        # the object's unique-id slot holds what the method returns (unset or None: not computed yet, call it)
        self.cached_uid: bool = _inherited(cls, DiffSyncModel, "get_unique_id")
        # what the method computes, as a function of ``obj.__dict__`` (None: call the method)
        self.uid_of: Callable[[dict[str, Any]], str] | None = cls._uid_of if self.cached_uid else None
        plain_shortname = _inherited(cls, DiffSyncModel, "get_shortname")
        self.shortname_of: Callable[[dict[str, Any]], str] | None = (
            cls._shortname_of if plain_shortname and cls._shortname else None
        )
        self.fields_sets: dict[frozenset[str] | None, Any] = cls._shared_fields_sets  # (see fieldsets.py)
        self.attrs_packer: AttrsPacker | None = cls._attrs_packer
        self.ids_packer: AttrsPacker | None = cls._ids_packer
        self.shortname_from_ids: bool = cls._shortname_from_ids
        # methods called as functions (no bound method, no read through pydantic's hook) when they are plain ones
        self.get_shortname: Callable[[DiffSyncModel], str] = _as_function(cls, "get_shortname")
        self.set_status: Callable[..., None] = _as_function(cls, "set_status")
        # fields whose assignment, once the name is in the object's fields-set, only writes ``__dict__``
        self.plain_fields: frozenset[str] = _plainly_assigned(cls, DiffSyncModel)


PLANS: dict[type, ModelPlan] = {}
# PLANS.get, bound once: Python 3.11 compiles ``PLANS.get(cls)`` in a module that imported PLANS as an
# attribute read that binds a new method object on every call (no method-call shortcut for imported names)
known_plan = PLANS.get


def new_plan(cls: type[DiffSyncModel]) -> ModelPlan:
    """The plan of ``cls``, made and kept in ``PLANS`` (callers try ``known_plan(cls)`` first)."""
    plan = PLANS[cls] = ModelPlan(cls)
    return plan


def modelname_of(model: Any) -> str:
    """The model name of a model class or object: its plan's when the class has one, else ``get_type()``."""
    plan = known_plan(model if isinstance(model, type) else type(model))
    return plan.modelname if plan is not None else model.get_type()


def forget_plans() -> None:
    """Drop every plan: a model class changed."""
    PLANS.clear()


def _plainly_assigned(cls: type[DiffSyncModel], base: type[DiffSyncModel]) -> frozenset[str]:
    """The fields of ``cls`` that ``base.__setattr__`` and pydantic's assignment just store: none when the class
    overrides ``__setattr__`` or validates or freezes assignments; never an identifier, shortname, children
    or frozen field (their assignment does more)."""
    config = cls.model_config
    if not _inherited(cls, base, "__setattr__") or config.get("validate_assignment") or config.get("frozen"):
        return frozenset()
    special = cls._identity_fields | cls._children_fields
    return frozenset(name for name, info in cls.model_fields.items() if not info.frozen and name not in special)


def _as_function(cls: type, name: str) -> Callable[..., Any]:
    """``cls``'s method ``name`` as a function of the object (a ``methodcaller`` when it is not a plain method)."""
    method = inspect.getattr_static(cls, name)
    return method if isinstance(method, FunctionType) else methodcaller(name)


def _inherited(cls: type, base: type, name: str) -> bool:
    """Whether ``cls`` uses ``base``'s own ``name`` method (no subclass overrides it)."""
    return inspect.getattr_static(cls, name) is vars(base)[name]
