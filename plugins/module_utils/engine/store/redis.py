"""RedisStore: an adapter's objects in Redis as JSON, read and written in batches, one writer at a time.

Contract (beyond BaseStore's):

- Objects live at ``diffsync:<store_id>:<model>:<unique_id>``; index keys beside them (see _redis_writes)
  give ``count``, ``get_all`` (insertion order) and ``get_all_model_names`` without SCAN.
- Objects are live: one store instance hands out the same Python object for the same key, so what a sync
  changes on them is seen by later reads and written back (``object_changed``). Reads that miss the
  in-process map fetch in pipelined MGET batches, with read-ahead in index order.
- Writes are buffered. Outside a transaction they are written every ``batch_size`` objects and on
  ``flush()``/``close()`` (and, as a last resort, at interpreter exit); reads always include them.
  Inside ``transaction()`` they are written at its end in one MULTI/EXEC, or not at all if it raises.
- Every write happens under the store_id's lock, so two processes cannot interleave; a transaction
  that finds the store changed by someone else since this instance last looked drops its cached
  objects and reads again.
- redis-py errors become StoreUnavailable / StoreCorrupted / StoreLocked naming the store and server,
  never showing the password.
"""

from __future__ import annotations

import atexit
import contextlib
import uuid
import weakref
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from ..exceptions import ObjectNotFound, ObjectStoreException, StoreCorrupted, StoreLocked
from ..logging import get_logger
from . import BaseStore, ModelSpec, check_can_add
from ._redis_client import HAS_REDIS, REDIS_IMPORT_ERROR, boundary, check_options, describe, make_client, require_redis
from ._redis_lock import RedisLock
from ._redis_writes import PendingWrites, RedisKeys, WriteBatch
from .serial import load_object

if TYPE_CHECKING:
    from ..model import DiffSyncModel

__all__ = ["HAS_REDIS", "REDIS_IMPORT_ERROR", "RedisStore"]

_log = get_logger("store.redis")
_OPEN_STORES: weakref.WeakSet[RedisStore] = weakref.WeakSet()
_FETCH_GROUP = 10  # MGET batches sent per round trip
_ABSENT = object()
_EXIT_LOCK_WAIT = 5.0


