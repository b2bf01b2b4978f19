"""DiffSyncModel: the base class of every synced object (pydantic v2, diffsync 2.2.3 API)."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from ._deps import BaseModel, ConfigDict, ModelMetaclass
from .enum import DiffSyncModelFlags, DiffSyncStatus
from .exceptions import ObjectNotFound, ObjectStoreWrongType
from .fieldsets import SharedFieldsSet, private_fields_set, set_fields_set, shared_fields_set
from .model_checks import AttrsPacker, FieldPlan, check_declarations, join_builder, uses_custom_serializers
from .model_children import ChildIndex
from .model_defaults import fresh_empty_defaults
from .model_plan import ModelPlan, forget_plans, known_plan, modelname_of, new_plan
from .model_status import read_status, write_status

if TYPE_CHECKING:
    from typing import Self

    from .adapter import Adapter

StrType = str  # ``str`` is shadowed by the ``str()`` method inside the class body
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))


# Class attributes that the settings derived at class definition (``derive_settings``) are computed from
_DECLARATIONS = frozenset((
    "_modelname", "_identifiers", "_shortname", "_attributes", "_children",
    "get_attrs", "get_identifiers", "create_unique_id", "get_shortname",
))


class DiffSyncModelClass(ModelMetaclass):
    """Pydantic's model metaclass; assigning or deleting a class attribute also drops the model plans
    (see model_plan.py), so hot paths see a method or setting changed on a class after its first use. A
    declaration or method the derived settings come from (``_DECLARATIONS``) also derives them again, for
    the class and its subclasses, as diffsync reads them on every call (objects keep the unique ids and
    shortnames they already cached, until one of their identifier or shortname fields is assigned)."""

    def __setattr__(cls, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        cls._changed(name)

    def __delattr__(cls, name: str) -> None:
        super().__delattr__(name)
        cls._changed(name)

    def _changed(cls, name: str) -> None:
        forget_plans()
        if name in _DECLARATIONS:
            for model in (cls, *_subclasses(cls)):
                if "_ids_plan" in vars(model):  # derived once already (not DiffSyncModel itself)
                    derive_settings(model)  # type: ignore[arg-type]


def _subclasses(cls: type) -> list[type]:
    """Every subclass of ``cls``, at any depth."""
    found: list[type] = []
    sub: type
    for sub in type.__subclasses__(cls):
        found += [sub, *_subclasses(sub)]
    return found


class DiffSyncModel(BaseModel, metaclass=DiffSyncModelClass):
    """One object of a data source: identifiers, attributes, and unique ids of its children.

    Subclasses declare ``_modelname``, ``_identifiers``, optional ``_shortname``, ``_attributes`` and
    ``_children`` (``{child_modelname: field_name}``); a field may appear in only one of identifiers,
    attributes and children. Declarations are checked when the subclass is defined.
    """

    # Per-instance bookkeeping that is not model data: kept out of ``==``, copies and dumps. Unset until first
    # computed (a store fills the unique id when it adds the object, get_shortname() the shortname): no per-object
    # hook runs when a model is built. Read and written through the slot descriptors' own __get__/__set__
    # (bound once, below): an unset slot then raises AttributeError at once, where ``self._uid_cache`` would
    # first run pydantic's __getattr__. None: not computed, or an identifier changed since.
    __slots__ = ("_child_indexes", "_uid_cache", "_shortname_cache")
    if TYPE_CHECKING:
        _child_indexes: builtins.dict[StrType, ChildIndex] | None
        _uid_cache: StrType | None
        _shortname_cache: StrType | None

    _modelname: ClassVar[str] = "diffsyncmodel"
    _identifiers: ClassVar[tuple[str, ...]] = ()
    _shortname: ClassVar[tuple[str, ...]] = ()
    _attributes: ClassVar[tuple[str, ...]] = ()
    _children: ClassVar[builtins.dict[str, str]] = {}
    _plain_dump: ClassVar[bool] = True
    _field_plans: ClassVar[builtins.dict[tuple[str, ...], FieldPlan]] = {}
    _identity_fields: ClassVar[frozenset[str]] = frozenset()
    _ids_plan: ClassVar[FieldPlan | None] = None
    _attrs_plan: ClassVar[FieldPlan | None] = None
    _children_fields: ClassVar[frozenset[str]] = frozenset()
    _fast_uid: ClassVar[bool] = False
    # staticmethod(function of __dict__ -> str) or None; see join_builder
    _uid_of: ClassVar[Any] = None
    _shortname_from_ids: ClassVar[bool] = False  # equal identifiers imply equal shortnames
    _shortname_of: ClassVar[Any] = None
    _shared_fields_sets: ClassVar[builtins.dict[frozenset[str] | None, SharedFieldsSet]] = {}
    _attrs_packer: ClassVar[AttrsPacker | None] = None
    _ids_packer: ClassVar[AttrsPacker | None] = None

    model_flags: DiffSyncModelFlags = DiffSyncModelFlags.NONE
    adapter: Adapter | None = None  # resolved by model_rebuild() in adapter.py

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        check_declarations(cls)
        derive_settings(cls)

    @classmethod
    def __pydantic_on_complete__(cls) -> None:  # pydantic >= 2.12: the class can now validate
        super().__pydantic_on_complete__()
        fresh_empty_defaults(cls)

    def __setattr__(self, name: StrType, value: Any) -> None:
        if name in self._identity_fields:  # the cached unique id / shortname would go stale
            set_uid_cache(self, None)
            set_shortname_cache(self, None)
        elif name in self._children_fields:  # a new children list: its index must be rebuilt
            indexes = self._child_indexes_or_none()
            if indexes:
                indexes.pop(name, None)
        private_fields_set(self, name)
        super().__setattr__(name, value)

    # The status lives in ``__pydantic_private__`` (see model_status.py).
    @property
    def _status(self) -> DiffSyncStatus:
        return read_status(self)[0]

    @_status.setter
    def _status(self, value: DiffSyncStatus) -> None:
        write_status(self, value, read_status(self)[1])

    @property
    def _status_message(self) -> StrType:
        return read_status(self)[1]

    @_status_message.setter
    def _status_message(self, value: StrType) -> None:
        write_status(self, read_status(self)[0], value)

    def __repr__(self) -> StrType:
        return f'{self.get_type()} "{self.get_unique_id()}"'

    def __str__(self) -> StrType:
        return self.get_unique_id()

    # -- views -----------------------------------------------------------------------------------

    def dict(self, **kwargs: Any) -> builtins.dict[StrType, Any]:
        """``model_dump`` without the ``adapter`` field unless ``exclude`` is given."""
        kwargs.setdefault("exclude", {"adapter"})
        return self.model_dump(**kwargs)

    def json(self, **kwargs: Any) -> StrType:
        """``model_dump_json`` without ``adapter`` and, unless told otherwise, without default values."""
        kwargs.setdefault("exclude", {"adapter"})
        kwargs.setdefault("exclude_defaults", True)
        return self.model_dump_json(**kwargs)

    def str(self, include_children: bool = True, indent: int = 0) -> StrType:
        """Multi-line view of this object and, when it has an adapter, its children's views."""
        margin = " " * indent
        lines = [f"{margin}{self.get_type()}: {self.get_unique_id()}: {self.get_attrs()}"]
        for modelname, fieldname in self._children.items():
            child_ids = getattr(self, fieldname)
            if not child_ids:
                lines.append(f"{margin}  {fieldname}: []")
            elif self.adapter is None or not include_children:
                lines.append(f"{margin}  {fieldname}: {child_ids}")
            else:
                lines.append(f"{margin}  {fieldname}")
                lines.extend(self._child_view(modelname, child_id, indent) for child_id in child_ids)
        return "\n".join(lines)

    def _child_view(self, modelname: StrType, child_id: StrType, indent: int) -> StrType:
        try:
            return self.adapter.get(modelname, child_id).str(indent=indent + 4)  # type: ignore[union-attr]
        except ObjectNotFound:
            return f"{' ' * indent}    {child_id} (ERROR: details unavailable)"

    # -- status ------------------------------------------------------------------------------------

    # Record the outcome of the last create/update/delete: ``set_status(status, message="")``. The
    # function itself, not a method calling it: a sync sets a status on nearly every object.
    set_status = write_status

    def get_status(self) -> tuple[DiffSyncStatus, StrType]:
        """The outcome of the last create/update/delete and its message."""
        return read_status(self)

    # -- CRUD hooks (override create/update/delete; call the *_base forms or super()) ------------------

    @classmethod
    def create_base(cls, adapter: Adapter, ids: builtins.dict, attrs: builtins.dict) -> Self | None:
        """Build the object from ``ids`` and ``attrs``; no side effects beyond the status."""
        model = cls(**ids, adapter=adapter, **attrs)
        model.set_status(DiffSyncStatus.SUCCESS, "Created successfully")
        return model

    @classmethod
    def create(cls, adapter: Adapter, ids: builtins.dict, attrs: builtins.dict) -> Self | None:
        """Create the object in the backend; return it, or None to skip its children. May raise ObjectNotCreated."""
        return cls.create_base(adapter=adapter, ids=ids, attrs=attrs)

    def update_base(self, attrs: builtins.dict) -> Self | None:
        """Set ``attrs`` on this object."""
        assign_fields(self, attrs)
        self.set_status(DiffSyncStatus.SUCCESS, "Updated successfully")
        return self

    def update(self, attrs: builtins.dict) -> Self | None:
        """Update the backend; return self, or None to skip the children. May raise ObjectNotUpdated."""
        return self.update_base(attrs=attrs)

    def delete_base(self) -> Self | None:
        """Mark this object deleted."""
        self.set_status(DiffSyncStatus.SUCCESS, "Deleted successfully")
        return self

    def delete(self) -> Self | None:
        """Delete from the backend; return self, or None to skip the children. May raise ObjectNotDeleted."""
        return self.delete_base()

    # -- identity ------------------------------------------------------------------------------------

    @classmethod
    def get_type(cls) -> StrType:
        """The model name."""
        return cls._modelname

    @classmethod
    def create_unique_id(cls, **identifiers: Any) -> StrType:
        """The unique id for these identifier values: their string forms joined by ``__``."""
        return "__".join([str(identifiers[key]) for key in cls._identifiers])

    @classmethod
    def get_children_mapping(cls) -> builtins.dict[StrType, StrType]:
        """``{child_modelname: field_name}``."""
        return cls._children

    def _dump_fields(self, names: tuple[StrType, ...], plan: FieldPlan | None = None) -> builtins.dict[StrType, Any]:
        """Field values as ``model_dump`` would give them, without its cost for plain values."""
        if plan is None or plan.names is not names:
            plan = self._field_plans.get(names)
            if plan is None:
                plan = self._field_plans[names] = FieldPlan.of(type(self), names)
        if plan.plain:
            values = self.__dict__
            picked = {name: values[name] for name in plan.ordered}
            if plan.typed or all(type(value) in _PLAIN_TYPES for value in picked.values()):
                return picked
        return self.model_dump(include=set(names))

    def get_identifiers(self) -> builtins.dict[StrType, Any]:
        """Identifier names and values."""
        return self._dump_fields(self._identifiers, self._ids_plan)

    def get_attrs(self) -> builtins.dict[StrType, Any]:
        """Attribute names and values (only fields listed in ``_attributes``)."""
        return self._dump_fields(self._attributes, self._attrs_plan)

    def get_unique_id(self) -> StrType:
        """The unique id built from the identifiers (cached until an identifier field is assigned)."""
        try:
            uid = get_uid_cache(self)
        except AttributeError:  # not computed yet
            uid = None
        return uid if uid is not None else self._new_unique_id(self._uid_of)

    def _new_unique_id(self, uid_of: Callable[[builtins.dict[StrType, Any]], StrType] | None) -> StrType:
        """Compute the unique id without reading the cache, and cache it (for callers that know it is unset).
        ``uid_of``: the class's ``_uid_of`` (same result as ``create_unique_id(**get_identifiers())`` for
        str/int/... fields), or None to call those methods."""
        uid = uid_of(self.__dict__) if uid_of is not None else self.create_unique_id(**self.get_identifiers())
        set_uid_cache(self, uid)
        return uid

    def get_shortname(self) -> StrType:
        """The shortname (unique among siblings), or the unique id when ``_shortname`` is not declared."""
        if not self._shortname:
            return self.get_unique_id()
        try:
            shortname = get_shortname_cache(self)
        except AttributeError:  # not computed yet
            shortname = None
        if shortname is None:
            shortname_of = self._shortname_of
            shortname = (
                shortname_of(self.__dict__) if shortname_of is not None
                else "__".join([str(getattr(self, key)) for key in self._shortname])
            )
            set_shortname_cache(self, shortname)
        return shortname

    # -- children ---------------------------------------------------------------------------------

    def add_child(self, child: DiffSyncModel) -> None:
        """Record ``child``'s unique id in the matching children field, in O(1).

        Raises ObjectStoreWrongType for a type not in ``_children``, ObjectAlreadyExists when the same
        unique id, or (for models with ``_shortname``) the same shortname, is already a child.
        """
        cls = type(child)
        plan = known_plan(cls) or new_plan(cls)
        fieldname = self._children.get(plan.modelname) or self._child_field(plan.modelname, "store")
        fields = self.__dict__  # (one read through pydantic's hook, not two)
        try:
            values = fields[fieldname]
        except KeyError:  # a field left unset (model_construct): what reading the attribute gives, or its error
            values = getattr(self, fieldname)
        if not values and len(self._children) == 1:  # a first child, one children field: its index is all there is
            index = ChildIndex(values)  # (no read of the unset slot: that raises, once per parent in a load)
            set_child_indexes(self, {fieldname: index})
        else:
            try:  # (_child_indexes_or_none, inline: a load runs this per child; _child_index makes what is missing)
                indexes = get_child_indexes(self)
            except AttributeError:  # no child added yet
                indexes = None
            kept = indexes.get(fieldname) if indexes else None
            index = kept if kept is not None else self._child_index(fieldname, values, indexes)
        if plan.cached_uid:  # the caches hold what the methods return when the plan says so (see model_plan.py)
            try:
                uid = get_uid_cache(child)
            except AttributeError:  # not computed yet (a sync adds a created child here first, as diffsync does)
                uid = None
            if uid is None:  # (not read again through get_unique_id())
                uid = child._new_unique_id(plan.uid_of)
        else:
            uid = child.get_unique_id()
        shortname = None
        if plan.has_shortname:
            shortname_of = plan.shortname_of  # (what get_shortname() computes, without the call)
            shortname = shortname_of(child.__dict__) if shortname_of is not None else child.get_shortname()
        index.add(values, self, child, uid, shortname)
        adapter = fields["adapter"]
        if adapter is not None:
            adapter.store.object_changed(self)

    def _child_index(
        self, fieldname: StrType, values: list[StrType], indexes: builtins.dict[StrType, ChildIndex] | None
    ) -> ChildIndex:
        """The index of this object's ``fieldname`` list, made on first use (call its ``sync`` before reading it).
        ``indexes``: this object's index dict as the caller read it (``_child_indexes_or_none()``)."""
        if indexes is None:
            indexes = {}
            set_child_indexes(self, indexes)
        index = indexes.get(fieldname)
        if index is None:
            index = indexes[fieldname] = ChildIndex(values)
        return index

    def _child_indexes_or_none(self) -> builtins.dict[StrType, ChildIndex] | None:
        try:
            return get_child_indexes(self)
        except AttributeError:  # no child added yet
            return None

    def remove_child(self, child: DiffSyncModel) -> None:
        """Drop ``child``'s unique id from the matching children field.

        Raises ObjectStoreWrongType for a type not in ``_children``, ObjectNotFound if it is not a child.
        """
        modelname = modelname_of(child)
        fieldname = self._children.get(modelname) or self._child_field(modelname, "find and delete")
        values = getattr(self, fieldname)
        uid = child.get_unique_id()
        indexes = self._child_indexes_or_none()
        index = indexes.get(fieldname) if indexes else None
        if index is None:  # no index kept (a stored parent): list.remove scans once; no index is built for it
            try:
                values.remove(uid)
            except ValueError:
                raise ObjectNotFound(f"{child} was not found as a child in {fieldname}") from None
        else:
            index.sync(values)
            if not index.holds(values, uid):
                raise ObjectNotFound(f"{child} was not found as a child in {fieldname}")
            index.remove(values, uid, child)
        if self.adapter is not None:
            self.adapter.store.object_changed(self)

    def _child_field(self, child_type: StrType, verb: StrType) -> StrType:
        try:
            return self._children[child_type]
        except KeyError:
            raise ObjectStoreWrongType(
                f"Unable to {verb} {child_type} as a child of {self.get_type()}; "
                f"valid types are {sorted(self._children.keys())}"
            ) from None


