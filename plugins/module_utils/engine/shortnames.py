"""Shortnames of an adapter's top-level objects: each must be unique within its model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .exceptions import ObjectAlreadyExists

if TYPE_CHECKING:
    from .model import DiffSyncModel
    from .store import BaseStore


class ShortnameRegistry:
    """Which unique id holds which shortname, per model, built lazily from the store on first use."""

    def __init__(self) -> None:
        self._by_name: dict[str, dict[str, str]] = {}
        self._by_uid: dict[str, dict[str, str]] = {}

    def check(self, store: BaseStore, obj: DiffSyncModel, where: object) -> None:
        """Raise ObjectAlreadyExists, naming both objects, when another object holds ``obj``'s shortname."""
        modelname = obj.get_type()
        by_name = self._names(store, modelname)
        shortname, uid = obj.get_shortname(), obj.get_unique_id()
        other_uid = by_name.get(shortname)
        if other_uid is not None and other_uid != uid:
            raise ObjectAlreadyExists(
                f"Shortname collision in {where}: {modelname} {uid!r} and {other_uid!r} both have shortname "
                f"{shortname!r}; shortnames of top-level objects must be unique",
                store.get(model=modelname, identifier=other_uid),
            )

    def reserve(self, store: BaseStore, obj: DiffSyncModel) -> None:
        """Record ``obj``'s current shortname, releasing the one its unique id held before."""
        modelname, uid = obj.get_type(), obj.get_unique_id()
        self.release(modelname, uid)
        shortname = obj.get_shortname()
        self._names(store, modelname)[shortname] = uid
        self._by_uid[modelname][uid] = shortname

    def release(self, modelname: str, uid: str) -> None:
        """Forget the shortname held by ``uid`` (if the model's names are known yet)."""
        by_uid = self._by_uid.get(modelname)
        if by_uid is None:
            return
        shortname = by_uid.pop(uid, None)
        if shortname is not None and self._by_name[modelname].get(shortname) == uid:
            del self._by_name[modelname][shortname]

    def _names(self, store: BaseStore, modelname: str) -> dict[str, str]:
        by_name = self._by_name.get(modelname)
        if by_name is None:
            objects = store.get_all(model=modelname)
            self._by_uid[modelname] = {obj.get_unique_id(): obj.get_shortname() for obj in objects}
            by_name = self._by_name[modelname] = {name: uid for uid, name in self._by_uid[modelname].items()}
        return by_name
