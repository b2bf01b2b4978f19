"""In-memory store: live objects in insertion order, nothing persisted."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..exceptions import ObjectNotFound
from ..model import assign_fields, bind_adapter, set_uid_cache
from ..model_plan import known_plan, modelname_of, new_plan
from . import BaseStore, ModelSpec

if TYPE_CHECKING:
    from ..model import DiffSyncModel
    from ..model_plan import ModelPlan


class LocalStore(BaseStore):
    """Objects kept in ``_data[model_name][unique_id]``; the default store of every adapter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._data: defaultdict[str, dict[str, DiffSyncModel]] = defaultdict(dict)

    def get_all_model_names(self) -> set[str]:
        return set(self._data.keys())

    def get(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel:
        modelname, uid = self._resolve_key(model, identifier)
        try:
            return self._data[modelname][uid]
        except KeyError:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}") from None

    def get_or_none(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel | None:
        if type(self).get is not LocalStore.get:  # a subclass's own get() decides
            return super().get_or_none(model=model, identifier=identifier)
        modelname, uid = self._resolve_key(model, identifier)
        return self._data[modelname].get(uid)  # (no ObjectNotFound raised and caught: a sync asks this often)

    def get_all(self, *, model: ModelSpec) -> list[DiffSyncModel]:
        return list(self._data[self._model_name(model)].values())  # type: ignore[index]

    def get_by_uids(self, *, uids: list[str], model: ModelSpec) -> list[DiffSyncModel]:
        modelname = self._model_name(model)
        objects = self._data[modelname]  # type: ignore[index]
        try:
            return list(map(objects.__getitem__, uids))
        except KeyError as exc:
            raise ObjectNotFound(f"{modelname} {exc.args[0]} not present in {self}") from None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "add" in vars(cls) and "add_with_plan" not in vars(cls):  # its own add() sees every object added
            cls.add_with_plan = BaseStore.add_with_plan  # type: ignore[method-assign]

    def add(self, *, obj: DiffSyncModel) -> None:
        cls = type(obj)
        # LocalStore's own: a subclass that overrides add() has BaseStore's add_with_plan, which calls add()
        LocalStore.add_with_plan(self, obj, known_plan(cls) or new_plan(cls))

    def add_with_plan(self, obj: DiffSyncModel, plan: ModelPlan) -> None:
        """``add(obj=obj)`` without looking up the plan again (a load adds every object through here)."""
        fields = obj.__dict__  # (read once: each read of a model's attribute passes pydantic's hook)
        uid_of = plan.uid_of
        if uid_of is not None:  # what get_unique_id() computes, without the call (see model_plan.py); cached for it
            uid = uid_of(fields)
            set_uid_cache(obj, uid)
        else:
            uid = obj.get_unique_id()
        objects = self._data[plan.modelname]
        existing = objects.setdefault(uid, obj)  # (one lookup: stored now, or what holds the key)
        if existing is obj:  # stored now (the usual case of _admit, inline), or already this very object
            if fields["adapter"] is None and self.adapter is not None:
                bind_adapter(obj, self.adapter, plan, fields)
        elif self._admit(existing, obj):
            objects[uid] = obj

    def update(self, *, obj: DiffSyncModel) -> None:
        self._data[obj.get_type()][obj.get_unique_id()] = obj

    def remove(self, *, obj: DiffSyncModel, remove_children: bool = False) -> None:
        modelname, uid = modelname_of(obj), obj.get_unique_id()
        try:
            del self._data[modelname][uid]
        except KeyError:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}") from None
        if obj.adapter is not None:
            assign_fields(obj, {"adapter": None})
        if remove_children:
            self._remove_children(obj)

    def count(self, *, model: ModelSpec | None = None) -> int:
        if model is None:
            return sum(len(objects) for objects in self._data.values())
        return len(self._data[self._model_name(model)])  # type: ignore[index]