def derive_settings(cls: type[DiffSyncModel]) -> None:
    """The class settings the hot paths read, derived from its declarations and methods: at definition,
    and again when one of those is assigned on the class (see ``DiffSyncModelClass``)."""
    cls._plain_dump = not uses_custom_serializers(cls)
    cls._field_plans = {}
    cls._ids_plan = FieldPlan.of(cls, cls._identifiers)
    cls._attrs_plan = FieldPlan.of(cls, cls._attributes)
    cls._identity_fields = frozenset(cls._identifiers) | frozenset(cls._shortname)
    cls._children_fields = frozenset(cls._children.values())
    cls._shared_fields_sets = {}
    cls._attrs_packer = AttrsPacker.of(cls._attrs_plan) if cls.get_attrs is DiffSyncModel.get_attrs else None
    plain_ids = cls.get_identifiers is DiffSyncModel.get_identifiers
    cls._ids_packer = AttrsPacker.of(cls._ids_plan) if plain_ids else None
    cls._fast_uid = (
        getattr(cls.create_unique_id, "__func__", None) is DiffSyncModel.create_unique_id.__func__  # type: ignore[attr-defined]
        and plain_ids
        and cls._ids_plan.typed
    )
    # unique ids and shortnames read straight from __dict__ (same strings as get_unique_id()'s and get_shortname()'s)
    # (staticmethod: a function stored on the class must not bind to the instance)
    cls._uid_of = staticmethod(join_builder(cls._identifiers)) if cls._fast_uid and cls._identifiers else None
    cls._shortname_of = (
        staticmethod(join_builder(cls._shortname))
        if cls._shortname and FieldPlan.of(cls, tuple(cls._shortname)).typed else None
    )
    cls._shortname_from_ids = cls.get_shortname is DiffSyncModel.get_shortname and (
        not cls._shortname or (cls._shortname_of is not None and set(cls._shortname) <= set(cls._identifiers))
    )


