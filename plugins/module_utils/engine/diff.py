"""Diff and DiffElement: the result of comparing two adapters (diffsync 2.2.3 API and output)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator
from functools import total_ordering
from itertools import chain
from typing import Any

from .enum import DiffSyncActions
from .exceptions import ObjectAlreadyExists
from .model import DiffSyncModel
from .model_plan import known_plan, new_plan

StrType = str  # ``str`` is shadowed by the ``str()`` methods below
_ORDER_NAMES: builtins.dict[StrType, StrType] = {}
_SUMMARY_KEYS = (DiffSyncActions.CREATE, DiffSyncActions.UPDATE, DiffSyncActions.DELETE, "no-change")


class Groups(builtins.dict[StrType, builtins.dict[StrType, "DiffElement"]]):
    """``Diff.children``: elements by model name, then by element name, in insertion order; a missing
    model name gets an empty group (diffsync uses an OrderedDict subclass; a dict is ordered and smaller)."""

    __slots__ = ()

    def __missing__(self, key: StrType) -> builtins.dict[StrType, DiffElement]:
        group: builtins.dict[StrType, DiffElement] = {}
        self[key] = group
        return group


class Diff:
    """DiffElements grouped by model name: ``children[model_name][element_name]``, in insertion order.

    Subclasses may define ``order_children_<model_name>(children)`` to change the order in which
    ``get_children()`` (and so ``dict()`` and a sync) visits a group; ``str()`` keeps insertion order.
    """

    __slots__ = ("children", "models_processed", "__dict__")  # a child diff per parent element: kept small

    def __init__(self) -> None:
        self.children: Groups = Groups()
        self.models_processed = 0

    def __len__(self) -> int:
        """Number of elements, counting every descendant."""
        return sum(len(child) for child in self.get_children())

    def complete(self) -> None:
        """Called once the diff is fully built; a subclass may persist or post-process it here."""

    def add(self, element: DiffElement) -> None:
        """Add ``element``; ObjectAlreadyExists when its group already has an element of that name."""
        group = self.children[element.type]
        if element.name in group:
            raise ObjectAlreadyExists(f"Already storing a {element.type} named {element.name}", element)
        group[element.name] = element

    def groups(self) -> list[StrType]:
        """The model names present, in insertion order."""
        return list(self.children.keys())

    def has_diffs(self) -> bool:
        """True when any element, or any descendant, calls for a change."""
        return any(
            child.has_diffs(include_children=True) for group in self.children.values() for child in group.values()
        )

    def get_children(self) -> Iterator[DiffElement]:
        """Every top element, group by group, each group in the order its ``order_children_*`` hook gives."""
        groups = self.children
        if len(groups) == 1:  # (a child diff nearly always holds one group: no chain of generators to step through)
            for group, elements in groups.items():
                return iter(self._order_method(group)(elements))
        return chain.from_iterable(self._order_method(group)(elements) for group, elements in groups.items())

    def _order_method(self, group: StrType) -> Callable[[builtins.dict[StrType, DiffElement]], Iterable[DiffElement]]:
        """The ``order_children_<group>`` hook, or the default order."""
        name = _ORDER_NAMES.get(group)
        if name is None:
            name = _ORDER_NAMES[group] = f"order_children_{group}"
        method = getattr(self, name, None)  # (reading self.__dict__ would create one on every child diff)
        return method if method is not None else self.order_children_default

    @classmethod
    def order_children_default(cls, children: builtins.dict[StrType, DiffElement]) -> Iterator[DiffElement]:
        """Insertion order."""
        return iter(children.values())

    def summary(self) -> builtins.dict[StrType, int]:
        """Counts of create/update/delete/no-change elements, plus ``skip`` for models left out of the diff."""
        counts = dict.fromkeys(_SUMMARY_KEYS, 0)
        for child in self.get_children():
            child.count_into(counts)
        counts[DiffSyncActions.SKIP] = (
            self.models_processed
            - counts[DiffSyncActions.CREATE]
            - 2 * counts[DiffSyncActions.UPDATE]  # an update or no-change pair was processed on both sides
            - counts[DiffSyncActions.DELETE]
            - 2 * counts["no-change"]
        )
        return counts

    def str(self, indent: int = 0) -> StrType:
        """Human-readable view of the elements that have diffs, or ``(no diffs)``."""
        margin = " " * indent
        lines = []
        for group, elements in self.children.items():
            changed = [child for child in elements.values() if child.has_diffs(include_children=True)]
            if changed:
                lines.append(f"{margin}{group}")
                lines.extend(child.str(indent + 2) for child in changed)
        return "\n".join(lines) or "(no diffs)"

    def dict(self) -> builtins.dict[StrType, builtins.dict[StrType, builtins.dict]]:
        """``{model_name: {element_name: element.dict()}}`` for the elements that have diffs."""
        result: builtins.dict[StrType, builtins.dict[StrType, builtins.dict]] = {}
        for child in self.get_children():
            if child.has_diffs(include_children=True):
                result.setdefault(child.type, {})[child.name] = child.dict()
        return result


@total_ordering
class DiffElement:  # pylint: disable=too-many-instance-attributes
    """One object as seen on both sides: its keys, its attributes on each side, and its children's diff.

    ``source_attrs``/``dest_attrs`` are None when the object is absent on that side.

    Memory: the differ gives an element the attribute *values* of each side as tuples beside one shared
    tuple of names (equal sides share one tuple), and the object to read ``keys`` from; the dicts are
    built on first access and kept from then on (so changes made to them stick), and an element whose
    dicts were never asked for is compared on its tuples.
    """

    # No __dict__ (it would cost every element an allocation; subclasses get one). ``_context`` holds
    # (source_name, dest_name, diff class), one tuple shared by the elements of one diff; ``_keys`` the
    # keys dict, or the object to read them from.
    __slots__ = ("type", "name", "_keys", "_context", "_source_attrs", "_dest_attrs",
                 "_attr_names", "_source_values", "_dest_values", "_child_diff", "_dst_model")

    def __init__(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self,
        obj_type: StrType,
        name: StrType,
        keys: builtins.dict,
        source_name: StrType = "source",
        dest_name: StrType = "dest",
        diff_class: builtins.type[Diff] = Diff,
    ) -> None:
        if not isinstance(obj_type, StrType):
            raise ValueError(f"obj_type must be a string (not {type(obj_type)})")
        if not isinstance(name, StrType):
            raise ValueError(f"name must be a string (not {type(name)})")
        self.type = obj_type
        self.name = name
        self._keys: Any = keys
        self._context: tuple[StrType, StrType, builtins.type[Diff]] = (source_name, dest_name, diff_class)
        self._source_attrs: builtins.dict | None = None
        self._dest_attrs: builtins.dict | None = None
        self._attr_names: tuple[StrType, ...] | None = None
        self._source_values: tuple | None = None
        self._dest_values: tuple | None = None
        self._child_diff: Diff | None = None
        self._dst_model: Any = None  # the destination object the differ saw (lets a sync skip lookups)

    @classmethod
    def packed(  # pylint: disable=too-many-arguments
        cls, obj_type: StrType, name: StrType, context: tuple[StrType, StrType, builtins.type[Diff]],
        names: tuple[StrType, ...], values: tuple[tuple | None, tuple | None], keys_from: Any, dst_model: Any,
    ) -> DiffElement:
        """The element the differ builds: ``context`` is (source name, dest name, diff class), ``values`` the
        attribute values of each side (None: absent) in ``names`` order, ``keys_from`` the object to read
        ``keys`` from. No argument checks: the differ passes strings."""
        element = cls.__new__(cls)
        element.type, element.name = obj_type, name
        element._context = context
        element._attr_names = names
        element._source_values, element._dest_values = values
        element._source_attrs = element._dest_attrs = element._child_diff = None
        element._keys, element._dst_model = keys_from, dst_model
        return element

    @property
    def source_name(self) -> StrType:
        """Name of the source adapter (as given to the differ)."""
        return self._context[0]

    @source_name.setter
    def source_name(self, value: StrType) -> None:
        self._context = (value, self._context[1], self._context[2])

    @property
    def dest_name(self) -> StrType:
        """Name of the destination adapter."""
        return self._context[1]

    @dest_name.setter
    def dest_name(self, value: StrType) -> None:
        self._context = (self._context[0], value, self._context[2])

    @property
    def keys(self) -> builtins.dict:
        """The identifiers of the object (read from it on first access when the differ built the element)."""
        keys = self._keys
        if isinstance(keys, DiffSyncModel):
            keys = self._keys = keys.get_identifiers()
        return keys  # type: ignore[no-any-return]

    @keys.setter
    def keys(self, value: builtins.dict) -> None:
        self._keys = value

    @property
    def source_attrs(self) -> builtins.dict | None:
        """The object's attributes in the source, or None when it is absent there."""
        if self._source_attrs is None and self._source_values is not None:
            self._source_attrs = dict(zip(self._attr_names, self._source_values, strict=True))  # type: ignore[arg-type]
            self._source_values = None
        return self._source_attrs

    @source_attrs.setter
    def source_attrs(self, value: builtins.dict | None) -> None:
        self._source_attrs, self._source_values = value, None

    @property
    def dest_attrs(self) -> builtins.dict | None:
        """The object's attributes in the destination, or None when it is absent there."""
        if self._dest_attrs is None and self._dest_values is not None:
            self._dest_attrs = dict(zip(self._attr_names, self._dest_values, strict=True))  # type: ignore[arg-type]
            self._dest_values = None
        return self._dest_attrs

    @dest_attrs.setter
    def dest_attrs(self, value: builtins.dict | None) -> None:
        self._dest_attrs, self._dest_values = value, None

    def _packed_state(self) -> int:
        """For an element whose dicts were never built: 0 nothing to do, 1 update, 2 create/delete; else -1."""
        if self._attr_names is None or self._source_attrs is not None or self._dest_attrs is not None:
            return -1
        source, dest = self._source_values, self._dest_values
        if source is None or dest is None:
            return 0 if source is dest else 2
        return 0 if source is dest or source == dest else 1

    @property
    def child_diff(self) -> Diff:
        """The diff of this element's children (created on first use to keep leaf elements small)."""
        if self._child_diff is None:
            self._child_diff = self._context[2]()
        return self._child_diff

    @child_diff.setter
    def child_diff(self, value: Diff) -> None:
        self._child_diff = value

    def __lt__(self, other: DiffElement) -> bool:
        return (self.type, self.name) < (other.type, other.name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DiffElement):
            return NotImplemented
        return (self.type, self.name, self.keys, self.source_attrs, self.dest_attrs) == (
            other.type, other.name, other.keys, other.source_attrs, other.dest_attrs)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> StrType:
        return (
            f'{self.type} "{self.name}" : {self.keys} : '
            f"{self.source_name} → {self.dest_name} : {self.get_attrs_diffs()}"
        )

    def __len__(self) -> int:
        """One for this element plus all its descendants."""
        return 1 + sum(len(child) for child in self.get_children())

    @property
    def action(self) -> StrType | None:
        """``create``, ``update``, ``delete``, or None when nothing is to be done for this element itself."""
        state = self._packed_state()
        if state == 0:
            return None
        if state == 1:
            return DiffSyncActions.UPDATE
        if state == 2:
            return DiffSyncActions.DELETE if self._source_values is None else DiffSyncActions.CREATE
        source, dest = self.source_attrs, self.dest_attrs
        if source is None:
            return DiffSyncActions.DELETE if dest is not None else None
        if dest is None:
            return DiffSyncActions.CREATE
        if source is not dest and any(source[key] != dest[key] for key in self.get_attrs_keys()):
            return DiffSyncActions.UPDATE
        return None

    def add_attrs(self, source: builtins.dict | None = None, dest: builtins.dict | None = None) -> None:
        """Set the source and/or destination attributes (None leaves that side as it was)."""
        if source is not None:
            self.source_attrs = source
        if dest is not None:
            self.dest_attrs = dest

    def get_attrs_keys(self) -> Iterable[StrType]:
        """Attribute names to compare: those on both sides, or on the one side present."""
        source, dest = self.source_attrs, self.dest_attrs
        if source is not None and dest is not None:
            return [key for key in dest if key in source]
        if dest is not None:
            return dest.keys()
        if source is not None:
            return source.keys()
        return []

    def get_attrs_diffs(self) -> builtins.dict[StrType, builtins.dict[StrType, Any]]:
        """``{"-": old values, "+": new values}`` of differing attributes; one side only for create/delete."""
        source, dest = self.source_attrs, self.dest_attrs
        if source is not None and dest is not None:
            changed = [key for key in self.get_attrs_keys() if source[key] != dest[key]]
            return {"-": {key: dest[key] for key in changed}, "+": {key: source[key] for key in changed}}
        if dest is not None:
            return {"-": dict(dest)}
        if source is not None:
            return {"+": dict(source)}
        return {}

    def new_values(self) -> builtins.dict[StrType, Any]:
        """``get_attrs_diffs().get("+", {})`` (what a create or update sets) without keeping attribute dicts."""
        if self._packed_state() < 0:
            return self.get_attrs_diffs().get("+", {})
        names, source, dest = self._attr_names, self._source_values, self._dest_values
        if source is None:
            return {}
        # (the tuples were packed by one packer along ``names``: no length check, whose keyword costs a slow call)
        if dest is None:
            return dict(zip(names, source))  # type: ignore[arg-type]  # noqa: B905
        return {name: new for name, new, old in zip(names, source, dest) if new != old}  # type: ignore[arg-type]  # noqa: B905

    def new_keys(self) -> builtins.dict[StrType, Any]:
        """A fresh copy of ``keys`` (read from the object when the element holds none yet, without keeping it)."""
        keys = self._keys
        if type(keys) is builtins.dict or not isinstance(keys, DiffSyncModel):
            return dict(self.keys)
        cls = type(keys)
        packer = (known_plan(cls) or new_plan(cls)).ids_packer
        if packer is None:
            return keys.get_identifiers()
        return packer.picks(keys.__dict__)  # what get_identifiers() returns

    def add_child(self, element: DiffElement) -> None:
        """Attach a child element (names must be unique per type)."""
        self.child_diff.add(element)

    def get_children(self) -> Iterator[DiffElement]:
        """The child elements, in the child diff's order."""
        if self._child_diff is not None:
            return self._child_diff.get_children()
        return iter(())

    def has_diffs(self, include_children: bool = True) -> bool:
        """True when this element (or, with ``include_children``, a descendant) calls for a change."""
        state = self._packed_state()
        if state > 0:
            return True
        if state == 0:
            return include_children and self._child_diff is not None and self._child_diff.has_diffs()
        source, dest = self.source_attrs, self.dest_attrs
        if (source is None) != (dest is None):
            return True
        if (
            source is not None
            and dest is not None
            and source is not dest
            and any(source.get(key) != dest.get(key) for key in self.get_attrs_keys())
        ):
            return True
        return include_children and self._child_diff is not None and self._child_diff.has_diffs()

    def count_into(self, counts: builtins.dict[StrType, int]) -> None:
        """Add this element's and its descendants' actions to ``counts``."""
        counts[self.action or "no-change"] += 1
        for child in self.get_children():
            child.count_into(counts)

    def summary(self) -> builtins.dict[StrType, int]:
        """Counts of create/update/delete/no-change for this element and its descendants."""
        counts = dict.fromkeys(_SUMMARY_KEYS, 0)
        self.count_into(counts)
        return counts

    def str(self, indent: int = 0) -> StrType:
        """Human-readable view of this element's changes and its children's."""
        margin = " " * indent
        result = f"{margin}{self.type}: {self.name}"
        if self.source_attrs is not None and self.dest_attrs is not None:
            diffs = self.get_attrs_diffs()
            for attr, new in diffs["+"].items():
                result += f"\n{margin}  {attr}    {self.source_name}({new})    {self.dest_name}({diffs['-'][attr]})"
        elif self.dest_attrs is not None:
            result += f" MISSING in {self.source_name}"
        elif self.source_attrs is not None:
            result += f" MISSING in {self.dest_name}"
        if self._child_diff is not None and self._child_diff.has_diffs():
            result += "\n" + self._child_diff.str(indent + 2)
        elif self.source_attrs is None and self.dest_attrs is None:
            result += " (no diffs)"
        return result

    def dict(self) -> builtins.dict[StrType, Any]:
        """``{"-": ..., "+": ..., <child model>: {...}}`` as diffsync renders an element."""
        result: builtins.dict[StrType, Any] = dict(self.get_attrs_diffs())
        if self._child_diff is not None and self._child_diff.has_diffs():
            result.update(self._child_diff.dict())
        return result
