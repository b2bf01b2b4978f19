"""Computing a Diff between two adapters (same element order and counts as diffsync 2.2.3)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import starmap
from typing import TYPE_CHECKING, Any, Optional

from .diff import Diff, DiffElement
from .enum import DiffSyncFlags, DiffSyncModelFlags
from .logging import get_logger
from .model_plan import known_plan, new_plan
from .utils import intersection, symmetric_difference

if TYPE_CHECKING:
    from .adapter import Adapter
    from .model import DiffSyncModel
    from .model_checks import AttrsPacker

Pair = tuple[Optional["DiffSyncModel"], Optional["DiffSyncModel"]]
_log = get_logger("diff")


class DiffSyncDiffer:  # pylint: disable=too-few-public-methods
    """Builds the Diff that would turn ``dst_diffsync`` into ``src_diffsync``.

    Elements follow the destination's ``top_level`` order (types on both sides only); within a type,
    source objects in load order, then destination-only ones; children recursively per child type.
    """

    def __init__(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self,
        src_diffsync: Adapter,
        dst_diffsync: Adapter,
        flags: DiffSyncFlags,
        diff_class: type[Diff] = Diff,
        callback: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.src_diffsync = src_diffsync
        self.dst_diffsync = dst_diffsync
        self.flags = flags
        self.diff_class = diff_class
        self.callback = callback
        self.diff: Diff | None = None
        self.models_processed = 0
        self.total_models = len(src_diffsync) + len(dst_diffsync)
        self._skip_src = bool(flags & DiffSyncFlags.SKIP_UNMATCHED_SRC)
        self._skip_dst = bool(flags & DiffSyncFlags.SKIP_UNMATCHED_DST)
        self._src_name: str = src_diffsync.name
        self._dst_name: str = dst_diffsync.name
        self._context = (self._src_name, self._dst_name, diff_class)

    def incr_models_processed(self, delta: int = 1) -> None:
        """Count processed models and report progress to the callback."""
        if delta:
            self.models_processed += delta
            if self.callback:
                self.callback("diff", self.models_processed, self.total_models)

    def calculate_diffs(self) -> Diff:
        """Compute (once) and return the diff."""
        if self.diff is not None:
            return self.diff
        _log.info("Diff of %s into %s: %d models", self.src_diffsync, self.dst_diffsync, self.total_models)
        diff = self.diff_class()
        src_top, dst_top = self.src_diffsync.top_level, self.dst_diffsync.top_level
        for skipped in symmetric_difference(dst_top, src_top):
            side = self.dst_diffsync if skipped in dst_top else self.src_diffsync
            self.incr_models_processed(len(side.get_all(skipped)))
        for obj_type in intersection(dst_top, src_top):
            src_objs = self.src_diffsync.get_all(obj_type)
            dst_objs = self.dst_diffsync.get_all(obj_type)
            for element in self.diff_object_list(src=src_objs, dst=dst_objs):
                diff.add(element)
        diff.models_processed = self.models_processed
        self.diff = diff
        diff.complete()
        _log.info("Diff complete: %s", diff.summary() if _log.isEnabledFor(20) else "")
        return diff

    def diff_object_list(self, src: list[DiffSyncModel], dst: list[DiffSyncModel]) -> list[DiffElement]:
        """Elements for two lists of objects of one type, matched by unique id."""
        if not isinstance(src, Iterable) or not isinstance(dst, Iterable):
            raise TypeError(f"Type combination {type(src)}/{type(dst)} is not supported... for now")
        by_uid_src = src if isinstance(src, dict) else {obj.get_unique_id(): obj for obj in src}
        by_uid_dst = dst if isinstance(dst, dict) else {obj.get_unique_id(): obj for obj in dst}
        pairs: list[Pair] = [(obj, by_uid_dst.get(uid)) for uid, obj in by_uid_src.items()]
        pairs.extend((None, obj) for uid, obj in by_uid_dst.items() if uid not in by_uid_src)
        self.incr_models_processed(max(len(src) - len(pairs), 0) + max(len(dst) - len(pairs), 0))
        _validate_pairs(pairs)
        return [element for element in starmap(self.diff_object_pair, pairs) if element is not None]

    @staticmethod
    def validate_objects_for_diff(object_pairs: Iterable[Pair]) -> None:
        """TypeError/ValueError when a matched pair differs in type, shortname or identifiers."""
        _validate_pairs(object_pairs)

    def _skipped(
        self, src_obj: DiffSyncModel | None, dst_obj: DiffSyncModel | None, src_fields: dict | None,
        dst_fields: dict | None,
    ) -> bool:
        """True when flags on the call or on the models leave this pair out of the diff (``*_fields``: the
        models' ``__dict__``, where ``model_flags`` is unless a class made it a class attribute)."""
        if src_fields is not None and dst_fields is not None and (
            src_fields.get("model_flags") is dst_fields.get("model_flags") is _NO_FLAGS
        ):
            return False
        if src_obj is None:
            return self._skip_dst or bool(dst_obj.model_flags.value & _SKIP_DST_OR_IGNORE)  # type: ignore[union-attr]
        if dst_obj is None:
            return self._skip_src or bool(src_obj.model_flags.value & _SKIP_SRC_OR_IGNORE)
        return bool((src_obj.model_flags.value | dst_obj.model_flags.value) & _IGNORE)

    def diff_object_pair(
        self, src_obj: DiffSyncModel | None, dst_obj: DiffSyncModel | None
    ) -> DiffElement | None:
        """The element for one object seen on one or both sides, or None when it is skipped."""
        obj = src_obj if src_obj is not None else dst_obj
        if obj is None:
            raise RuntimeError("diff_object_pair() called with neither src_obj nor dst_obj??")
        # (reads through a model are slow, see model_plan.py: fields come from __dict__, settings from the plan)
        src_fields = src_obj.__dict__ if src_obj is not None else None
        dst_fields = dst_obj.__dict__ if dst_obj is not None else None
        if self._skipped(src_obj, dst_obj, src_fields, dst_fields):
            self.incr_models_processed()
            return None
        cls = type(obj)
        plan = known_plan(cls) or new_plan(cls)
        if src_obj is None or dst_obj is None or cls is type(dst_obj):
            packer = plan.attrs_packer
        else:
            packer = _common_packer(src_obj, dst_obj)
        shortname_of = plan.shortname_of  # what get_shortname() computes, from the fields, without the call
        fields: dict[str, Any] = src_fields if src_fields is not None else dst_fields  # type: ignore[assignment]
        shortname = shortname_of(fields) if shortname_of is not None else plan.get_shortname(obj)
        if packer is not None:
            source = packer.values(src_fields) if src_fields is not None else None
            dest = packer.values(dst_fields) if dst_fields is not None else None
            if source is not None and dest is not None and dest == source:
                dest = source  # equal sides share one tuple
            element = DiffElement.packed(
                plan.modelname, shortname, self._context, packer.names, (source, dest), obj, dst_obj
            )
        else:
            element = DiffElement(
                plan.modelname, shortname, obj.get_identifiers(), self._src_name, self._dst_name,
                self.diff_class,
            )
            element.source_attrs = src_obj.get_attrs() if src_obj is not None else None
            element.dest_attrs = dst_obj.get_attrs() if dst_obj is not None else None
            element._dst_model = dst_obj
        if self.callback is None:
            self.models_processed += (src_obj is not None) + (dst_obj is not None)
        else:
            self.incr_models_processed((src_obj is not None) + (dst_obj is not None))
        if plan.has_children:
            self.diff_child_objects(element, src_obj, dst_obj)
        return element

    def diff_child_objects(
        self, diff_element: DiffElement, src_obj: DiffSyncModel | None, dst_obj: DiffSyncModel | None
    ) -> DiffElement:
        """Diff the children of a pair, attaching their elements to ``diff_element``."""
        for child_type, src_field, dst_field in self._child_fields(src_obj, dst_obj):
            src_children = self._children_by_uid(self.src_diffsync, src_obj, src_field, child_type)
            dst_children = self._children_by_uid(self.dst_diffsync, dst_obj, dst_field, child_type)
            if not src_children and not dst_children:
                continue
            elements = self.diff_object_list(src=src_children, dst=dst_children)  # type: ignore[arg-type]
            if elements:  # (DiffElement.add_child, with the child diff looked up once)
                add = diff_element.child_diff.add
                for child_element in elements:
                    add(child_element)
        return diff_element

    @staticmethod
    def _children_by_uid(
        adapter: Adapter, obj: DiffSyncModel | None, field: str | None, child_type: str
    ) -> dict[str, DiffSyncModel]:
        """``{unique id: child}`` for the ids listed in ``obj``'s children ``field`` (the ids are the keys)."""
        if obj is None or field is None:
            return {}
        uids = getattr(obj, field)
        return dict(zip(uids, adapter.get_by_uids(uids, child_type), strict=True))

    def _child_fields(
        self, src_obj: DiffSyncModel | None, dst_obj: DiffSyncModel | None
    ) -> list[tuple[str, str | None, str | None]]:
        """(child type, source field, destination field) for child types to diff; counts one-sided types."""
        src_map = src_obj.get_children_mapping() if src_obj is not None else {}
        dst_map = dst_obj.get_children_mapping() if dst_obj is not None else {}
        if src_obj is None or dst_obj is None:
            return [(kind, src_map.get(kind), dst_map.get(kind)) for kind in (src_map or dst_map)]
        for kind, field in src_map.items():
            if kind not in dst_map:
                self.incr_models_processed(len(getattr(src_obj, field)))
        for kind, field in dst_map.items():
            if kind not in src_map:
                self.incr_models_processed(len(getattr(dst_obj, field)))
        return [(kind, field, dst_map[kind]) for kind, field in src_map.items() if kind in dst_map]


_IGNORE = DiffSyncModelFlags.IGNORE.value
_SKIP_SRC_OR_IGNORE = DiffSyncModelFlags.SKIP_UNMATCHED_SRC.value | _IGNORE
_SKIP_DST_OR_IGNORE = DiffSyncModelFlags.SKIP_UNMATCHED_DST.value | _IGNORE

_NO_FLAGS = DiffSyncModelFlags.NONE


def _validate_pairs(object_pairs: Iterable[Pair]) -> None:
    """``validate_objects_for_diff`` with the model plans."""
    for src_obj, dst_obj in object_pairs:
        if src_obj is None or dst_obj is None:
            continue
        cls = type(src_obj)
        plan = known_plan(cls) or new_plan(cls)
        packer = plan.ids_packer
        if (  # the usual pair: one plain class, equal identifier values, so equal shortnames
            cls is type(dst_obj)
            and packer is not None
            and packer.values(src_obj.__dict__) == packer.values(dst_obj.__dict__)
            and (plan.shortname_from_ids or plan.get_shortname(src_obj) == plan.get_shortname(dst_obj))
        ):
            continue
        _check_pair(src_obj, dst_obj)


def _check_pair(src_obj: DiffSyncModel, dst_obj: DiffSyncModel) -> None:
    """TypeError/ValueError when two objects matched by unique id differ in type, shortname or identifiers."""
    if src_obj.get_type() != dst_obj.get_type():
        raise TypeError(f"Type mismatch: {src_obj.get_type()} vs {dst_obj.get_type()}")
    if src_obj.get_shortname() != dst_obj.get_shortname():
        raise ValueError(f"Shortname mismatch: {src_obj.get_shortname()} vs {dst_obj.get_shortname()}")
    if not _same_identifiers(src_obj, dst_obj):
        raise ValueError(f"Keys mismatch: {src_obj.get_identifiers()} vs {dst_obj.get_identifiers()}")


def _common_packer(src_obj: DiffSyncModel | None, dst_obj: DiffSyncModel | None) -> AttrsPacker | None:
    """The packer that reads both sides' attributes (same names on both), or None to use ``get_attrs()``."""
    src_packer = src_obj._attrs_packer if src_obj is not None else None
    if dst_obj is None:
        return src_packer
    dst_packer = dst_obj._attrs_packer
    if src_obj is None or src_packer is dst_packer:
        return dst_packer
    if src_packer is None or dst_packer is None or src_packer.names != dst_packer.names:
        return None
    return src_packer


def _same_identifiers(src_obj: DiffSyncModel, dst_obj: DiffSyncModel) -> bool:
    """``src_obj.get_identifiers() == dst_obj.get_identifiers()``, on value tuples when both classes allow it."""
    src_packer, dst_packer = type(src_obj)._ids_packer, type(dst_obj)._ids_packer
    if src_packer is not None and dst_packer is not None and src_packer.names == dst_packer.names:
        return bool(src_packer.values(src_obj.__dict__) == dst_packer.values(dst_obj.__dict__))
    return bool(src_obj.get_identifiers() == dst_obj.get_identifiers())
