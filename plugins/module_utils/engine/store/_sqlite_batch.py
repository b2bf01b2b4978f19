"""Writes of ``SQLiteStore`` waiting to be sent to SQLite in one ``executemany`` per kind."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..exceptions import ObjectStoreException
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

    def flush(self, db: SQLiteDatabase, store_id: str) -> None:
        """Send every pending write to ``db`` (in its open transaction, or in one of its own) and forget them."""
        if not self._ops:
            return
        deletes, upserts = self.rows(store_id)
        db.write(deletes, upserts)
        self._ops.clear()


def flush_and_close(db: SQLiteDatabase, batch: WriteBatch, store_id: str) -> None:
    """Last chance for pending writes (a store garbage-collected or alive at exit without ``close()``)."""
    try:
        if not db.in_transaction:  # never commit half of a sync that is still running
            batch.flush(db, store_id)
    except ObjectStoreException as exc:
        if _log.isEnabledFor(logging.ERROR):
            _log.error("%d unsaved write(s) lost: %s", len(batch), exc)
    finally:
        batch.clear()
        db.close()