class RedisStore(BaseStore):  # pylint: disable=too-many-instance-attributes
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
        lock; ``lock_ttl``: seconds before the lock of a dead writer expires. Raises ValueError for
        contradictory options (e.g. both ``url`` and ``host``), StoreUnavailable when redis-py is missing
        or the server cannot be reached or refuses the credentials.
        """
        check_options(url=url, host=host, unix_socket_path=unix_socket_path, ssl=ssl, ssl_ca_certs=ssl_ca_certs)
        require_redis()
        super().__init__(*args, **kwargs)
        self._store_id = uuid.uuid4().hex if store_id is None else store_id
        self._keys = RedisKeys(self._store_id)
        self._store_label = self._keys.prefix[:-1]
        self._where = describe(url=url, host=host, port=port, db=db, unix_socket_path=unix_socket_path)
        self._batch_size = max(int(batch_size), 1)
        self._depth = 0
        self._closed = False
        self._store = make_client(
            url=url, host=host, port=port, db=db, password=password, username=username, ssl=ssl,
            ssl_ca_certs=ssl_ca_certs, unix_socket_path=unix_socket_path, socket_timeout=socket_timeout,
        )
        self._lock = RedisLock(self._store, self._keys.lock, ttl=lock_ttl, timeout=lock_timeout, label=str(self))
        self._reset_view()
        try:
            with self._boundary("connecting (PING)"):
                pipe = self._store.pipeline(transaction=False)
                pipe.ping().get(self._keys.seq)
                self._seen_seq = int(pipe.execute()[1] or 0)
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
        if self._names is None:
            with self._boundary("reading the model names"):
                members = self._store.smembers(self._keys.models)
            self._names = {self._decode(member, self._keys.models) for member in members}
        return self._names | self._local_names

    def get(self, *, model: ModelSpec, identifier: str | dict) -> DiffSyncModel:
        object_class, modelname = self._get_object_class_and_model(model)
        uid = self._get_uid(model, object_class, identifier)
        objects = self._model(modelname)
        obj = objects.get(uid, _ABSENT)
        if obj is None:
            self._fetch(modelname, [uid])
            obj = objects[uid]
        elif obj is _ABSENT:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        return cast("DiffSyncModel", obj)

    def get_all(self, *, model: ModelSpec) -> list[DiffSyncModel]:
        modelname = cast(str, self._model_name(model))
        objects = self._model(modelname)
        if self._unfetched.get(modelname):
            self._fetch(modelname, [uid for uid, obj in objects.items() if obj is None])
        return cast("list[DiffSyncModel]", list(objects.values()))

    def get_by_uids(self, *, uids: list[str], model: ModelSpec) -> list[DiffSyncModel]:
        modelname = cast(str, self._model_name(model))
        objects = self._model(modelname)
        try:
            found = [objects[uid] for uid in uids]
        except KeyError as exc:
            raise ObjectNotFound(f"{modelname} {exc.args[0]} not present in {self}") from None
        if self._unfetched.get(modelname):
            missing = [uid for uid, obj in zip(uids, found, strict=True) if obj is None]
            if missing:
                self._fetch(modelname, missing)
                found = [objects[uid] for uid in uids]
        return cast("list[DiffSyncModel]", found)

    def count(self, *, model: ModelSpec | None = None) -> int:
        if model is not None:
            return len(self._model(cast(str, self._model_name(model))))
        names = self.get_all_model_names()
        cold = [name for name in names if name not in self._objects]
        total = sum(len(self._objects[name]) for name in names if name in self._objects)
        if cold:
            with self._boundary("counting objects"):
                pipe = self._store.pipeline(transaction=False)
                for name in cold:
                    pipe.zcard(self._keys.index(name))
                total += sum(pipe.execute())
        return total

    # -- writes ---------------------------------------------------------------------------------------

    def add(self, *, obj: DiffSyncModel) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        objects = self._model(modelname)
        if uid in objects:
            existing = self.get(model=modelname, identifier=uid)
            if existing is obj:
                return
            check_can_add(existing, obj, self)
        if obj.adapter is None and self.adapter is not None:
            obj.adapter = self.adapter
        objects[uid] = obj
        self._pending.append(modelname, uid)
        self._local_names.add(modelname)
        self._changed(modelname, uid, obj)

    def update(self, *, obj: DiffSyncModel) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        objects = self._model(modelname)
        old = objects.get(uid, _ABSENT)
        if old is None:
            self._unfetched[modelname] -= 1
        elif old is _ABSENT:
            self._pending.append(modelname, uid)
            self._local_names.add(modelname)
        objects[uid] = obj
        self._changed(modelname, uid, obj)

    def remove(self, *, obj: DiffSyncModel, remove_children: bool = False) -> None:
        modelname, uid = obj.get_type(), obj.get_unique_id()
        objects = self._model(modelname)
        old = objects.pop(uid, _ABSENT)
        if old is _ABSENT:
            raise ObjectNotFound(f"{modelname} {uid} not present in {self}")
        if old is None:
            self._unfetched[modelname] -= 1
        if obj.adapter is not None:
            obj.adapter = None
        self._pending.drop(modelname, uid)
        self._changed(modelname, uid, None)
        if remove_children:
            self._remove_children(obj)

    def object_changed(self, obj: DiffSyncModel) -> None:
        """Write ``obj`` back if it is the object this store holds for its key (else nothing to do)."""
        modelname = obj.get_type()
        objects = self._objects.get(modelname)
        if objects is not None:
            uid = obj.get_unique_id()
            if objects.get(uid) is obj:
                self._changed(modelname, uid, obj)

    def flush(self) -> None:
        """Write the buffered changes now (a no-op inside a transaction, which writes at its end)."""
        self._flush(lock_timeout=None)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store_id's lock for the block and write its changes at the end in one MULTI/EXEC.

        If the block raises, nothing is written, the lock is released and the cached objects are dropped
        (later reads come from Redis). Raises StoreLocked when the lock cannot be taken within
        ``lock_timeout`` or was lost before the commit. A nested block joins the outer one.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._abort()
            raise
        self._depth = 0
        self._lock.stop_keeper()
        self._commit(release=True)

    def close(self) -> None:
        """Write what is buffered (outside a transaction) and disconnect. Safe to call twice."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            _OPEN_STORES.discard(self)
            self._lock.stop_keeper()
            self._store.close()

    # -- internals ------------------------------------------------------------------------------------

    def _boundary(self, doing: str) -> contextlib.AbstractContextManager[None]:
        return boundary(label=str(self), doing=doing, client=self._store)

    def _reset_view(self) -> None:
        """Forget every cached object, index and buffered write: later reads come from Redis."""
        self._objects: dict[str, dict[str, DiffSyncModel | None]] = {}
        self._unfetched: dict[str, int] = {}
        self._ahead: dict[str, deque[str]] = {}
        self._names: set[str] | None = None
        self._local_names: set[str] = set()
        self._pending = PendingWrites()

    def _decode(self, member: bytes, key: str) -> str:
        try:
            return member.decode()
        except UnicodeDecodeError:
            raise StoreCorrupted(f"{self}: {key!r} holds a member that is not UTF-8 text: {member[:40]!r}") from None

    def _model(self, modelname: str) -> dict[str, DiffSyncModel | None]:
        """The model's unique ids in index order mapped to live objects (None: not fetched yet)."""
        objects = self._objects.get(modelname)
        if objects is None:
            key = self._keys.index(modelname)
            with self._boundary(f"reading the index of {modelname!r}"):
                members = self._store.zrange(key, 0, -1)
            uids = [self._decode(member, key) for member in members]
            objects = self._objects[modelname] = dict.fromkeys(uids)
            if uids:
                self._unfetched[modelname] = len(uids)
                self._ahead[modelname] = deque(uids)
        return objects

    def _fetch(self, modelname: str, uids: list[str]) -> None:
        """Fetch these not-yet-fetched objects, topped up with the next unfetched ones in index order."""
        wanted = list(dict.fromkeys(uids))
        wanted += self._read_ahead(modelname, set(wanted), -len(wanted) % self._batch_size)
        step = self._batch_size * _FETCH_GROUP
        for start in range(0, len(wanted), step):
            self._fetch_group(modelname, wanted[start:start + step])
        if not self._unfetched[modelname]:
            self._ahead.pop(modelname, None)

    def _read_ahead(self, modelname: str, wanted: set[str], room: int) -> list[str]:
        objects, ahead, extra = self._objects[modelname], self._ahead.get(modelname), []
        while ahead and len(extra) < room:
            uid = ahead.popleft()
            if uid not in wanted and objects.get(uid, _ABSENT) is None:
                extra.append(uid)
        return extra

    def _fetch_group(self, modelname: str, uids: list[str]) -> None:
        keys = [self._keys.value(modelname, uid) for uid in uids]
        with self._boundary(f"reading {len(keys)} {modelname!r} objects"):
            pipe = self._store.pipeline(transaction=False)
            for start in range(0, len(keys), self._batch_size):
                pipe.mget(keys[start:start + self._batch_size])
            values = [value for reply in pipe.execute() for value in reply]
        objects, adapter, label = self._objects[modelname], self.adapter, str(self)
        for uid, key, raw in zip(uids, keys, values, strict=True):
            if raw is None:
                raise StoreCorrupted(
                    f"{label}: {key!r} is listed in {self._keys.index(modelname)!r} but has no value: another "
                    f"process removed it meanwhile, or the store was damaged; open the store again, or load it anew"
                )
            objects[uid] = load_object(adapter, modelname, raw, where=f"{label}: key {key!r}")
            self._unfetched[modelname] -= 1

    def _changed(self, modelname: str, uid: str, obj: DiffSyncModel | None) -> None:
        """Buffer the write of ``obj`` (None: deletion); outside a transaction, flush a full batch."""
        self._pending.put(modelname, uid, obj)
        if self._pending.count >= self._batch_size and not self._depth:
            self._flush(lock_timeout=None)

    def _flush(self, *, lock_timeout: float | None) -> None:
        if self._depth or not self._pending.count:
            return
        with self._boundary("taking the store lock to write"):
            self._lock.acquire(timeout=lock_timeout)
        self._commit(release=True)

    def _begin(self) -> None:
        """Take the lock, write what was buffered before, and drop the cache if someone else wrote since."""
        with self._boundary("taking the store lock"):
            self._lock.acquire()
        if self._pending.count:
            self._commit(release=False)
        try:
            with self._boundary("reading the store's version"):
                seq = int(self._store.get(self._keys.seq) or 0)
        except BaseException:
            self._abort()
            raise
        if seq != self._seen_seq:
            _log.debug("%s: changed by another writer; dropping cached objects", self)
            self._reset_view()
            self._seen_seq = seq
        self._lock.start_keeper()

    def _abort(self) -> None:
        """Drop buffered writes and cached objects; release the lock if the server still answers."""
        self._reset_view()
        with contextlib.suppress(ObjectStoreException), self._boundary("releasing the store lock"):
            self._lock.release()
        self._lock.forget()

    def _commit(self, *, release: bool) -> None:
        """Write the buffered changes in one MULTI/EXEC while holding the lock; on failure, abort."""
        pending, self._pending = self._pending, PendingWrites()
        try:
            batch = WriteBatch(self._keys, pending, chunk=self._batch_size, label=str(self))
            with self._boundary(f"writing {batch.objects} objects"):
                prior = self._write(batch, release=release)
        except BaseException:
            self._abort()
            raise
        if release:
            self._lock.forget()
        if prior == self._seen_seq:
            self._seen_seq = prior + batch.new_entries + 1
        _log.debug("%s: wrote %d objects", self, batch.objects)

    def _write(self, batch: WriteBatch, *, release: bool) -> int:
        """Send ``batch`` if the lock is still ours; the store's version before it."""
        lock = self._keys.lock
        with self._store.pipeline(transaction=True) as pipe:
            pipe.watch(lock)
            if pipe.get(lock) != self._lock.token:
                raise StoreLocked(
                    f"{self}: the store lock expired before {batch.objects} buffered objects could be written; "
                    f"nothing was written. Raise lock_ttl= (now {self._lock.ttl_ms / 1000:g} s) and run again"
                )
            top = int(pipe.incrby(self._keys.seq, batch.new_entries + 1))
            pipe.multi()
            batch.queue(pipe, first_score=top - batch.new_entries)
            if release:
                pipe.delete(lock)
            else:
                pipe.pexpire(lock, self._lock.ttl_ms)
            pipe.execute()
        return top - batch.new_entries - 1


@atexit.register
def _flush_open_stores() -> None:
    """Last resort for scripts that never call flush()/close(): write what is still buffered."""
    for store in list(_OPEN_STORES):
        try:
            store._flush(lock_timeout=_EXIT_LOCK_WAIT)  # pylint: disable=protected-access
        except Exception as exc:  # nothing may be raised at exit; say what was lost
            reason = exc if isinstance(exc, ObjectStoreException) else type(exc).__name__
            _log.warning("%s: buffered writes were lost at exit: %s", store, reason)