# The slots' getters and setters, bound once (``descriptor.__set__`` looked up on every call costs twice as much).
get_uid_cache: Callable[[DiffSyncModel], StrType | None] = DiffSyncModel.__dict__["_uid_cache"].__get__
set_uid_cache = DiffSyncModel.__dict__["_uid_cache"].__set__
get_shortname_cache: Callable[[DiffSyncModel], StrType | None] = DiffSyncModel.__dict__["_shortname_cache"].__get__
set_shortname_cache = DiffSyncModel.__dict__["_shortname_cache"].__set__
get_child_indexes: Callable[[DiffSyncModel], builtins.dict[StrType, ChildIndex] | None] = (
    DiffSyncModel.__dict__["_child_indexes"].__get__
)
set_child_indexes = DiffSyncModel.__dict__["_child_indexes"].__set__


def assign_fields(obj: DiffSyncModel, attrs: builtins.dict[StrType, Any]) -> None:
    """``setattr(obj, name, value)`` for each item: a write of ``__dict__`` where that is all the assignment would
    do (a field of ``ModelPlan.plain_fields`` already in the object's fields-set), the assignment otherwise."""
    cls = type(obj)
    plain = (known_plan(cls) or new_plan(cls)).plain_fields
    values, names = obj.__dict__, obj.__pydantic_fields_set__
    for attr, value in attrs.items():
        if attr in plain and attr in names:
            values[attr] = value
        else:
            setattr(obj, attr, value)


def bind_adapter(
    obj: DiffSyncModel, adapter: Any, plan: ModelPlan | None = None, fields: builtins.dict[StrType, Any] | None = None
) -> None:
    """Set ``obj.adapter`` as pydantic would (value and fields-set), without the cost of ``__setattr__``.
    ``plan`` and ``fields``: its class's plan and its ``__dict__``, when the caller has them at hand.

    The object then shares its fields-set with its peers (see fieldsets.py), and a parent drops the index
    of its children lists: once stored, a later ``add_child`` rebuilds it through the adapter (memory is
    kept for objects still being filled, not for every stored parent).
    """
    if plan is None:
        cls = type(obj)
        plan = known_plan(cls) or new_plan(cls)
    (obj.__dict__ if fields is None else fields)["adapter"] = adapter
    names = obj.__pydantic_fields_set__
    pool = plan.fields_sets
    shared = pool.get(None)  # the set its class shared last: nearly always the one, when made for the same names
    if shared is None or names != shared.base:
        shared = shared_fields_set(pool, names)
    set_fields_set(obj, shared)
    if plan.has_children:
        set_child_indexes(obj, None)
