# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Records (plain dicts) -> model objects in an adapter, every record checked before anything is kept.

Input is ``{model: [record, ...]}``. A child model's records come either as their own list or nested
in the parent record under the parent's children field. Linking rule: a child record's parent is the
parent whose identifiers equal the child's *parent identifiers*: for each identifier ``<id>`` of the
parent model, the child's identifier ``<parent_model>_<id>``, else the child's identifier ``<id>``
(a schema may name them with ``parent_identifiers``). Nested records get these filled in.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from pydantic import ValidationError

    from ..module_utils.engine import Adapter, DiffSyncModel
    from ..module_utils.engine.exceptions import ObjectAlreadyExists

from .errors import DiffsyncTaskError
from .schema import parent_key_rule

MAX_REPORTED_ERRORS = 10
_NOT_FIELDS = frozenset(("adapter", "model_flags"))


@dataclass(frozen=True)
class ModelInfo:  # pylint: disable=too-many-instance-attributes
    """What loading records of one model needs to know about it."""

    name: str
    cls: type[DiffSyncModel]
    fields: tuple[str, ...]
    children: dict[str, str]
    parent: str | None = None
    parent_keys: dict[str, str] = field(default_factory=dict)
    json_fields: frozenset[str] = frozenset()

    @property
    def field_set(self) -> frozenset[str]:
        """The accepted record keys, as a set."""
        return frozenset(self.fields)


@dataclass
class Item:
    """One record to load, with the label that names it in errors."""

    model: str
    label: str
    record: dict[str, Any]
    declared_children: list[tuple[str, str]] = field(default_factory=list)


