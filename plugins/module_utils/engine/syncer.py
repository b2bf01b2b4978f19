"""Applying a Diff to the destination adapter, element by element (diffsync 2.2.3 semantics)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .diff import Diff, DiffElement
from .enum import DiffSyncActions, DiffSyncFlags, DiffSyncModelFlags, DiffSyncStatus
from .exceptions import ObjectCrudException, ObjectNotCreated, ObjectNotDeleted, ObjectNotUpdated
from .logging import get_logger
from .model_plan import known_plan, new_plan
from .model_status import mark_unknown, write_status
from .report import OperationResult, SyncReport

if TYPE_CHECKING:
    from .adapter import Adapter
    from .model import DiffSyncModel

_log = get_logger("sync")
_CREATE, _UPDATE, _DELETE = DiffSyncActions.CREATE, DiffSyncActions.UPDATE, DiffSyncActions.DELETE
# by id of the member: hashing an Enum member, or reading its ``value``, runs Python code
_LOG_LEVELS = {id(DiffSyncStatus.SUCCESS): logging.INFO, id(DiffSyncStatus.FAILURE): logging.WARNING}
_STATUS_VALUES = {id(member): member.value for member in DiffSyncStatus}
_NO_MODEL_FLAGS = DiffSyncModelFlags.NONE
_SKIP_CHILDREN_ON_DELETE = DiffSyncModelFlags.SKIP_CHILDREN_ON_DELETE.value
_NATURAL_DELETION_ORDER = DiffSyncModelFlags.NATURAL_DELETION_ORDER.value
_UNKNOWN = DiffSyncStatus.UNKNOWN


class DiffSyncSyncer:
    """Walks a Diff and calls create/update/delete on the destination's models.

    Per-element state is passed down the recursion; the syncer itself holds only the run's settings,
    the progress counter and the ``report`` of every attempted operation.
    """

    def __init__(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self,
        diff: Diff,
        src_diffsync: Adapter,
        dst_diffsync: Adapter,
        flags: DiffSyncFlags,
        callback: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.diff = diff
        self.src_diffsync = src_diffsync
        self.dst_diffsync = dst_diffsync
        self.flags = flags
        self.callback = callback
        self.elements_processed = 0
        self.total_elements = len(diff) if callback else 0
        self.report = SyncReport()
        self._continue_on_failure = bool(flags & DiffSyncFlags.CONTINUE_ON_FAILURE)
        self._log_unchanged = bool(flags & DiffSyncFlags.LOG_UNCHANGED_RECORDS)

    def incr_elements_processed(self, delta: int = 1) -> None:
        """Count processed elements and report progress to the callback."""
        if delta:
            self.elements_processed += delta
            if self.callback is not None:
                self.callback("sync", self.elements_processed, self.total_elements)

    def perform_sync(self) -> bool:
        """Apply the diff inside one store transaction; True when anything changed."""
        _log.info("Sync of %s into %s", self.src_diffsync, self.dst_diffsync)
        changed = False
        with self.dst_diffsync.store.transaction():
            for element in self.diff.get_children():
                changed |= self.sync_diff_element(element)
        _log.info("Sync complete: %d operation(s), %d failed", len(self.report.operations), len(self.report.failures))
        return changed

    def sync_diff_element(self, element: DiffElement, parent_model: DiffSyncModel | None = None) -> bool:
        """Apply one element and then its children; True when this subtree changed anything."""
        try:
            return self._sync_element(element, parent_model)
        except Exception as exc:  # annotate, keep the original type for callers that catch it
            self._annotate(exc, element)
            raise

    def _sync_element(self, element: DiffElement, parent_model: DiffSyncModel | None) -> bool:
        known = element._dst_model  # the destination object the differ found, if it built this element
        action = element.action
        if action is None and known is not None and not self._log_unchanged:
            dst_model: DiffSyncModel | None = known  # nothing to change: no need to look it up again
        else:
            model_class = getattr(self.dst_diffsync, element.type)
            uid = known.get_unique_id() if known is not None else model_class.create_unique_id(**element.keys)
            dst_model = self.dst_diffsync.get_or_none(model_class, uid)
        if dst_model is not None:
            cls = type(dst_model)
            (known_plan(cls) or new_plan(cls)).set_status(dst_model, _UNKNOWN)
        if action is None:
            return self._sync_unchanged(element, dst_model)
        model_flags = dst_model.model_flags if dst_model is not None else _NO_MODEL_FLAGS
        flags: int = 0 if model_flags is _NO_MODEL_FLAGS else model_flags.value
        skip_children = bool(flags & _SKIP_CHILDREN_ON_DELETE)
        children_first = bool(flags & _NATURAL_DELETION_ORDER) and action == _DELETE
        changed = True
        if children_first and not skip_children:
            self._sync_children(element, dst_model)
        attrs = element.new_values()  # the report's; the model gets a copy it may change
        result = self.sync_model(model_class, element, dst_model, action, attrs=dict(attrs))
        if result is None:
            _log.warning("No object resulted from sync of %s %r; its children are skipped", element.type, element.name)
            return changed
        try:
            self._store_result(action, result, parent_model, skip_children)
        except Exception as exc:
            self._record(element, action, DiffSyncStatus.ERROR, f"the target store refused the result: {exc}", exc)
            raise
        status, message = result.get_status()
        self._record(element, action, status, message, model=result, attrs=attrs)
        if action == _DELETE and skip_children:
            return changed
        self.incr_elements_processed()
        if not children_first:
            self._sync_children(element, result)
        return changed

    def _sync_unchanged(self, element: DiffElement, dst_model: DiffSyncModel | None) -> bool:
        """An element needing no change itself: log it if asked, then sync its children."""
        if dst_model is None:
            return False
        if self._log_unchanged and _log.isEnabledFor(logging.DEBUG):
            _log.debug("%s %r: no changes to apply; no action needed", element.type, element.name)
        self.incr_elements_processed()
        # an element without a child diff has no children (DiffElement.get_children): skip the empty walk
        return element._child_diff is not None and self._sync_children(element, dst_model)

    def _sync_children(self, element: DiffElement, parent: DiffSyncModel | None) -> bool:
        changed = False
        quiet = not self._log_unchanged
        # Without a progress callback, unchanged leaves are counted, and marked UNKNOWN, together when the loop
        # ends (or stops on an error): the same outcome as one at a time, without two calls per leaf.
        batch = self.callback is None
        leaves: list[DiffSyncModel] = []  # unchanged leaves whose class has the plain set_status
        counted = 0
        try:
            for child in element.get_children():
                known = child._dst_model
                values = child._source_values
                if quiet and known is not None and values is not None and values is child._dest_values and (
                    child._child_diff is None
                ):
                    # An unchanged leaf the differ matched (it gives equal sides one tuple of values, and a built
                    # attribute dict clears its side's tuple): what _sync_element would do, without its nested calls.
                    cls = type(known)
                    set_status = (known_plan(cls) or new_plan(cls)).set_status
                    if batch and set_status is write_status:
                        leaves.append(known)
                        counted += 1
                        continue
                    try:
                        set_status(known, _UNKNOWN)
                    except Exception as exc:
                        self._annotate(exc, child)
                        raise
                    if batch:
                        counted += 1
                    else:
                        self.incr_elements_processed()
                    continue
                changed |= self.sync_diff_element(child, parent_model=parent)
        finally:
            if leaves:
                mark_unknown(leaves)
            self.elements_processed += counted
        return changed

    def _store_result(
        self, action: str | None, model: DiffSyncModel, parent: DiffSyncModel | None, skip_children: bool
    ) -> None:
        """Record the outcome of a create/update/delete in the destination's store."""
        dst = self.dst_diffsync
        if action == _CREATE:
            if parent is not None:
                parent.add_child(model)
            dst.add(model)
        elif action == _DELETE:
            if parent is not None:
                parent.remove_child(model)
            dst.remove(model, remove_children=skip_children)
        elif action == _UPDATE:
            dst.store.object_changed(model)

    def sync_model(
        self, model_class: type[DiffSyncModel], element: DiffElement, dst_model: DiffSyncModel | None,
        action: str | None, attrs: dict | None = None,
    ) -> DiffSyncModel | None:
        """Call the model's create/update/delete with ``attrs`` (default: the element's new values); the
        resulting model, or None on failure.

        Failures and errors are recorded in the report here; a success is recorded by the caller once the
        store holds the result. Raises the model's exceptions (CRUD ones only without CONTINUE_ON_FAILURE).
        """
        if action is None:
            return dst_model
        if attrs is None:
            attrs = element.new_values()
        try:
            model = self._call_model(model_class, element, dst_model, action, attrs)
        except ObjectCrudException as exc:
            self._record(element, action, DiffSyncStatus.ERROR, str(exc), exc)
            if self._continue_on_failure:
                return None
            raise
        except Exception as exc:
            self._record(element, action, DiffSyncStatus.ERROR, str(exc), exc)
            raise
        if model is None:
            self._record(element, action, DiffSyncStatus.FAILURE,
                         f"{model_class.get_type()} {action} did not return the model object.")
        return model

    def _call_model(
        self, model_class: type[DiffSyncModel], element: DiffElement, dst_model: DiffSyncModel | None,
        action: str, attrs: dict,
    ) -> DiffSyncModel | None:
        if action == _CREATE:
            if dst_model is not None:
                raise ObjectNotCreated(f"Failed to create {model_class.get_type()} {element.keys} - it already exists!")
            return model_class.create(adapter=self.dst_diffsync, ids=element.keys, attrs=attrs)
        if dst_model is None:
            error = ObjectNotUpdated if action == _UPDATE else ObjectNotDeleted
            raise error(f"Failed to {action} {model_class.get_type()} {element.keys} - not found!")
        if action == _UPDATE:
            return dst_model.update(attrs=attrs)
        if action == _DELETE:
            return dst_model.delete()
        raise ObjectCrudException(f'Unknown action "{action}"!')

    def _record(
        self, element: DiffElement, action: str, status: DiffSyncStatus, message: str, error: Exception | None = None,
        model: DiffSyncModel | None = None, attrs: dict | None = None,
    ) -> None:
        keys = element.new_keys()
        if model is not None:  # the stored result: its unique id is known
            uid = model.get_unique_id()
        else:
            uid = getattr(self.dst_diffsync, element.type).create_unique_id(**keys)
        value = _STATUS_VALUES.get(id(status)) or status.value
        self.report.record(OperationResult(  # (positional: action, model, unique_id, keys, attrs, ...)
            action, element.type, uid, keys, attrs if attrs is not None else element.new_values(), value, message,
            f"{type(error).__name__}: {error}" if error else None,
        ))
        level = _LOG_LEVELS.get(id(status), logging.ERROR)
        if _log.isEnabledFor(level):
            _log.log(level, "%s %s %r: %s (%s)", action, element.type, uid, message, value)

    def _annotate(self, exc: Exception, element: DiffElement) -> None:
        """Name the failing element on an unexpected exception and attach the report of what was applied."""
        if getattr(exc, "sync_report", None) is not None:
            return
        exc.add_note(
            f"while syncing {element.action or 'no-change'} of {element.type} {element.name!r} "
            f"(keys {element.keys!r}) into {self.dst_diffsync}; {self.report.describe_applied()}"
        )
        with contextlib.suppress(AttributeError):  # a few builtin exceptions take no attributes
            exc.sync_report = self.report  # type: ignore[attr-defined]
