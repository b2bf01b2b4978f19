# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""diffsync_load's work: build the adapter's new content in memory, compare, then write it in one go.

1. The adapter's definition: the task's ``schema``/``schema_class``, else the one stored earlier.
2. Every record is validated into an in-memory adapter (for ``merge``, a copy of the stored objects
   plus the records). Any problem fails the task before the store is touched.
3. ``changed`` compares fingerprints of the stored and the new content (and the definitions).
4. Unless in check mode, the changes are written inside one store transaction: ``replace`` clears
   the adapter and adds every object; ``merge`` writes the objects that are new or differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

# The engine needs pydantic: operations.py checks for it before any code here runs, and the module
# still imports without it (ansible-test's import test).
with contextlib.suppress(ImportError):
    from ..module_utils.engine import Adapter, BaseStore, LocalStore
    from ..module_utils.engine.exceptions import DiffSyncError

from . import plan as plans
from . import render, stores
from .errors import DiffsyncTaskError
from .records import Item, ModelInfo, describe, items_from_data, load_items, plain
from .schema import normalize_schema
from .sources import read_items


def _definition(store: BaseStore, adapter: str, schema: Any, schema_class: str | None,
                module_path: Sequence[str]) -> tuple[str, str | None]:
    """The adapter definition to use (metadata text) and the one stored before this load (or None)."""
    stored = stores.read_metadata(store)
    if schema is not None:
        return stores.schema_metadata(normalize_schema(plain(schema))), stored
    if schema_class:
        return stores.class_metadata(schema_class, module_path), stored
    if stored is None:
        raise DiffsyncTaskError(f"adapter {adapter!r} has no schema yet: give schema (models as data) or "
                                f"schema_class (a Python Adapter class) the first time you load it")
    return stored, stored


Content = plans.Content


def _stored_adapter(store: BaseStore, stored: str | None, adapter: str, *, merge: bool) -> tuple[Adapter | None,
                                                                                                 Content | None]:
    """The adapter as stored and its content; (None, None) when nothing is, or, in replace mode, it is unreadable."""
    if stored is None:
        return None, None
    try:
        current = stores.instantiate(stores.adapter_class_from_metadata(stored, adapter=adapter), name=adapter,
                                     store=store)
        return current, plans.adapter_content(current)  # reads every object now: unreadable content fails here
    except (DiffsyncTaskError, DiffSyncError) as exc:
        if merge:
            raise DiffsyncTaskError(f"adapter {adapter!r}: cannot read what is stored ({exc}); load it with "
                                    f"mode=replace to overwrite it") from None
        return None, None


def _copy_objects(current: Adapter, desired: Adapter, order: Sequence[str]) -> None:
    """Copy the stored objects into ``desired`` through its (possibly new) model classes."""
    for name in order:
        model_class = getattr(desired, name)
        for obj in current.get_all(name):
            data = obj.model_dump(exclude={"adapter"})
            try:
                desired.add(model_class.model_validate(data))
            except Exception as exc:
                raise DiffsyncTaskError(f"adapter {current.name!r}: the stored {name} {obj.get_unique_id()!r} does "
                                        f"not fit the new schema ({exc}); load with mode=replace") from None


def _write(store: BaseStore, desired: Adapter, order: Sequence[str], definition: str,
           changed_objects: list[Any] | None) -> None:
    """Write inside one transaction: everything (replace) or only ``changed_objects`` (merge)."""
    with store.transaction():
        if changed_objects is None:
            store.clear()
            for name in order:
                for obj in desired.get_all(name):
                    store.add(obj=obj)
        else:
            for obj in changed_objects:
                store.update(obj=obj)
        store.set_metadata(stores.SCHEMA_KEY, definition)


def _differing(current: Content, desired: Adapter, new: Content) -> list[Any]:
    """Objects of ``desired`` whose content is new or differs from the stored content."""
    changed: list[Any] = []
    for name, (fields, rows) in new.items():
        stored_fields, stored = current.get(name, ([], {}))
        same_fields = stored_fields == fields
        changed.extend(desired.get(name, uid) for uid, row in rows.items() if not same_fields or stored.get(uid) != row)
    return changed


def _items(infos: dict[str, ModelInfo], *, data: Any, src: str | None, model: str | None) -> list[Item]:
    """The records to load, from ``src`` or ``data``."""
    if src is not None:
        return read_items(src, infos, model=model)
    if data is not None:
        return items_from_data(plain(data), infos, origin="data")
    # null (an unset variable, say) must not empty the adapter; `data: {}` does that on purpose
    raise DiffsyncTaskError("data and src are both null: give the records (data: {} loads nothing, which empties "
                            "the adapter in replace mode)")


def _counts(adapter: Adapter | None, order: Sequence[str]) -> dict[str, int]:
    return {name: adapter.count(name) if adapter is not None else 0 for name in order}


def load_into_store(  # pylint: disable=too-many-arguments,too-many-locals
    *, url: str, adapter: str, schema: Any, schema_class: str | None, module_path: Sequence[str], data: Any,
    src: str | None, model: str | None, merge: bool, check_mode: bool, diff_mode: bool,
) -> dict[str, Any]:
    """See ``operations.load_adapter``."""
    store = stores.open_store(url, store_id=adapter)
    try:
        definition, stored_definition = _definition(store, adapter, schema, schema_class, module_path)
        adapter_class = stores.adapter_class_from_metadata(definition, adapter=adapter)
        infos = describe(adapter_class)
        order = list(infos)
        items = _items(infos, data=data, src=src, model=model)
        current, before = _stored_adapter(store, stored_definition, adapter, merge=merge)
        desired = stores.instantiate(adapter_class, name=adapter, store=LocalStore)
        if merge and current is not None:
            _copy_objects(current, desired, [name for name in order if hasattr(current, name)])
        counts = load_items(desired, items, infos, merge=merge)
        after = plans.adapter_content(desired)
        before_fp = plans.content_fingerprint(before) if before is not None else None
        after_fp = plans.content_fingerprint(after)
        changed = before_fp != after_fp or definition != stored_definition
        if changed and not check_mode:
            _write(store, desired, order, definition, _differing(before or {}, desired, after) if merge else None)
        result: dict[str, Any] = {
            "changed": changed, "counts": counts, "stored": _counts(desired, order),
            "fingerprint": after_fp, "previous_fingerprint": before_fp,
        }
        if diff_mode:
            result["diff"] = _view(current, desired, adapter_class, adapter)
        return result
    finally:
        store.close()


def _view(current: Adapter | None, desired: Adapter, adapter_class: type[Adapter], name: str) -> list[dict[str, str]]:
    """The --diff view of the load: stored content before, new content after."""
    before = current if current is not None else stores.instantiate(adapter_class, name=name, store=LocalStore)
    diff = before.diff_from(desired)
    elements = plans.ordered_elements(diff, before, natural_deletion_order=True)
    uids = [plans.operation(element, before)["unique_id"] for element in elements]
    return render.object_diffs(elements, uids, source=f"{name} (loaded)", target=f"{name} (stored)")
