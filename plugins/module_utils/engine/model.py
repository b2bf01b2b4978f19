"""DiffSyncModel: the base class of every synced object (pydantic v2, diffsync 2.2.3 API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict

from .enum import DiffSyncModelFlags, DiffSyncStatus
from .exceptions import ObjectAlreadyExists, ObjectNotFound, ObjectStoreWrongType
from .model_checks import check_declarations, uses_custom_serializers
from .model_children import ChildIndex

if TYPE_CHECKING:
    from typing import Self

    from .adapter import Adapter

StrType = str  # ``str`` is shadowed by the ``str()`` method inside the class body
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))


class DiffSyncModel(BaseModel):
    """One object of a data source: identifiers, attributes, and unique ids of its children.

    Subclasses declare ``_modelname``, ``_identifiers``, optional ``_shortname``, ``_attributes`` and
    ``_children`` (``{child_modelname: field_name}``); a field may appear in only one of identifiers,
    attributes and children. Declarations are checked when the subclass is defined.
    """

    # Per-instance bookkeeping that is not model data: kept out of ``==``, copies and dumps.
    __slots__ = ("_child_indexes",)

    _modelname: ClassVar[str] = "diffsyncmodel"
    _identifiers: ClassVar[tuple[str, ...]] = ()
    _shortname: ClassVar[tuple[str, ...]] = ()
    _attributes: ClassVar[tuple[str, ...]] = ()
    _children: ClassVar[dict[str, str]] = {}
    _plain_dump: ClassVar[bool] = True
    _field_orders: ClassVar[dict[tuple[str, ...], tuple[str, ...]]] = {}

    model_flags: DiffSyncModelFlags = DiffSyncModelFlags.NONE
    adapter: Optional["Adapter"] = None  # noqa: UP037 (resolved by model_rebuild in adapter.py)

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        check_declarations(cls)
        cls._plain_dump = not uses_custom_serializers(cls)
        cls._field_orders = {}

    # Status lives in ``__pydantic_private__`` but is not a pydantic private attribute: declaring one
    # costs several microseconds per instance, which dominates loading 100k objects.
    @property
    def _status(self) -> DiffSyncStatus:
        private = self.__pydantic_private__
        return private.get("_status", DiffSyncStatus.SUCCESS) if private else DiffSyncStatus.SUCCESS

    @_status.setter
    def _status(self, value: DiffSyncStatus) -> None:
        self._private()["_status"] = value

    @property
    def _status_message(self) -> StrType:
        private = self.__pydantic_private__
        return private.get("_status_message", "") if private else ""

    @_status_message.setter
    def _status_message(self, value: StrType) -> None:
        self._private()["_status_message"] = value

    def _private(self) -> dict[StrType, Any]:
        private = self.__pydantic_private__
        if private is None:
            private = {}
            object.__setattr__(self, "__pydantic_private__", private)
        return private

    def __repr__(self) -> StrType:
        return f'{self.get_type()} "{self.get_unique_id()}"'

    def __str__(self) -> StrType:
        return self.get_unique_id()

    # -- views -----------------------------------------------------------------------------------

    def dict(self, **kwargs: Any) -> dict[StrType, Any]:  # type: ignore[override]
        """``model_dump`` without the ``adapter`` field unless ``exclude`` is given."""
        kwargs.setdefault("exclude", {"adapter"})
        return self.model_dump(**kwargs)

    def json(self, **kwargs: Any) -> StrType:  # type: ignore[override]
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

    def set_status(self, status: DiffSyncStatus, message: StrType = "") -> None:
        """Record the outcome of the last create/update/delete on this object."""
        private = self._private()
        private["_status"] = status
        private["_status_message"] = message

    def get_status(self) -> tuple[DiffSyncStatus, StrType]:
        """The outcome of the last create/update/delete and its message."""
        return self._status, self._status_message

    # -- CRUD hooks (override create/update/delete; call the *_base forms or super()) ------------------

    @classmethod
    def create_base(cls, adapter: Adapter, ids: dict, attrs: dict) -> Self | None:
        """Build the object from ``ids`` and ``attrs``; no side effects beyond the status."""
        model = cls(**ids, adapter=adapter, **attrs)
        model.set_status(DiffSyncStatus.SUCCESS, "Created successfully")
        return model

    @classmethod
    def create(cls, adapter: Adapter, ids: dict, attrs: dict) -> Self | None:
        """Create the object in the backend; return it, or None to skip its children. May raise ObjectNotCreated."""
        return cls.create_base(adapter=adapter, ids=ids, attrs=attrs)

    def update_base(self, attrs: dict) -> Self | None:
        """Set ``attrs`` on this object."""
        for attr, value in attrs.items():
            setattr(self, attr, value)
        self.set_status(DiffSyncStatus.SUCCESS, "Updated successfully")
        return self

    def update(self, attrs: dict) -> Self | None:
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
        return "__".join(str(identifiers[key]) for key in cls._identifiers)

    @classmethod
    def get_children_mapping(cls) -> dict[StrType, StrType]:
        """``{child_modelname: field_name}``."""
        return cls._children

    def _dump_fields(self, names: tuple[str, ...]) -> dict[StrType, Any]:
        """Field values as ``model_dump`` would give them, without its cost for plain values."""
        values = self.__dict__
        if self._plain_dump:
            ordered = self._field_orders.get(names)
            if ordered is None:
                ordered = self._field_orders[names] = tuple(name for name in type(self).model_fields if name in names)
            picked = {name: values[name] for name in ordered if name in values}
            if all(type(value) in _PLAIN_TYPES for value in picked.values()):
                return picked
        return self.model_dump(include=set(names))

    def get_identifiers(self) -> dict[StrType, Any]:
        """Identifier names and values."""
        return self._dump_fields(self._identifiers)

    def get_attrs(self) -> dict[StrType, Any]:
        """Attribute names and values (only fields listed in ``_attributes``)."""
        return self._dump_fields(self._attributes)

    def get_unique_id(self) -> StrType:
        """The unique id built from the identifiers."""
        return self.create_unique_id(**self.get_identifiers())

    def get_shortname(self) -> StrType:
        """The shortname (unique among siblings), or the unique id when ``_shortname`` is not declared."""
        if self._shortname:
            return "__".join(str(getattr(self, key)) for key in self._shortname)
        return self.get_unique_id()

    # -- children ---------------------------------------------------------------------------------

    def add_child(self, child: DiffSyncModel) -> None:
        """Record ``child``'s unique id in the matching children field, in O(1).

        Raises ObjectStoreWrongType for a type not in ``_children``, ObjectAlreadyExists when the same
        unique id, or (for models with ``_shortname``) the same shortname, is already a child.
        """
        fieldname = self._child_field(child, "store")
        index = ChildIndex.of(self, fieldname)
        uid = child.get_unique_id()
        if uid in index.uids:
            raise ObjectAlreadyExists(f"Already storing a {child.get_type()} with unique_id {uid}", child)
        if child._shortname:
            index.check_shortname(self, child, uid)
        index.append(getattr(self, fieldname), uid, child)
        if self.adapter is not None:
            self.adapter.store.object_changed(self)

    def remove_child(self, child: DiffSyncModel) -> None:
        """Drop ``child``'s unique id from the matching children field.

        Raises ObjectStoreWrongType for a type not in ``_children``, ObjectNotFound if it is not a child.
        """
        fieldname = self._child_field(child, "find and delete")
        index = ChildIndex.of(self, fieldname)
        uid = child.get_unique_id()
        if uid not in index.uids:
            raise ObjectNotFound(f"{child} was not found as a child in {fieldname}")
        index.remove(getattr(self, fieldname), uid)
        if self.adapter is not None:
            self.adapter.store.object_changed(self)

    def _child_field(self, child: DiffSyncModel, verb: StrType) -> StrType:
        child_type = child.get_type()
        try:
            return self._children[child_type]
        except KeyError:
            raise ObjectStoreWrongType(
                f"Unable to {verb} {child_type} as a child of {self.get_type()}; "
                f"valid types are {sorted(self._children.keys())}"
            ) from None
