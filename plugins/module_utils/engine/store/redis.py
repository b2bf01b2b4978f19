"""RedisStore: an adapter's objects in Redis as JSON, read and written in batches, one writer at a time.

Contract, beyond BaseStore's:

- Objects live at ``diffsync:<store_id>:<model>:<unique_id>``; index keys beside them (see _redis_writes)
  give ``count``, ``get_all`` (insertion order) and ``get_all_model_names`` without SCAN.
- Objects are live: one store instance hands out the same Python object for the same key, so what a sync
  changes on them is seen by later reads and written back (``object_changed``). Reads that miss the
  in-process map fetch in pipelined MGET batches (see _redis_reader).
- Writes are buffered. Outside a transaction they are written every ``batch_size`` objects and on
  ``flush()``/``close()`` (and, as a last resort, at interpreter exit); reads always include them, other
  store instances see them once written. Inside ``transaction()`` they are written at its end in one
  MULTI/EXEC, or not at all if the block raises.
- Every write happens under the store_id's lock (see _redis_lock), so two processes never interleave;
  a transaction that finds the store changed by another writer drops its cached objects and reads again.
- redis-py errors become StoreUnavailable / StoreCorrupted / StoreLocked naming the store and server,
  never showing the password. Not thread-safe: use one store instance per thread.
"""

from __future__ import annotations

import atexit
import contextlib
import uuid
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from ..exceptions import ObjectNotFound, ObjectStoreException
from ..logging import get_logger
from . import BaseStore, ModelSpec
from ._redis_client import (
    HAS_REDIS,
    REDIS_IMPORT_ERROR,
    StoreConnection,
    check_options,
    describe,
    make_client,
    require_redis,
)
from ._redis_reader import ABSENT, RedisReader
from ._redis_writer import RedisWriter
from ._redis_writes import RedisKeys

if TYPE_CHECKING:
    from ..model import DiffSyncModel

__all__ = ["HAS_REDIS", "REDIS_IMPORT_ERROR", "RedisStore"]

_log = get_logger("store.redis")
_OPEN_STORES: weakref.WeakSet[RedisStore] = weakref.WeakSet()
_EXIT_LOCK_WAIT = 5.0


