# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One function per plugin: load_adapter, diff_adapters, sync_adapters and lookup_objects.

Each takes keyword-only options, returns a plain JSON-able dict (or list), and raises only
DiffsyncTaskError, whose message is safe to show (store passwords are scrubbed). This module is the
only one the plugins import; third-party libraries it needs are checked here, at use.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .errors import DiffsyncTaskError
from .options import missing_library

try:
    from pydantic import ValidationError

    from ..module_utils.engine import Adapter, DiffSyncModel
    from ..module_utils.engine.exceptions import DiffSyncError, ObjectNotFound
    from . import plan as plans
    from . import stores
    from .loading import load_into_store
    from .syncing import Computation, apply_sync, describe_error, resolve_flags, sync_result
except ImportError as _exc:
    HAS_DEPENDENCIES = False
    MISSING_LIBRARY = _exc.name or "pydantic"
    IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_DEPENDENCIES = True
    IMPORT_ERROR = None

__all__ = ["DiffsyncTaskError", "diff_adapters", "load_adapter", "lookup_objects", "sync_adapters"]


def _require() -> None:
    if not HAS_DEPENDENCIES:
        raise DiffsyncTaskError(missing_library(MISSING_LIBRARY))


@contextlib.contextmanager
def _task_errors(url: str) -> Iterator[None]:
    """Turn every expected failure into a DiffsyncTaskError whose message holds no password."""
    try:
        yield
    except DiffsyncTaskError as exc:
        raise DiffsyncTaskError(stores.scrub(exc.message, url), exc.details) from None
    except (DiffSyncError, ValidationError, ValueError, TypeError, KeyError, OSError) as exc:
        raise DiffsyncTaskError(stores.scrub(describe_error(exc), url)) from None


# -- diffsync_load ---------------------------------------------------------------------------------


def load_adapter(  # pylint: disable=too-many-arguments
    *, store: str, adapter: str, schema: Any = None, schema_class: str | None = None,
    module_path: Sequence[str] = (), data: Any = None, src: str | None = None, model: str | None = None,
    mode: str = "replace", check_mode: bool = False, diff_mode: bool = False,
) -> dict[str, Any]:
    """Load records into ``adapter``: validate all, then write atomically when the content changes.

    Returns ``changed``, ``counts`` (records loaded per model), ``stored`` (objects per model after
    the load), ``fingerprint``, ``previous_fingerprint`` and, with ``diff_mode``, ``diff``.
    """
    _require()
    with _task_errors(store):
        return load_into_store(
            url=store, adapter=adapter, schema=schema, schema_class=schema_class, module_path=module_path,
            data=data, src=src, model=model, merge=(mode == "merge"), check_mode=check_mode, diff_mode=diff_mode,
        )


# -- diffsync_diff / diffsync_sync -----------------------------------------------------------------


@contextlib.contextmanager
def _adapter_pair(url: str, source: str, target: str) -> Iterator[tuple[Adapter, Adapter]]:
    if source == target:
        raise DiffsyncTaskError(f"source and target are both {source!r}: name two different adapters")
    src = stores.open_adapter(url, name=source)
    try:
        dst = stores.open_adapter(url, name=target)
        try:
            yield src, dst
        finally:
            dst.store.close()
    finally:
        src.store.close()


def write_json(path: str, document: Any) -> None:
    """Write ``document`` as JSON to ``path`` atomically (a temporary file renamed into place)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".diffsync-", suffix=".json.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=1, ensure_ascii=False, default=str)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def diff_adapters(  # pylint: disable=too-many-arguments
    *, store: str, source: str, target: str, skip_unmatched_src: bool = False, skip_unmatched_dst: bool = False,
    natural_deletion_order: bool = True, diff_mode: bool = False, dest: str | None = None, operations_limit: int = 0,
) -> dict[str, Any]:
    """What a sync of ``target`` from ``source`` would do; reads only. See diffsync_diff's RETURN."""
    _require()
    flags = {"skip_unmatched_src": skip_unmatched_src, "skip_unmatched_dst": skip_unmatched_dst,
             "natural_deletion_order": natural_deletion_order}
    with _task_errors(store), _adapter_pair(store, source, target) as (src, dst):
        computed = Computation(src, dst, flags)
        fingerprints = computed.fingerprints
        plan = plans.make_plan(source=source, target=target, source_fingerprint=fingerprints["source"],
                               target_fingerprint=fingerprints["target"], flags=flags,
                               operations=computed.operations, limit=operations_limit)
        diff_dict = computed.diff.dict() if dest or not plan["truncated"] else {}
        result: dict[str, Any] = {
            "changed": False, "summary": computed.diff.summary(), "has_diffs": computed.diff.has_diffs(),
            "plan": plan, "truncated": plan["truncated"], "diff": {} if plan["truncated"] else diff_dict,
        }
        if dest:
            write_json(dest, {"plan": dict(plan, operations=computed.operations, truncated=False),
                              "summary": result["summary"], "diff": diff_dict})
            result["dest"] = dest
        if diff_mode:
            result["diff"] = dict(result["diff"], **computed.combined_view(src, dst, operations_limit))
        return result


