"""Writes of ``SQLiteStore`` waiting to be sent to SQLite in one ``executemany`` per kind."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..exceptions import ObjectStoreException, StoreLocked
from ..logging import get_logger
from .serial import dump_object

if TYPE_CHECKING:
    from ..model import DiffSyncModel
    from ._sqlite_db import SQLiteDatabase

Key = tuple[str, str]  # (model name, unique id)

_PUT, _DELETE, _READD = 0, 1, 2  # READD: deleted, then stored again (goes to the end of the order)
_log = get_logger("store.sqlite")


class WriteBatch:
    """Pending writes keyed by ``(model name, unique id)``; the last write of a key wins.

    A put keeps the object itself (serialised only when flushed), so an object changed many times
    is written once. Flushing deletes first, then upserts in the order the keys were first put, which
    gives new rows their ``seq`` in insertion order; a key deleted and put again is re-inserted at the end.
    """

    __slots__ = ("_ops",)

    def __init__(self) -> None:
        self._ops: dict[Key, tuple[int, DiffSyncModel | None]] = {}

    def __len__(self) -> int:
        return len(self._ops)

    def __contains__(self, key: Key) -> bool:
        return key in self._ops

    def put(self, modelname: str, uid: str, obj: DiffSyncModel) -> None:
        """Store ``obj`` under its key (insert, or update in place)."""
        key = (modelname, uid)
        previous = self._ops.get(key)
        if previous is None:
            self._ops[key] = (_PUT, obj)
        elif previous[0] == _DELETE:
            del self._ops[key]  # moves the key to the end: it is inserted after everything put before
            self._ops[key] = (_READD, obj)
        else:
            self._ops[key] = (previous[0], obj)

    def delete(self, modelname: str, uid: str) -> None:
        """Delete the key."""
        self._ops[(modelname, uid)] = (_DELETE, None)

    def clear(self) -> None:
        """Forget every pending write."""
        self._ops.clear()

    def rows(self, store_id: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]:
        """The ``(store_id, model, uid)`` keys to delete and the ``(store_id, model, uid, json)`` rows to upsert."""
        deletes = [(store_id, model, uid) for (model, uid), (op, _) in self._ops.items() if op != _PUT]
        upserts = [
            (store_id, model, uid, dump_object(obj))
            for (model, uid), (op, obj) in self._ops.items()
            if obj is not None
        ]
        return deletes, upserts


class WriteConflict(StoreLocked):
    """Pending writes were based on objects that another process has changed since; they were discarded."""


class StoreWriter:
    """Everything that writes the objects of one store_id: the pending batch and the version it is based on.

    Every commit that changes the store_id's objects bumps its version in the file. A commit made
    here first checks that the version is still the one this writer last saw; otherwise another
    process wrote to the store_id meanwhile, and the pending writes (based on objects read before
    that) would silently overwrite its changes: they are discarded and WriteConflict (a StoreLocked)
    is raised instead.
    """

    __slots__ = ("batch", "db", "store_id", "version", "wrote")

    def __init__(self, db: SQLiteDatabase, store_id: str) -> None:
        self.db = db
        self.store_id = store_id
        self.batch = WriteBatch()
        self.version = db.version(store_id)
        self.wrote = False  # set when something was written inside the open transaction

    @contextlib.contextmanager
    def writing(self, action: str, *, check: bool = True) -> Iterator[None]:
        """Run the block in the open transaction, or in a new one that checks (``check``) and bumps the version."""
        if self.db.in_transaction:
            self.wrote = True
            yield
            return
        with self.db.writing(action):
            current = self.db.version(self.store_id)
            if check and current != self.version:
                raise self._conflict(current)
            yield
            self.version = self.db.bump_version(self.store_id)

    def _conflict(self, current: int) -> WriteConflict:
        """Discard the pending writes (based on version ``self.version``; the file is at ``current``)."""
        error = WriteConflict(
            f"{self.db.label}: another process changed this store_id (version {self.version} -> {current}) after "
            f"this store read it; {len(self.batch)} write(s) made here since were discarded rather than overwrite "
            f"its changes. Read the objects again and repeat the load or sync; do not write to one store_id from "
            f"two processes at once"
        )
        self.batch.clear()
        self.version = current
        return error

    def begin(self) -> bool:
        """Start a transaction (BEGIN IMMEDIATE); True when another process changed the store_id since it was read."""
        self.db.begin("starting a transaction")
        self.wrote = False
        try:
            current = self.db.version(self.store_id)
        except BaseException:
            self.db.rollback()
            raise
        changed, self.version = current != self.version, current
        return changed

    def commit(self) -> None:
        """Commit the transaction, counting it in the version when it changed any object."""
        if self.wrote:
            self.version = self.db.bump_version(self.store_id)
        self.db.commit("committing the transaction")

    def rollback(self) -> None:
        """Undo the transaction and forget the pending writes."""
        self.db.rollback()
        self.batch.clear()
        with contextlib.suppress(ObjectStoreException):  # the caller's original error matters more
            self.version = self.db.version(self.store_id)

    def flush(self) -> None:
        """Send every pending write to the file (in the open transaction, or in one of its own)."""
        if not len(self.batch):
            return
        deletes, upserts = self.batch.rows(self.store_id)
        with self.writing(f"saving {len(upserts)} and deleting {len(deletes)} objects"):
            self.db.write(deletes, upserts)
        self.batch.clear()


def flush_and_close(writer: StoreWriter) -> None:
    """Last chance for pending writes (a store garbage-collected or alive at exit without ``close()``)."""
    try:
        if not writer.db.in_transaction:  # never commit half of a sync that is still running
            writer.flush()
    except ObjectStoreException as exc:
        if _log.isEnabledFor(logging.ERROR):
            _log.error("%d unsaved write(s) lost: %s", len(writer.batch), exc)
    finally:
        writer.batch.clear()
        writer.db.close()