class RedisStore(BaseStore):
    """Objects of one adapter in Redis under ``diffsync:<store_id>:``; see the module docstring."""

    def __init__(
        self,
        *args: Any,
        store_id: str | None = None,
        host: str | None = None,
        port: int = 6379,
        url: str | None = None,
        db: int = 0,
        password: str | None = None,
        username: str | None = None,
        ssl: bool = False,
        ssl_ca_certs: str | None = None,
        unix_socket_path: str | None = None,
        socket_timeout: float | None = 10.0,
        lock_timeout: float = 60.0,
        lock_ttl: float = 60.0,
        batch_size: int = 1000,
        **kwargs: Any,
    ) -> None:
        """Connect (one PING) to the server given by ``url``, ``host``/``port`` or ``unix_socket_path``.

        ``store_id`` defaults to a random hex id. ``lock_timeout``: seconds to wait for another writer's
        lock; ``lock_ttl``: seconds after which the lock of a writer that died expires. Raises ValueError
        for contradictory options (e.g. both ``url`` and ``host``), StoreUnavailable when redis-py is
        missing or the server cannot be reached or refuses the credentials.
        """
        check_options(url=url, host=host, unix_socket_path=unix_socket_path, ssl=ssl, ssl_ca_certs=ssl_ca_certs)
        require_redis()
        super().__init__(*args, **kwargs)
        self._store_id = uuid.uuid4().hex if store_id is None else store_id
        keys = RedisKeys(self._store_id)
        self._store_label = keys.prefix[:-1]
        self._where = describe(url=url, host=host, port=port, db=db, unix_socket_path=unix_socket_path)
        self._closed = False
        self._store = make_client(
            url=url, host=host, port=port, db=db, password=password, username=username, ssl=ssl,
            ssl_ca_certs=ssl_ca_certs, unix_socket_path=unix_socket_path, socket_timeout=socket_timeout,
        )
        self._conn = StoreConnection(self._store, keys, label=str(self), batch_size=max(int(batch_size), 1))
        self._reader = RedisReader(self._conn)
        self._writer = RedisWriter(self._conn, lock_ttl=lock_ttl, lock_timeout=lock_timeout, on_reset=self._reset)
        try:
            with self._conn.boundary("connecting (PING)"):
                pipe = self._store.pipeline(transaction=False)
                pipe.ping().get(keys.seq)
                self._writer.seen_seq = int(pipe.execute()[1] or 0)
        except BaseException:
            self._store.close()
            raise
        _OPEN_STORES.add(self)

    @property
    def store_id(self) -> str:
        """The id under which this store's keys live."""
        return self._store_id

    def __str__(self) -> str:
        return f"{self.name} {self._store_id!r} at {self._where}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_id={self._store_id!r} at {self._where}>"

    # -- reads ----------------------------------------------------------------------------------------

    def get_all_model_names(self) -> set[str]:
        return self._reader.model_names()

    def get(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel:
        modelname, uid = self._resolve_key(model, identifier)
        objects = self._reader.model(modelname)
        obj = objects.get(uid, ABSENT)
        if obj is None:
            self._reader.fetch(modelname, [uid], self.adapter)
            obj = objects[uid]
        elif obj is ABSENT:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        return cast("DiffSyncModel", obj)

    def get_all(self, *, model: ModelSpec) -> list[DiffSyncModel]:
        modelname = cast(str, self._model_name(model))
        objects = self._reader.model(modelname)
        if self._reader.unfetched.get(modelname):
            self._reader.fetch(modelname, [uid for uid, obj in objects.items() if obj is None], self.adapter)
        return cast("list[DiffSyncModel]", list(objects.values()))

    def get_by_uids(self, *, uids: list[str], model: ModelSpec) -> list[DiffSyncModel]:
        modelname = cast(str, self._model_name(model))
        objects = self._reader.model(modelname)
        try:
            found = [objects[uid] for uid in uids]
        except KeyError as exc:
            raise ObjectNotFound(f"{modelname} {exc.args[0]} not present in {self}") from None
        if self._reader.unfetched.get(modelname):
            missing = [uid for uid, obj in zip(uids, found, strict=True) if obj is None]
            if missing:
                self._reader.fetch(modelname, missing, self.adapter)
                found = [objects[uid] for uid in uids]
        return cast("list[DiffSyncModel]", found)

    def count(self, *, model: ModelSpec | None = None) -> int:
        if model is None:
            return self._reader.count_all()
        return len(self._reader.model(cast(str, self._model_name(model))))

    def get_metadata(self, key: str) -> str | None:
        """The metadata value ``key`` (buffered or stored), or None."""
        pending = self._writer.pending.metadata
        if key in pending:
            return pending[key]
        return self._reader.stored_metadata().get(key)

    # -- writes ---------------------------------------------------------------------------------------

    def add(self, *, obj: DiffSyncModel) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        objects = self._reader.model(modelname)
        existing = self.get(model=modelname, identifier=uid) if uid in objects else None
        if not self._admit(existing, obj):
            return
        objects[uid] = obj
        self._appended(modelname, uid)
        self._writer.changed(modelname, uid, obj)

    def update(self, *, obj: DiffSyncModel) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        objects = self._reader.model(modelname)
        old = objects.get(uid, ABSENT)
        if old is None:
            self._reader.forget_unfetched(modelname)
        elif old is ABSENT:
            self._appended(modelname, uid)
        objects[uid] = obj
        self._writer.changed(modelname, uid, obj)

    def remove(self, *, obj: DiffSyncModel, remove_children: bool = False) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        old = self._reader.model(modelname).pop(uid, ABSENT)
        if old is ABSENT:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        if old is None:
            self._reader.forget_unfetched(modelname)
        if obj.adapter is not None:
            obj.adapter = None
        self._writer.pending.drop(modelname, uid)
        self._writer.changed(modelname, uid, None)
        if remove_children:
            self._remove_children(obj)

    def object_changed(self, obj: DiffSyncModel) -> None:
        """Write ``obj`` back if it is the very object this store holds for its key (else nothing to do)."""
        modelname = obj.get_type()
        objects = self._reader.objects.get(modelname)
        if objects is not None:
            uid = obj.get_unique_id()
            if objects.get(uid) is obj:
                self._writer.changed(modelname, uid, obj)

    def clear(self) -> None:
        """Remove every object (model names and metadata stay); buffered like any other removal."""
        for modelname in self.get_all_model_names():
            objects = self._reader.model(modelname)
            uids = list(objects)
            for obj in objects.values():
                if obj is not None:
                    obj.adapter = None
            objects.clear()
            self._reader.unfetched.pop(modelname, None)
            self._reader.ahead.pop(modelname, None)
            for uid in uids:
                self._writer.pending.drop(modelname, uid)
                self._writer.changed(modelname, uid, None)

    def set_metadata(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key`` in the store's metadata hash (buffered like object writes)."""
        if self._reader.metadata is not None:
            self._reader.metadata[key] = value
        self._writer.metadata_changed(key, value)

    def flush(self) -> None:
        """Write the buffered changes now (a no-op inside a transaction, which writes at its end)."""
        self._writer.flush()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store_id's lock for the block and write its changes at the end in one MULTI/EXEC.

        If the block raises, nothing is written, the lock is released and the cached objects are dropped
        (later reads come from Redis). Raises StoreLocked when the lock cannot be taken within
        ``lock_timeout`` or was lost before the commit. A nested block joins the outer one.
        """
        with self._writer.transaction():
            yield

    def close(self) -> None:
        """Write what is buffered (outside a transaction) and disconnect. Safe to call twice."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            _OPEN_STORES.discard(self)
            self._writer.lock.stop_keeper()
            self._store.close()

    # -- internals ------------------------------------------------------------------------------------

    def _appended(self, modelname: str, uid: str) -> None:
        """``uid`` is new in the model: it goes to the end of the model's index."""
        self._writer.pending.append(modelname, uid)
        self._reader.local_names.add(modelname)

    def _reset(self) -> None:
        """Forget every cached object: later reads come from Redis."""
        self._reader = RedisReader(self._conn)


@atexit.register
def _flush_open_stores() -> None:
    """Last resort for scripts that never call flush() or close(): write what is still buffered."""
    for store in list(_OPEN_STORES):
        try:
            store._writer.flush(lock_timeout=_EXIT_LOCK_WAIT)  # pylint: disable=protected-access
        except Exception as exc:  # nothing may be raised at exit; say what was lost
            reason = exc if isinstance(exc, ObjectStoreException) else type(exc).__name__
            _log.warning("%s: buffered writes were lost at exit: %s", store, reason)
