"""SQLiteStore: the zero-setup persistent store, one SQLite file (standard library ``sqlite3``), no server.

Objects are kept as JSON (``store.serial``), never pickle, and rebuilt through the adapter's model
classes. Several stores (``store_id``s) share one file; the file is in WAL mode, so other processes can
read while one writes.

Like ``LocalStore``, the store hands out live objects: within one store instance the same key always
gives the same Python object. Reads that miss this identity map fetch in bulk, and writes are batched
(one ``executemany`` per kind) until a read needs them, ``batch_size`` of them are waiting, a
transaction ends, or the store is closed. ``transaction()`` (which a sync runs inside) is one SQLite
transaction: all of the sync is saved, or, when it raises, none of it.

Objects already read are not read again when another process changes them, except at the start of
a transaction. Writing objects another process changed since they were read here raises StoreLocked
(a WriteConflict) instead of overwriting its changes: one writer per store_id at a time.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from typing import TYPE_CHECKING, Any

from ..exceptions import ObjectNotFound, StoreUnavailable
from . import BaseStore, ModelSpec
from ._sqlite_batch import StoreWriter, WriteConflict, flush_and_close
from ._sqlite_db import SQLiteDatabase
from ._sqlite_live import LiveObjects, build_object, resolve_model_class

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..model import DiffSyncModel

_BULK_AFTER_MISSES = 16  # after this many lookups a model's live objects missed, read all of the model at once


class SQLiteStore(BaseStore):
    """Objects of one ``store_id`` in the SQLite file ``database_path``; see the module docstring.

    ``timeout`` is how many seconds to wait for another process's write lock before StoreLocked;
    ``batch_size`` how many pending writes are sent at once outside a transaction. Call ``close()``
    (or use the store in a ``with`` block) to save pending writes; they are also saved at exit.
    """

    def __init__(  # pylint: disable=too-many-arguments
        self,
        *args: Any,
        database_path: str | os.PathLike[str],
        store_id: str = "default",
        timeout: float = 60.0,
        batch_size: int = 10_000,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(store_id, str) or not store_id:
            raise ValueError(f"SQLiteStore: store_id must be a non-empty string, got {store_id!r}")
        self.database_path = os.fspath(database_path)
        self.store_id = store_id
        self.batch_size = max(1, batch_size)
        self._label = str(self)
        self._db = SQLiteDatabase(self.database_path, timeout=timeout, label=self._label)
        self._writer = StoreWriter(self._db, store_id)
        self._batch = self._writer.batch
        self._finalizer = weakref.finalize(self, flush_and_close, self._writer)
        self._live = LiveObjects(all_complete=not self._db.has_objects(store_id))

    def __str__(self) -> str:
        return f"{self.name}({self.database_path!r}, store_id={self.store_id!r})"

    def __repr__(self) -> str:
        return f"<{self}>"

    # -- reads ----------------------------------------------------------------------------------------

    def get_all_model_names(self) -> set[str]:
        self._check_open()
        if self._live.all_complete:
            return self._live.model_names()
        self._flush()
        return self._db.model_names(self.store_id)

    def get(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel:
        modelname, uid = self._resolve_key(model, identifier)
        obj = self._find(modelname, uid)
        if obj is None:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        return obj

    def get_all(self, *, model: ModelSpec) -> list[DiffSyncModel]:
        self._check_open()
        modelname: str = self._model_name(model)  # type: ignore[assignment]
        if not self._live.is_complete(modelname):
            self._load_model(modelname)
        return list(self._live.of(modelname).values())

    def get_by_uids(self, *, uids: list[str], model: ModelSpec) -> list[DiffSyncModel]:
        self._check_open()
        modelname: str = self._model_name(model)  # type: ignore[assignment]
        live = self._live.of(modelname)
        with contextlib.suppress(KeyError):
            return [live[uid] for uid in uids]
        self._fetch_missing(modelname, uids)
        live = self._live.of(modelname)
        try:
            return [live[uid] for uid in uids]
        except KeyError as exc:
            raise ObjectNotFound(f"{modelname} {exc.args[0]} not present in {self}") from None

    def count(self, *, model: ModelSpec | None = None) -> int:
        self._check_open()
        modelname = self._model_name(model)
        if modelname is None and self._live.all_complete:
            return self._live.total()
        if modelname is not None and self._live.is_complete(modelname):
            return len(self._live.of(modelname))
        self._flush()
        return self._db.count(self.store_id, modelname)

    # -- writes ---------------------------------------------------------------------------------------

    def add(self, *, obj: DiffSyncModel) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        if not self._admit(self._find(modelname, uid), obj):
            return
        self._put(modelname, uid, obj)

    def update(self, *, obj: DiffSyncModel) -> None:
        self._check_open()
        self._put(obj.get_type(), obj.get_unique_id(), obj)

    def remove(self, *, obj: DiffSyncModel, remove_children: bool = False) -> None:
        self._check_open()
        modelname, uid = obj.get_type(), obj.get_unique_id()
        if not self._live.discard(modelname, uid) and (
            self._known_absent(modelname, uid) or self._db.fetch_one(self.store_id, modelname, uid) is None
        ):
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        self._batch.delete(modelname, uid)
        self._flush_if_full()
        if obj.adapter is not None:
            obj.adapter = None
        if remove_children:
            self._remove_children(obj)

    def object_changed(self, obj: DiffSyncModel) -> None:
        """Save ``obj`` again if it is the live object stored under its key; other objects are not stored here."""
        self._check_open()
        modelname, uid = obj.get_type(), obj.get_unique_id()
        if self._live.get(modelname, uid) is obj:
            self._batch.put(modelname, uid, obj)
            self._flush_if_full()

    def clear(self) -> None:
        """Remove every object of this store_id (its metadata stays)."""
        self._check_open()
        self._batch.clear()
        with self._writer.writing("clearing the store", check=False):  # reads nothing, so nothing is stale
            self._db.clear(self.store_id)
        self._live.detach_all()
        self._live = LiveObjects(all_complete=True)

    def get_metadata(self, key: str) -> str | None:
        return self._db.get_metadata(self.store_id, key)

    def set_metadata(self, key: str, value: str) -> None:
        self._db.set_metadata(self.store_id, key, value)

    # -- transactions and life cycle ------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One SQLite transaction around the block (BEGIN IMMEDIATE ... COMMIT).

        Writes made before the block are saved first. If another process changed this store_id
        since it was read here, the live objects are forgotten and read again. When the block
        raises, the transaction is rolled back, the live objects are forgotten (later reads come
        from the file, as it was before the block) and the exception is re-raised. Nested blocks
        join the outer one. StoreLocked when another process holds the write lock for longer
        than ``timeout``.
        """
        if self._db.in_transaction:
            yield
            return
        self._flush()
        if self._writer.begin():
            self._live = LiveObjects(all_complete=not self._db.has_objects(self.store_id))
        try:
            yield
            self._flush()
            self._writer.commit()
        except BaseException:
            self._writer.rollback()
            self._live = LiveObjects(all_complete=False)
            raise

    def flush(self) -> None:
        """Save pending writes now (in the open transaction, if any)."""
        self._check_open()
        self._flush()

    def close(self) -> None:
        """Save pending writes and close the file. Safe to call twice."""
        if self._db.closed:
            return
        try:
            self._flush()
        finally:
            self._finalizer()

    # -- internals ------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._db.closed:
            raise StoreUnavailable(f"{self}: the store is closed; create a new SQLiteStore to use the file again")

    def _known_absent(self, modelname: str, uid: str) -> bool:
        """True when a key missing from the identity map is known not to be stored (no query needed)."""
        return self._live.is_complete(modelname) or (modelname, uid) in self._batch

    def _find(self, modelname: str, uid: str) -> DiffSyncModel | None:
        """The live object under the key, read from the file when needed; None when not stored."""
        self._check_open()
        obj = self._live.get(modelname, uid)
        if obj is not None or self._known_absent(modelname, uid):
            return obj
        if self._bulk_read_after_miss(modelname):
            return self._live.get(modelname, uid)
        data = self._db.fetch_one(self.store_id, modelname, uid)
        return None if data is None else self._adopt(modelname, uid, data)

    def _fetch_missing(self, modelname: str, uids: list[str]) -> None:
        """Read the objects of ``uids`` missing from the identity map, in one query per chunk."""
        live = self._live.of(modelname)
        missing = [uid for uid in dict.fromkeys(uids) if uid not in live and not self._known_absent(modelname, uid)]
        if not missing or self._bulk_read_after_miss(modelname):
            return
        for uid, data in self._db.fetch_many(self.store_id, modelname, missing):
            self._adopt(modelname, uid, data)

    def _bulk_read_after_miss(self, modelname: str) -> bool:
        """Count a miss; after ``_BULK_AFTER_MISSES`` of them read the whole model (True when done now)."""
        if self._live.count_miss(modelname) < _BULK_AFTER_MISSES:
            return False
        self._load_model(modelname)
        return True

    def _load_model(self, modelname: str) -> None:
        """Read every object of ``modelname`` in one query; the identity map then holds them all, in order."""
        self._flush()
        live = self._live.of(modelname)
        model_class = resolve_model_class(self.adapter, modelname)
        objects = {}
        for uid, data in self._db.fetch_model(self.store_id, modelname):
            obj = live.get(uid)
            if obj is None:
                obj = build_object(self.adapter, self._label, modelname, uid, data, model_class)
            objects[uid] = obj
        self._live.set_model(modelname, objects)

    def _adopt(self, modelname: str, uid: str, data: str) -> DiffSyncModel:
        """Build an object read from the file and make it the live one for its key."""
        obj = build_object(self.adapter, self._label, modelname, uid, data)
        self._live.put(modelname, uid, obj)
        return obj

    def _put(self, modelname: str, uid: str, obj: DiffSyncModel) -> None:
        self._live.put(modelname, uid, obj)
        self._batch.put(modelname, uid, obj)
        self._flush_if_full()

    def _flush_if_full(self) -> None:
        if len(self._batch) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        """Send pending writes (in the open transaction, or in one committed now).

        On WriteConflict the writes were discarded: the live objects are stale, so they are forgotten too.
        """
        try:
            self._writer.flush()
        except WriteConflict:
            self._live = LiveObjects(all_complete=False)
            raise