def sync_adapters(  # pylint: disable=too-many-arguments,too-many-locals
    *, store: str, source: str, target: str, skip_unmatched_src: bool | None = None,
    skip_unmatched_dst: bool | None = None, natural_deletion_order: bool | None = None,
    continue_on_failure: bool = False, plan: Any = None, check_mode: bool = False, diff_mode: bool = False,
    dest: str | None = None, operations_limit: int = 0,
) -> dict[str, Any]:
    """Converge ``target`` onto ``source`` (check mode: compute only). See diffsync_sync's RETURN."""
    _require()
    with _task_errors(store):
        if plan is not None:
            plan = plans.check_plan_shape(plan)
        flags = resolve_flags({"skip_unmatched_src": skip_unmatched_src, "skip_unmatched_dst": skip_unmatched_dst,
                                "natural_deletion_order": natural_deletion_order}, plan)
        with _adapter_pair(store, source, target) as (src, dst):
            computed = Computation(src, dst, flags, fingerprints=plan is not None)
            if plan is not None:
                plans.check_fresh(plan, source=source, target=target, fingerprints=computed.fingerprints)
                plans.check_same_operations(plan, computed.operations)
            if check_mode:
                operations = [dict(op, status="planned") for op in computed.operations]
                failed: list[dict[str, Any]] = []
            else:
                operations, failed = apply_sync(src, dst, computed, flags, continue_on_failure, operations_limit)
            result = sync_result(computed, operations, failed, check_mode, operations_limit)
            if dest:
                write_json(dest, {"summary": result["summary"], "operations": operations, "failed_operations": failed})
                result["dest"] = dest
            if diff_mode:
                result["diff"] = computed.views(src, dst, operations_limit)
            return result


# -- the lookup ------------------------------------------------------------------------------------


def lookup_objects(
    *, store: str, adapter: str, models: Sequence[str], unique_id: str | None = None,
    identifiers: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The stored objects of ``models`` in ``adapter`` as dicts, or the one selected by unique id or identifiers."""
    _require()
    if unique_id is not None and identifiers is not None:
        raise DiffsyncTaskError("give unique_id or identifiers, not both")
    with _task_errors(store):
        found = stores.open_adapter(store, name=adapter)
        try:
            return [plans.object_data(obj) for name in models
                    for obj in _select(found, name, unique_id, identifiers)]
        finally:
            found.store.close()


def _select(adapter: Adapter, name: str, unique_id: str | None, identifiers: Mapping[str, Any] | None) -> list[Any]:
    model_class = getattr(adapter, name, None)
    if not (isinstance(model_class, type) and issubclass(model_class, DiffSyncModel)) or name.startswith("_"):
        names = ", ".join(type(adapter)._get_initial_value_order())
        raise DiffsyncTaskError(f"adapter {adapter.name!r} has no model {name!r}; its models are {names}")
    if unique_id is None and identifiers is None:
        return adapter.get_all(name)
    if identifiers is not None:
        missing = [key for key in model_class._identifiers if key not in identifiers]
        if missing:
            raise DiffsyncTaskError(f"identifiers: {name} is identified by {', '.join(model_class._identifiers)}; "
                                    f"missing {', '.join(missing)}")
        unique_id = model_class.create_unique_id(**identifiers)
    try:
        return [adapter.get(name, str(unique_id))]
    except ObjectNotFound:
        raise DiffsyncTaskError(f"adapter {adapter.name!r} holds no {name} with unique id {unique_id!r}") from None
