"""The identity map of ``SQLiteStore``: its live objects, which models it holds completely, how to build them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import StoreCorrupted
from .serial import load_object, model_class_for

if TYPE_CHECKING:
    from ..adapter import Adapter
    from ..model import DiffSyncModel


def build_object(
    adapter: Adapter | None, label: str, modelname: str, uid: str, data: str, model_class: Any = None
) -> DiffSyncModel:
    """Rebuild the object stored under ``(modelname, uid)`` through the adapter's model class.

    ``model_class`` is ``resolve_model_class(adapter, modelname)``, resolved once by callers reading many.

    StoreCorrupted, naming the store (``label``), the model and the unique id, when the value is not
    JSON, does not fit the model, or describes an object with another unique id.
    """
    where = f"{label}: {modelname} {uid!r}"
    obj = load_object(adapter, modelname, data, where=where, model_class=model_class)
    if obj.get_unique_id() != uid:
        raise StoreCorrupted(
            f"{where}: the stored value has unique id {obj.get_unique_id()!r}; the row was changed outside the "
            f"store or the model's identifiers changed: delete the row, or clear the store and load it again"
        )
    return obj


def resolve_model_class(adapter: Adapter | None, modelname: str) -> Any:
    """The adapter's model class for ``modelname``, or None to let each object report what is wrong."""
    try:
        return model_class_for(adapter, modelname)
    except StoreCorrupted:
        return None


class LiveObjects:
    """Live objects per model name, in insertion order for the models held completely.

    A model is *complete* when every stored object of it is here, so a key missing from the map is
    known to be absent without asking SQLite: after the model was read in full, or for every model
    (``all_complete``) when the store_id was empty at open or was just cleared.
    """

    __slots__ = ("all_complete", "complete", "misses", "objects")

    def __init__(self, *, all_complete: bool) -> None:
        self.objects: dict[str, dict[str, DiffSyncModel]] = {}
        self.complete: set[str] = set()
        self.misses: dict[str, int] = {}
        self.all_complete = all_complete

    def get(self, modelname: str, uid: str) -> DiffSyncModel | None:
        """The live object under the key, or None."""
        objects = self.objects.get(modelname)
        return None if objects is None else objects.get(uid)

    def of(self, modelname: str) -> dict[str, DiffSyncModel]:
        """The live objects of ``modelname`` by unique id (a new empty dict when there are none)."""
        return self.objects.get(modelname, {})

    def put(self, modelname: str, uid: str, obj: DiffSyncModel) -> None:
        """Make ``obj`` the live object of its key (a new key goes last)."""
        objects = self.objects.get(modelname)
        if objects is None:
            objects = self.objects[modelname] = {}
        objects[uid] = obj

    def discard(self, modelname: str, uid: str) -> bool:
        """Drop the key; True when it was here."""
        objects = self.objects.get(modelname)
        return objects is not None and objects.pop(uid, None) is not None

    def is_complete(self, modelname: str) -> bool:
        """True when every stored object of ``modelname`` is here."""
        return self.all_complete or modelname in self.complete

    def set_model(self, modelname: str, objects: dict[str, DiffSyncModel]) -> None:
        """Replace the objects of ``modelname`` with all of its stored objects, in order."""
        if objects or modelname in self.objects:
            self.objects[modelname] = objects
        self.complete.add(modelname)

    def count_miss(self, modelname: str) -> int:
        """Count one lookup of ``modelname`` that had to ask SQLite; the number so far."""
        misses = self.misses[modelname] = self.misses.get(modelname, 0) + 1
        return misses

    def total(self) -> int:
        """Number of live objects."""
        return sum(len(objects) for objects in self.objects.values())

    def model_names(self) -> set[str]:
        """Names of the models with live objects."""
        return {name for name, objects in self.objects.items() if objects}

    def detach_all(self) -> None:
        """Unset the adapter of every live object (they leave the store)."""
        for objects in self.objects.values():
            for obj in objects.values():
                obj.adapter = None
