# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plans and fingerprints: what a sync would do, and a digest of what each adapter holds.

A plan lists the operations in the order the engine's syncer applies them: depth first through the
diff, an object before its children, except that with ``natural_deletion_order`` a deleted object's
children are deleted before it. Creates are therefore always parent-first, and deletes child-first
when natural deletion order is on (the collection's default).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from ..module_utils.engine import Adapter, Diff, DiffElement, DiffSyncModelFlags
    from ..module_utils.engine.store.serial import object_to_data

from .errors import DiffsyncTaskError

FLAG_NAMES = ("skip_unmatched_src", "skip_unmatched_dst", "natural_deletion_order")
"""Options that change the diff or its order, recorded in a plan and checked again by the sync."""

def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON; values JSON cannot hold are written with ``str``."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def object_data(obj: Any) -> dict[str, Any]:
    """An object's fields as plain JSON data (no adapter, no flags), as the lookup returns them."""
    data = object_to_data(obj)
    data.pop("model_flags", None)
    return data


Content = dict[str, tuple[list[str], dict[str, list[Any]]]]
"""``{model: (field names, {unique_id: field values})}``: what a fingerprint covers."""

_NOT_CONTENT = frozenset(("adapter", "model_flags"))


def adapter_content(adapter: Adapter) -> Content:
    """Every object's field values (children lists sorted), per model and unique id.

    Values are read straight from the objects (no serialisation): this runs over every object of
    both adapters in each diff and sync.
    """
    content: Content = {}
    for modelname in sorted(adapter.get_all_model_names()):
        objects = adapter.get_all(modelname)
        if not objects:
            continue
        model_class = type(objects[0])
        fields = [name for name in model_class.model_fields if name not in _NOT_CONTENT]
        children = set(model_class.get_children_mapping().values())
        rows: dict[str, list[Any]] = {}
        for obj in objects:
            values = obj.__dict__
            rows[obj.get_unique_id()] = [sorted(values[name]) if name in children else values[name] for name in fields]
        content[modelname] = (fields, rows)
    return content


def content_fingerprint(content: Content) -> str:
    """sha256 of the canonical JSON of ``content``, objects in unique-id order."""
    digest = hashlib.sha256()
    for modelname in sorted(content):
        fields, rows = content[modelname]
        digest.update(canonical_json([modelname, fields, sorted(rows.items())]).encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def fingerprint(adapter: Adapter) -> str:
    """sha256 of everything ``adapter`` holds; the order of objects and of children does not count."""
    return content_fingerprint(adapter_content(adapter))


def _ordered(element: DiffElement, target: Adapter, natural: bool) -> Iterator[DiffElement]:
    """Elements that call for an action, in the order the syncer applies them."""
    action = element.action
    children_first = natural and action == "delete"
    skip_children = False
    if action == "delete":
        stored = target.get_or_none(element.type, element.keys)
        skip_children = stored is not None and bool(stored.model_flags & DiffSyncModelFlags.SKIP_CHILDREN_ON_DELETE)
    if children_first and not skip_children:
        for child in element.get_children():
            yield from _ordered(child, target, natural)
    if action is not None:
        yield element
    if not children_first and not skip_children:
        for child in element.get_children():
            yield from _ordered(child, target, natural)


def ordered_elements(diff: Diff, target: Adapter, *, natural_deletion_order: bool) -> list[DiffElement]:
    """The diff's elements with an action, in sync order."""
    return [found for element in diff.get_children() for found in _ordered(element, target, natural_deletion_order)]


def operation(element: DiffElement, target: Adapter) -> dict[str, Any]:
    """``{action, model, unique_id, keys, attrs: {"-": ..., "+": ...}}`` for one element."""
    model_class = getattr(target, element.type)
    return {
        "action": element.action,
        "model": element.type,
        "unique_id": model_class.create_unique_id(**element.keys),
        "keys": dict(element.keys),
        "attrs": element.get_attrs_diffs(),
    }


def operations_digest(operations: list[dict[str, Any]]) -> str:
    """sha256 of the canonical JSON of a full operation list."""
    return "sha256:" + hashlib.sha256(canonical_json(operations).encode()).hexdigest()


def make_plan(  # pylint: disable=too-many-arguments
    *, source: str, target: str, source_fingerprint: str, target_fingerprint: str, flags: Mapping[str, bool],
    operations: list[dict[str, Any]], limit: int,
) -> dict[str, Any]:
    """The plan returned by diffsync_diff (``operations`` cut to ``limit`` when it is not 0)."""
    truncated = bool(limit) and len(operations) > limit
    return {
        "source": source,
        "target": target,
        "source_fingerprint": source_fingerprint,
        "target_fingerprint": target_fingerprint,
        "flags": {name: bool(flags[name]) for name in FLAG_NAMES},
        "operations": operations[:limit] if truncated else operations,
        "operations_count": len(operations),
        "operations_digest": operations_digest(operations),
        "truncated": truncated,
    }


_PLAN_KEYS = ("source", "target", "source_fingerprint", "target_fingerprint", "flags", "operations_digest")


def check_plan_shape(plan: Any) -> Mapping[str, Any]:
    """``plan`` when it looks like a plan made by diffsync_diff, else a DiffsyncTaskError saying what is off."""
    if not isinstance(plan, Mapping):
        raise DiffsyncTaskError(f"plan: expected the plan returned by datasync.diffsync.diffsync_diff "
                                f"(its result's plan key), got a {type(plan).__name__}")
    missing = [key for key in _PLAN_KEYS if key not in plan]
    if missing or not isinstance(plan["flags"], Mapping):
        raise DiffsyncTaskError(f"plan: not a plan made by datasync.diffsync.diffsync_diff (missing "
                                f"{', '.join(missing) or 'flags'}); pass the plan key of its registered result")
    return plan


def check_fresh(plan: Mapping[str, Any], *, source: str, target: str, fingerprints: Mapping[str, str]) -> None:
    """DiffsyncTaskError ("stale plan") when ``plan`` is for other adapters or either adapter changed since."""
    if (plan["source"], plan["target"]) != (source, target):
        raise DiffsyncTaskError(f"plan: the plan syncs {plan['target']!r} from {plan['source']!r}, but this task "
                                f"syncs {target!r} from {source!r}")
    for role, name in (("source", source), ("target", target)):
        recorded, now = plan[f"{role}_fingerprint"], fingerprints[role]
        if recorded != now:
            raise DiffsyncTaskError(f"stale plan: the {role} adapter {name!r} changed since the plan was made "
                                    f"(fingerprint {recorded} then, {now} now); run datasync.diffsync.diffsync_diff "
                                    f"again and review the new plan")


def check_same_operations(plan: Mapping[str, Any], operations: list[dict[str, Any]]) -> None:
    """DiffsyncTaskError ("stale plan") when the operations computed now are not those of ``plan``."""
    if plan["operations_digest"] == operations_digest(operations):
        return
    detail = ""
    planned = plan.get("operations")
    if isinstance(planned, list):
        for index, (old, new) in enumerate(zip(planned, operations, strict=False)):
            if old != new:
                detail = f"; operation {index} was {_brief(old)} and is now {_brief(new)}"
                break
        else:
            detail = f"; the plan has {plan.get('operations_count', len(planned))} operations, now {len(operations)}"
    raise DiffsyncTaskError(f"stale plan: the operations computed now differ from the plan's{detail}; run "
                            f"datasync.diffsync.diffsync_diff again and review the new plan")


def _brief(op: Any) -> str:
    if isinstance(op, Mapping):
        return f"{op.get('action')} {op.get('model')} {op.get('unique_id')!r}"
    return repr(op)