def _is_json_type(annotation: Any) -> bool:
    """True for ``list``/``dict`` annotations (optionally Optional), whose CSV cells hold JSON."""
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_is_json_type(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return annotation in (list, dict) or typing.get_origin(annotation) in (list, dict)


def describe(adapter_class: type[Adapter]) -> dict[str, ModelInfo]:
    """``{model name: ModelInfo}`` for every model of the adapter class, parents before their children."""
    classes = {name: getattr(adapter_class, name) for name in adapter_class._get_initial_value_order()}
    schema = getattr(adapter_class, "datasync_schema", None)
    parents = {child: name for name, cls in classes.items() for child in cls._children}
    infos: dict[str, ModelInfo] = {}
    for name in _parents_first(classes, parents):
        cls = classes[name]
        parent = parents.get(name)
        if schema is not None:
            keys = dict(schema["models"][name]["parent_identifiers"])
        elif parent is not None and parent in classes:
            keys = parent_key_rule(name, cls._identifiers, parent, classes[parent]._identifiers)
        else:
            keys = {}
        infos[name] = ModelInfo(
            name=name, cls=cls, fields=tuple(f for f in cls.model_fields if f not in _NOT_FIELDS),
            children=dict(cls._children), parent=parent if parent in classes else None, parent_keys=keys,
            json_fields=frozenset(f for f, info in cls.model_fields.items() if _is_json_type(info.annotation)),
        )
    return infos


def _parents_first(classes: Mapping[str, Any], parents: Mapping[str, str]) -> list[str]:
    def depth(name: str) -> int:
        level, seen = 0, {name}
        while name in parents and parents[name] not in seen:
            name = parents[name]
            seen.add(name)
            level += 1
        return level

    return sorted(classes, key=depth)  # stable: keeps top_level order within a depth


def plain(value: Any) -> Any:
    """A copy of ``value`` made of plain dict/list/str/int/float/bool/None (Ansible passes tagged subclasses)."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    for kind in (bool, str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def items_from_data(data: Any, infos: Mapping[str, ModelInfo], *, origin: str, sep: str = ".") -> list[Item]:
    """Flatten ``{model: [records]}`` (nested children included) into Items; errors name the bad part."""
    if not isinstance(data, Mapping):
        raise DiffsyncTaskError(f"{origin}: must be a mapping of model name to a list of records, got {_short(data)}")
    items: list[Item] = []
    for model, records in data.items():
        if model not in infos:
            raise DiffsyncTaskError(f"{origin}: unknown model {model!r}; the adapter's models are {', '.join(infos)}")
        if not isinstance(records, list):
            raise DiffsyncTaskError(f"{origin}{sep}{model}: must be a list of records, got {_short(records)}")
        for index, record in enumerate(records):
            _flatten(items, infos, model, f"{origin}{sep}{model}[{index}]", record)
    return items


def _flatten(items: list[Item], infos: Mapping[str, ModelInfo], model: str, label: str, record: Any) -> None:
    if not isinstance(record, Mapping):
        raise DiffsyncTaskError(f"{label}: a record must be a mapping of field to value, got {_short(record)}")
    info = infos[model]
    record = dict(record)
    item = Item(model=model, label=label, record=record)
    items.append(item)
    for child_model, child_field in info.children.items():
        nested = record.pop(child_field, None)
        if nested is None:
            continue
        if not isinstance(nested, list) or child_model not in infos:
            raise DiffsyncTaskError(f"{label}.{child_field}: must be a list of {child_model} records, "
                                    f"got {_short(nested)}")
        child_info = infos[child_model]
        for index, child in enumerate(nested):
            child_label = f"{label}.{child_field}[{index}]"
            if isinstance(child, str):
                item.declared_children.append((child_model, child))
                continue
            if isinstance(child, Mapping):
                child = _fill_parent_keys(child_label, dict(child), record, child_info)
            _flatten(items, infos, child_model, child_label, child)


def _fill_parent_keys(label: str, child: dict[str, Any], parent: Mapping[str, Any], info: ModelInfo) -> dict[str, Any]:
    for parent_id, child_id in info.parent_keys.items():
        if parent_id not in parent:
            continue
        if child_id in child and child[child_id] != parent[parent_id]:
            raise DiffsyncTaskError(f"{label}: {child_id}={child[child_id]!r} contradicts the enclosing {info.parent} "
                                    f"record's {parent_id}={parent[parent_id]!r}; leave {child_id} out of nested "
                                    f"records")
        child[child_id] = parent[parent_id]
    return child


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_validation_error(exc: ValidationError) -> str:
    """``field 'mtu': Input should be a valid integer (got 'abc')`` for each problem pydantic found."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "record"
        got = "" if error["type"] == "missing" else f" (got {_short(error.get('input'))})"
        problems.append(f"field {where!r}: {error['msg']}{got}")
    return "; ".join(problems)


@dataclass
class _Run:
    """State of one load: what was seen, what failed, and the counts."""

    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def fail(self, item: Item, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            keys = ", ".join(map(str, item.record)) or "none"
            self.errors.append(f"{item.label} (keys: {keys}): {problem}")


def load_items(adapter: Adapter, items: list[Item], infos: Mapping[str, ModelInfo], *, merge: bool) -> dict[str, int]:
    """Add (or, with ``merge``, update) one object per item in ``adapter``; ``{model: records loaded}``.

    Every item is checked; on any problem DiffsyncTaskError lists the first ones (the adapter, an
    in-memory scratch copy, may then hold part of the records).
    """
    run = _Run(counts=dict.fromkeys(infos, 0))
    built: dict[int, DiffSyncModel] = {}
    by_model: dict[str, list[Item]] = {name: [] for name in infos}
    for item in items:
        by_model[item.model].append(item)
    for name, info in infos.items():
        link = _ParentLink(info, infos[info.parent]) if info.parent else None
        fields = info.field_set
        for item in by_model[name]:
            obj = _load_one(adapter, info, fields, link, item, run, merge)
            if obj is not None:
                built[id(item)] = obj
                run.counts[name] += 1
    for item in items:
        if item.declared_children and id(item) in built:
            _check_declared(item, built[id(item)], infos[item.model], run)
    if run.error_count:
        shown = len(run.errors)
        head = f"{run.error_count} invalid record(s)" + (f", the first {shown}" if shown < run.error_count else "")
        raise DiffsyncTaskError(f"{head}; nothing was written:\n- " + "\n- ".join(run.errors))
    return run.counts


def _load_one(  # pylint: disable=too-many-arguments
    adapter: Adapter, info: ModelInfo, fields: frozenset[str], link: _ParentLink | None, item: Item, run: _Run,
    merge: bool,
) -> DiffSyncModel | None:
    if not fields.issuperset(item.record):
        unknown = [key for key in item.record if key not in fields]
        run.fail(item, f"unknown field(s) {', '.join(map(repr, unknown))}; {info.name} has {', '.join(info.fields)}")
        return None
    try:
        obj = info.cls.model_validate(item.record)
    except ValidationError as exc:
        run.fail(item, format_validation_error(exc))
        return None
    uid = obj.get_unique_id()
    first = run.seen.setdefault((info.name, uid), item.label)
    if first != item.label:
        run.fail(item, f"duplicate {info.name} {uid!r}: {first} has the same identifiers")
        return None
    parent = None
    if link is not None:
        parent = link.find(adapter, obj, item, run)
        if parent is None:
            return None
    try:
        return _keep(adapter, info, obj, parent, merge)
    except ObjectAlreadyExists as exc:
        run.fail(item, str(exc.args[0]) if exc.args else str(exc))
        return None


class _ParentLink:
    """How a model's records find their parent object: which of their fields hold the parent's identifiers."""

    def __init__(self, info: ModelInfo, parent: ModelInfo) -> None:
        self.parent = parent
        self.pairs = [(pid, info.parent_keys.get(pid)) for pid in parent.cls._identifiers]
        missing = [pid for pid, field_name in self.pairs if field_name is None]
        self.problem = None if not missing else (
            f"cannot tell which {info.name} identifier holds its parent {parent.name}'s {missing[0]!r}; "
            f"nest the record under its {parent.name} record instead")

    def find(self, adapter: Adapter, obj: DiffSyncModel, item: Item, run: _Run) -> DiffSyncModel | None:
        """The parent of ``obj`` in ``adapter``, or None after recording why not."""
        if self.problem is not None:
            run.fail(item, self.problem)
            return None
        ids = {pid: getattr(obj, field_name) for pid, field_name in self.pairs}  # type: ignore[arg-type]
        parent = adapter.get_or_none(self.parent.name, self.parent.cls.create_unique_id(**ids))
        if parent is None:
            shown = ", ".join(f"{field_name}={ids[pid]!r}" for pid, field_name in self.pairs)
            run.fail(item, f"its parent {self.parent.name} ({shown}) is not among the {self.parent.name} records")
        return parent


def _keep(
    adapter: Adapter, info: ModelInfo, obj: DiffSyncModel, parent: DiffSyncModel | None, merge: bool
) -> DiffSyncModel:
    """Add ``obj`` (or copy its attributes onto the object already there, when merging) and link it to ``parent``."""
    existing = adapter.get_or_none(info.name, obj.get_unique_id()) if merge else None
    if existing is None:
        adapter.add(obj)
        if parent is not None:
            parent.add_child(obj)
        return obj
    for attr, value in obj.get_attrs().items():
        setattr(existing, attr, value)
    if parent is not None and existing.get_unique_id() not in getattr(parent, parent.get_children_mapping()[info.name]):
        parent.add_child(existing)
    return existing


def _check_declared(item: Item, obj: DiffSyncModel, info: ModelInfo, run: _Run) -> None:
    """Child unique ids written as strings in a children field must name child records that were loaded."""
    for child_model, uid in item.declared_children:
        if uid not in getattr(obj, info.children[child_model]):
            run.fail(item, f"{info.children[child_model]} lists {uid!r}, but no {child_model} record has that "
                           f"unique id under this {info.name}")
