"""Storage backends: the abstract ``BaseStore`` and the helpers every backend shares.

A store keeps the objects of one adapter, keyed by model name and unique id. ``LocalStore`` (in memory)
is the default; ``store.sqlite`` and ``store.redis`` persist them as JSON.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

from ..exceptions import ObjectAlreadyExists, ObjectNotFound
from ..logging import get_logger
from ..model import bind_adapter
from ..model_plan import modelname_of

if TYPE_CHECKING:
    from ..adapter import Adapter
    from ..model import DiffSyncModel
    from ..model_plan import ModelPlan

ModelSpec = Union[str, "DiffSyncModel", type["DiffSyncModel"]]

_log = get_logger("store")


class BaseStore(abc.ABC):
    """What every store must offer; signatures follow diffsync 2.2.3's ``BaseStore``.

    Objects handed out by ``get``/``get_all``/``get_by_uids`` are live: a store returns the same Python
    object for the same key within one store instance, so changes made through the adapter are seen
    by later reads. Persistent stores write changes back on ``add``, ``update``, ``remove`` and
    ``object_changed``.
    """

    def __init__(self, *args: Any, adapter: Adapter | None = None, name: str = "", **kwargs: Any) -> None:
        """Bind the store to ``adapter`` (may be set later) under ``name`` (defaults to the class name)."""
        self.adapter = adapter
        self.name = name or self.__class__.__name__

    def __str__(self) -> str:
        return self.name

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the abstract interface -------------------------------------------------------------------

    @abc.abstractmethod
    def get_all_model_names(self) -> set[str]:
        """Names of every model that has (or had) objects in this store."""

    @abc.abstractmethod
    def get(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel:
        """The object of ``model`` whose unique id is ``identifier`` (or built from its identifier dict).

        Raises ValueError when ``model`` is a name the adapter does not know and ``identifier`` is a dict,
        ObjectNotFound when no such object is stored.
        """

    @abc.abstractmethod
    def get_all(self, *, model: ModelSpec) -> list[DiffSyncModel]:
        """Every object of ``model``, in insertion order (empty list for an unknown model)."""

    @abc.abstractmethod
    def get_by_uids(self, *, uids: list[str], model: ModelSpec) -> list[DiffSyncModel]:
        """The objects of ``model`` with these unique ids, in the order given; ObjectNotFound if one is missing."""

    @abc.abstractmethod
    def add(self, *, obj: DiffSyncModel) -> None:
        """Store ``obj``; ObjectAlreadyExists when a different object has the same unique id.

        Adding the very same object again is a no-op. The object's ``adapter`` is set when it has none.
        """

    @abc.abstractmethod
    def update(self, *, obj: DiffSyncModel) -> None:
        """Store ``obj`` in place of whatever has its unique id (adding it when absent)."""

    def remove(self, *, obj: DiffSyncModel, remove_children: bool = False) -> None:
        """Remove ``obj`` (and, with ``remove_children``, its descendants); ObjectNotFound if absent.

        Stores override it; the default keeps diffsync's contract for stores that implement only
        ``remove_item(modelname, uid)``.
        """
        self.remove_item(obj.get_type(), obj.get_unique_id())
        if obj.adapter is not None:
            obj.adapter = None
        if remove_children:
            self._remove_children(obj)

    def remove_item(self, modelname: str, uid: str) -> None:
        """Remove one stored object by model name and unique id (diffsync's hook behind ``remove``)."""
        raise NotImplementedError(f"{type(self).__name__} implements neither remove() nor remove_item()")

    @abc.abstractmethod
    def count(self, *, model: ModelSpec | None = None) -> int:
        """Number of objects of ``model``, or of all models when ``model`` is None."""

    # -- optional hooks with safe defaults ---------------------------------------------------------

    def add_with_plan(self, obj: DiffSyncModel, plan: ModelPlan) -> None:
        """``add(obj=obj)`` for a caller that already holds the plan of ``obj``'s class (``Adapter.add``).
        A store may use the plan to skip looking it up again, and must otherwise do what its ``add`` does;
        by default it calls ``add``."""
        self.add(obj=obj)

    def object_changed(self, obj: DiffSyncModel) -> None:  # noqa: B027 - optional hook, no-op by default
        """Tell the store that a stored object changed in place (children added or removed, attributes set).

        In-memory stores need nothing; persistent stores write the object back.
        """

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the writes made inside the block; stores that can, apply them all or none."""
        yield

    def close(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Release connections or files held by the store. Safe to call twice."""

    def clear(self) -> None:
        """Remove every object of this store (its metadata stays). Persistent stores must override it."""
        for modelname in self.get_all_model_names():
            for obj in self.get_all(model=modelname):
                self.remove(obj=obj)

    def get_metadata(self, key: str) -> str | None:
        """A text value kept beside the objects (for example the schema an adapter was loaded with), or None."""
        return self._metadata().get(key)

    def set_metadata(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key`` beside the objects. Persistent stores must override it to persist."""
        self._metadata()[key] = value

    def _metadata(self) -> dict[str, str]:
        metadata = self.__dict__.get("_metadata_values")
        if metadata is None:
            metadata = self.__dict__["_metadata_values"] = {}
        return metadata

    # -- operations built on the interface ---------------------------------------------------------

    def get_or_none(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel | None:
        """Like ``get``, but None when no such object is stored (stores may answer without raising)."""
        try:
            return self.get(model=model, identifier=identifier)
        except ObjectNotFound:
            return None

    def get_or_instantiate(
        self, *, model: type[DiffSyncModel], ids: dict, attrs: dict | None = None
    ) -> tuple[DiffSyncModel, bool]:
        """The stored object with ``ids``, or a new ``model(**ids, **attrs)`` added now; and whether it was created."""
        try:
            return self.get(model=model, identifier=ids), False
        except ObjectNotFound:
            obj = model(**ids, **(attrs or {}))
            self.add(obj=obj)
            return obj, True

    def get_or_add_model_instance(self, obj: DiffSyncModel) -> tuple[DiffSyncModel, bool]:
        """The stored object with ``obj``'s unique id, or ``obj`` itself added now; and whether it was added."""
        try:
            return self.get(model=obj.get_type(), identifier=obj.get_unique_id()), False
        except ObjectNotFound:
            self.add(obj=obj)
            return obj, True

    def update_or_instantiate(
        self, *, model: type[DiffSyncModel], ids: dict, attrs: dict
    ) -> tuple[DiffSyncModel, bool]:
        """Like ``get_or_instantiate``, then set ``attrs`` on the object that is returned."""
        obj, created = self.get_or_instantiate(model=model, ids=ids, attrs=attrs)
        changed = False
        for attr, value in attrs.items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
                changed = True
        if changed:
            self.object_changed(obj)
        return obj, created

    def update_or_add_model_instance(self, obj: DiffSyncModel) -> tuple[DiffSyncModel, bool]:
        """Like ``get_or_add_model_instance``, then copy ``obj``'s attributes onto the object returned."""
        attrs = obj.get_attrs()
        stored, added = self.get_or_add_model_instance(obj)
        for attr, value in attrs.items():
            setattr(stored, attr, value)
        if not added:
            self.object_changed(stored)
        return stored, added

    # -- helpers for subclasses ----------------------------------------------------------------------

    def _get_object_class_and_model(self, model: ModelSpec) -> tuple[Any, str]:
        """The model class (or instance) and model name that ``model`` refers to; class is None if unknown."""
        if isinstance(model, str):
            return getattr(self.adapter, model, None), model
        return model, modelname_of(model)

    def _resolve_key(self, model: ModelSpec, identifier: str | dict) -> tuple[str, str]:
        """(model name, unique id) for a ``get``-style lookup."""
        if isinstance(identifier, str):
            return (model if isinstance(model, str) else modelname_of(model)), identifier
        object_class, modelname = self._get_object_class_and_model(model)
        return modelname, self._get_uid(model, object_class, identifier)

    @staticmethod
    def _get_uid(model: ModelSpec, object_class: Any, identifier: str | dict) -> str:
        """The unique id for ``identifier``; ValueError when a dict is given without a model class."""
        if isinstance(identifier, str):
            return identifier
        if object_class is not None:
            return str(object_class.create_unique_id(**identifier))
        raise ValueError(
            f"Invalid args: ({model}, {object_class}, {identifier}): "
            f"either {object_class} should be a class/instance or {identifier} should be a str"
        )

    @staticmethod
    def _model_name(model: ModelSpec | None) -> str | None:
        """The model name of ``model`` (a name, class or instance), or None."""
        if model is None or isinstance(model, str):
            return model
        return modelname_of(model)

    def _admit(self, existing: DiffSyncModel | None, obj: DiffSyncModel) -> bool:
        """Whether ``add`` must store ``obj``, given what holds its key now: False when it is the very same
        object, ObjectAlreadyExists (naming both) when it is another; binds the store's adapter to ``obj``."""
        if existing is obj:
            return False
        if existing is not None:
            check_can_add(existing, obj, self)
        if obj.adapter is None and self.adapter is not None:
            bind_adapter(obj, self.adapter)
        return True

    def _remove_children(self, obj: DiffSyncModel) -> None:
        """Remove every stored descendant of ``obj``; missing children are logged and skipped."""
        for child_type, fieldname in obj.get_children_mapping().items():
            for child_id in list(getattr(obj, fieldname)):
                try:
                    child = self.get(model=child_type, identifier=child_id)
                except ObjectNotFound:
                    _log.error(
                        "Cannot remove child %s %r of %s %r from %s: not found",
                        child_type, child_id, obj.get_type(), obj.get_unique_id(), self,
                    )
                    continue
                self.remove(obj=child, remove_children=True)


def check_can_add(existing: DiffSyncModel, new: DiffSyncModel, store: BaseStore) -> None:
    """Raise ObjectAlreadyExists for ``new``, whose unique id is taken by ``existing``, naming both objects."""
    uid = new.get_unique_id()
    if existing.get_identifiers() != new.get_identifiers():
        raise ObjectAlreadyExists(
            f"Object {uid} already present: unique id collision in {store}: {new.get_type()} with identifiers "
            f"{new.get_identifiers()!r} has the same unique id {uid!r} as the stored one with identifiers "
            f"{existing.get_identifiers()!r}",
            existing,
        )
    raise ObjectAlreadyExists(
        f"Object {uid} already present in {store}: {new.get_type()} {uid!r} is stored with attributes "
        f"{existing.get_attrs()!r}; the new object has {new.get_attrs()!r}",
        existing,
    )
