"""Adapter: a named set of DiffSyncModel objects in a store, diffable and syncable against another one."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from inspect import isclass
from typing import Any, ClassVar

from ._deps import HAS_PYDANTIC, deprecated
from .diff import Diff
from .differ import DiffSyncDiffer
from .enum import DiffSyncFlags
from .exceptions import DiffClassMismatch, ObjectNotFound
from .gcpause import paused_gc, with_paused_gc
from .model import DiffSyncModel
from .model_plan import known_plan, modelname_of, new_plan
from .report import SyncReport
from .shortnames import ShortnameRegistry
from .store import BaseStore, ModelSpec
from .store.local import LocalStore
from .syncer import DiffSyncSyncer
from .utils import ensure_key_path, find_key_path, tree_string

StrType = str  # ``str`` is shadowed by the ``str()`` method inside the class body
Callback = Callable[[str, int, int], None]


class Adapter:  # pylint: disable=too-many-public-methods
    """Holds the objects of one data source. Subclasses name their model classes as class attributes
    (``device = Device``, the attribute name equal to the model's ``_modelname``) and list the models
    to start from in ``top_level``; ``load()`` fills the adapter.
    """

    type: str | None = None
    top_level: ClassVar[list[str]] = []

    def __init__(
        self, name: str | None = None, internal_storage_engine: builtins.type[BaseStore] | BaseStore = LocalStore
    ) -> None:
        """Bind a store (a BaseStore class to instantiate, or an instance to adopt) and set the name."""
        if isinstance(internal_storage_engine, BaseStore):
            self.store = internal_storage_engine
            self.store.adapter = self
        else:
            self.store = internal_storage_engine(adapter=self)
        if self.type is None:
            self.type = self.__class__.__name__
        self.name = name if name else self.type
        self.sync_report: SyncReport | None = None
        self._shortnames = ShortnameRegistry()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Check that model attributes are named after their models and that top_level names models.

        A ``load()`` defined by the subclass runs with the garbage collector paused (see gcpause.py).
        """
        super().__init_subclass__(**kwargs)
        load = cls.__dict__.get("load")
        if callable(load) and not getattr(load, "__wrapped_by_paused_gc__", False):
            cls.load = with_paused_gc(load)  # type: ignore[method-assign]
        for name, value in cls.__dict__.items():
            if isclass(value) and issubclass(value, DiffSyncModel) and value.get_type() != name:
                raise AttributeError(
                    f'Incorrect field name - {value.__name__} has type name "{value.get_type()}", not "{name}"'
                )
        for name in cls.top_level:
            if not hasattr(cls, name):
                raise AttributeError(f'top_level references attribute "{name}" but it is not a class attribute!')
            value = getattr(cls, name)
            if not isclass(value) or not issubclass(value, DiffSyncModel):
                raise AttributeError(f'top_level references attribute "{name}" but it is not a DiffSyncModel subclass!')

    def __str__(self) -> StrType:
        return f'{self.type} "{self.name}"' if self.type != self.name else str(self.type)

    def __repr__(self) -> StrType:
        return f"<{self}>"

    def __len__(self) -> int:
        return self.store.count()

    @classmethod
    def _get_initial_value_order(cls) -> list[str]:
        """Model attribute names: ``top_level`` first, then the other model attributes alphabetically."""
        order = list(cls.top_level) if isinstance(getattr(cls, "top_level", None), list) else []
        for name in dir(cls):
            value = getattr(cls, name)
            if name not in order and isclass(value) and issubclass(value, DiffSyncModel):
                order.append(name)
        return order

    def load(self) -> None:
        """Fill the adapter from its data source; subclasses implement it."""

    # -- views ---------------------------------------------------------------------------------------

    def dict(
        self, exclude_defaults: bool = True, **kwargs: Any
    ) -> builtins.dict[str, builtins.dict[str, builtins.dict]]:
        """``{model_name: {unique_id: object.dict(...)}}`` for everything stored."""
        data: builtins.dict[str, builtins.dict[str, builtins.dict]] = {}
        for modelname in self.store.get_all_model_names():
            data[modelname] = {}
            for obj in self.store.get_all(model=modelname):
                data[obj.get_type()][obj.get_unique_id()] = obj.dict(exclude_defaults=exclude_defaults, **kwargs)
        return data

    def str(self, indent: int = 0) -> StrType:
        """Multi-line view of the top-level objects and their children."""
        margin = " " * indent
        blocks = []
        for modelname in self.top_level:
            models = self.get_all(modelname)
            if not models:
                blocks.append(f"{margin}{modelname}: []")
            else:
                blocks.append("\n".join([f"{margin}{modelname}", *(m.str(indent=indent + 2) for m in models)]))
        return "\n".join(blocks)

    @with_paused_gc
    def load_from_dict(self, data: builtins.dict) -> None:
        """Add the objects of a ``dict()`` export back into this adapter."""
        for field_name in self._get_initial_value_order():
            model_class = getattr(self, field_name)
            for values in data.get(field_name, {}).values():
                self.add(model_class(**values))

    @classmethod
    def get_tree_traversal(cls, as_dict: bool = False) -> StrType | builtins.dict:
        """The model hierarchy as a tree view (or nested dict with ``as_dict``)."""
        tree: builtins.dict = {}
        for name in cls._get_initial_value_order():
            model_class = getattr(cls, name)
            if not find_key_path(tree, name):
                ensure_key_path(tree, [name])
            for child in getattr(model_class, "_children", {}):
                ensure_key_path(tree, [*(find_key_path(tree, name) or [name]), child])
        return tree if as_dict else tree_string(tree, cls.__name__)

    # -- diff and sync ---------------------------------------------------------------------------------

    def sync_from(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self, source: Adapter, diff_class: builtins.type[Diff] = Diff, flags: DiffSyncFlags = DiffSyncFlags.NONE,
        callback: Callback | None = None, diff: Diff | None = None,
    ) -> Diff:
        """Make this adapter match ``source``; returns the diff applied. ``self.sync_report`` lists every operation."""
        given = diff is not None and not _is_empty(diff)
        if diff_class and given and not isinstance(diff, diff_class):
            raise DiffClassMismatch(
                f"The provided diff's class ({diff.__class__.__name__}) does not match the diff_class: "
                f"{diff_class.__name__}",
            )
        if diff is None or not given:
            diff = self.diff_from(source, diff_class=diff_class, flags=flags, callback=callback)
        syncer = DiffSyncSyncer(diff=diff, src_diffsync=source, dst_diffsync=self, flags=flags, callback=callback)
        self.sync_report = syncer.report
        with paused_gc():
            changed = syncer.perform_sync()
        if changed:
            self.sync_complete(source, diff, flags, None)
        return diff

    def sync_to(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self, target: Adapter, diff_class: builtins.type[Diff] = Diff, flags: DiffSyncFlags = DiffSyncFlags.NONE,
        callback: Callback | None = None, diff: Diff | None = None,
    ) -> Diff:
        """Make ``target`` match this adapter."""
        return target.sync_from(self, diff_class=diff_class, flags=flags, callback=callback, diff=diff)

    def sync_complete(
        self, source: Adapter, diff: Diff, flags: DiffSyncFlags = DiffSyncFlags.NONE, logger: Any = None
    ) -> None:
        """Called after a sync_from that changed something; subclasses may flush to their backend here."""

    def diff_from(
        self, source: Adapter, diff_class: builtins.type[Diff] = Diff, flags: DiffSyncFlags = DiffSyncFlags.NONE,
        callback: Callback | None = None,
    ) -> Diff:
        """The diff that would make this adapter match ``source``."""
        differ = DiffSyncDiffer(src_diffsync=source, dst_diffsync=self, flags=flags, diff_class=diff_class,
                                callback=callback)
        with paused_gc():
            return differ.calculate_diffs()

    def diff_to(
        self, target: Adapter, diff_class: builtins.type[Diff] = Diff, flags: DiffSyncFlags = DiffSyncFlags.NONE,
        callback: Callback | None = None,
    ) -> Diff:
        """The diff that would make ``target`` match this adapter."""
        return target.diff_from(self, diff_class=diff_class, flags=flags, callback=callback)

    # -- object storage ---------------------------------------------------------------------------------

    def get_all_model_names(self) -> set[StrType]:
        """Names of the models in the store."""
        return self.store.get_all_model_names()

    def get(self, obj: ModelSpec, identifier: StrType | builtins.dict) -> DiffSyncModel:
        """One object by unique id or identifier dict; ObjectNotFound when absent."""
        return self.store.get(model=obj, identifier=identifier)

    def get_or_none(self, obj: ModelSpec, identifier: StrType | builtins.dict) -> DiffSyncModel | None:
        """One object by unique id or identifier dict, or None (through an overridden ``get`` if there is one)."""
        if type(self).get is not Adapter.get:
            try:
                return self.get(obj, identifier)
            except ObjectNotFound:
                return None
        return self.store.get_or_none(model=obj, identifier=identifier)

    def get_all(self, obj: ModelSpec) -> list[DiffSyncModel]:
        """All objects of a model, in insertion order."""
        return self.store.get_all(model=obj)

    def get_by_uids(self, uids: list[StrType], obj: ModelSpec) -> list[DiffSyncModel]:
        """Objects of a model by unique ids, in the given order; ObjectNotFound if one is missing."""
        return self.store.get_by_uids(uids=uids, model=obj)

    def add(self, obj: DiffSyncModel) -> None:
        """Store ``obj``; ObjectAlreadyExists when its unique id, or a top-level shortname, is taken."""
        cls = type(obj)
        plan = known_plan(cls) or new_plan(cls)
        # (_tracks_shortname, inline: a load adds every object through here)
        if not (plan.has_shortname and plan.modelname in self.top_level):
            self.store.add_with_plan(obj, plan)
            return
        self._shortnames.check(self.store, obj, self)
        self.store.add_with_plan(obj, plan)
        self._shortnames.reserve(self.store, obj)

    def update(self, obj: DiffSyncModel) -> None:
        """Store ``obj`` in place of the object with its unique id."""
        tracked = self._tracks_shortname(obj)
        if tracked:
            self._shortnames.check(self.store, obj, self)
        self.store.update(obj=obj)
        if tracked:
            self._shortnames.reserve(self.store, obj)

    def remove(self, obj: DiffSyncModel, remove_children: bool = False) -> None:
        """Remove ``obj`` (and its descendants with ``remove_children``); ObjectNotFound when absent."""
        self.store.remove(obj=obj, remove_children=remove_children)
        self._shortnames.release(modelname_of(obj), obj.get_unique_id())

    def get_or_instantiate(
        self, model: builtins.type[DiffSyncModel], ids: builtins.dict, attrs: builtins.dict | None = None
    ) -> tuple[DiffSyncModel, bool]:
        """The object with ``ids``, or a new one built and added; and whether it was created."""
        return self.store.get_or_instantiate(model=model, ids=ids, attrs=attrs)

    def get_or_add_model_instance(self, obj: DiffSyncModel) -> tuple[DiffSyncModel, bool]:
        """The stored object with ``obj``'s unique id, or ``obj`` added; and whether it was added."""
        return self.store.get_or_add_model_instance(obj=obj)

    def update_or_instantiate(
        self, model: builtins.type[DiffSyncModel], ids: builtins.dict, attrs: builtins.dict
    ) -> tuple[DiffSyncModel, bool]:
        """Like get_or_instantiate, then set ``attrs`` on the object."""
        return self.store.update_or_instantiate(model=model, ids=ids, attrs=attrs)

    def update_or_add_model_instance(self, obj: DiffSyncModel) -> tuple[DiffSyncModel, bool]:
        """Like get_or_add_model_instance, then copy ``obj``'s attributes onto the stored object."""
        return self.store.update_or_add_model_instance(obj=obj)

    def count(self, model: ModelSpec | None = None) -> int:
        """Number of objects of ``model``, or of all models."""
        return self.store.count(model=model)

    def _tracks_shortname(self, obj: DiffSyncModel) -> bool:
        """Whether ``obj``'s shortname must be unique in this adapter: it has one and is a top-level model."""
        cls = type(obj)
        plan = known_plan(cls) or new_plan(cls)
        return plan.has_shortname and plan.modelname in self.top_level


def _is_empty(diff: Diff) -> bool:
    """``not diff`` as diffsync tests it (a diff without elements), without walking a large diff."""
    if type(diff).__len__ is Diff.__len__ and not hasattr(diff, "__bool__"):
        return next(iter(diff.get_children()), None) is None
    return not diff


@deprecated("'diffsync.DiffSync' is deprecated and will be removed with 2.1, use 'diffsync.Adapter' instead.")
class DiffSync(Adapter):
    """Old name of Adapter, kept for compatibility."""


if HAS_PYDANTIC:
    DiffSyncModel.model_rebuild()
