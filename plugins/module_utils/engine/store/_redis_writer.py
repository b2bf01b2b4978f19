"""RedisStore's write path: buffered changes committed in one MULTI/EXEC while holding the store lock.

A commit WATCHes the lock key, checks that this process still holds it, bumps ``__seq__`` (which also
hands out index scores), then sends every write in one MULTI/EXEC: after a crash each object is either
its old or its new value. ``seen_seq`` is the ``__seq__`` the cached objects match: a commit that finds
another writer's commits since then leaves it behind, so the next transaction drops the cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..exceptions import ObjectStoreException, StoreLocked
from ..logging import get_logger
from . import _redis_client
from ._redis_lock import RedisLock
from ._redis_writes import PendingWrites, WriteBatch

if TYPE_CHECKING:
    from ..model import DiffSyncModel
    from ._redis_client import StoreConnection

_log = get_logger("store.redis")


class RedisWriter:
    """Buffered writes, the lock, and the version of the store the cached objects match."""

    def __init__(
        self, conn: StoreConnection, *, lock_ttl: float, lock_timeout: float, on_reset: Callable[[], None]
    ) -> None:
        """``on_reset`` is called whenever the cached objects must be dropped (failed or stale writes)."""
        self.conn = conn
        self.lock = RedisLock(conn.client, conn.keys.lock, ttl=lock_ttl, timeout=lock_timeout, label=conn.label)
        self.pending = PendingWrites()
        self.depth = 0  # nesting of open transaction() blocks
        self.seen_seq = 0
        self._on_reset = on_reset

    def changed(self, modelname: str, uid: str, obj: DiffSyncModel | None) -> None:
        """Buffer the write of ``obj`` (None: deletion); outside a transaction, write a full batch."""
        self.pending.put(modelname, uid, obj)
        if self.pending.count >= self.conn.batch_size and not self.depth:
            self.flush()

    def metadata_changed(self, key: str, value: str) -> None:
        """Buffer the write of one metadata value."""
        self.pending.put_metadata(key, value)
        if self.pending.count >= self.conn.batch_size and not self.depth:
            self.flush()

    def flush(self, *, lock_timeout: float | None = None) -> None:
        """Write what is buffered under the lock, unless a transaction is open (it writes at its end)."""
        if self.depth or not self.pending.count:
            return
        with self.conn.boundary("taking the store lock to write"):
            self.lock.acquire(timeout=lock_timeout)
        self.commit(release=True)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """RedisStore.transaction(): begin, run the block, then commit it or abort; nested blocks join."""
        if self.depth:
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
            return
        self.begin()
        self.depth = 1
        try:
            yield
        except BaseException:
            self.depth = 0
            self.abort()
            raise
        self.depth = 0
        self.commit(release=True)

    def begin(self) -> None:
        """Take the lock for a transaction, write what was buffered before, drop the cache if it is stale."""
        with self.conn.boundary("taking the store lock"):
            self.lock.acquire()
        if self.pending.count:
            self.commit(release=False)
        try:
            with self.conn.boundary("reading the store's version"):
                seq = int(self.conn.client.get(self.conn.keys.seq) or 0)
        except BaseException:
            self.abort()
            raise
        if seq != self.seen_seq:
            _log.debug("%s: changed by another writer; dropping cached objects", self.conn.label)
            self.pending = PendingWrites()
            self._on_reset()
            self.seen_seq = seq
        self.lock.start_keeper()

    def abort(self) -> None:
        """Drop buffered writes and cached objects; release the lock if the server still answers."""
        self.pending = PendingWrites()
        self._on_reset()
        with contextlib.suppress(ObjectStoreException), self.conn.boundary("releasing the store lock"):
            self.lock.release()
        self.lock.forget()

    def commit(self, *, release: bool) -> None:
        """Write the buffered changes in one MULTI/EXEC (then release the lock, or keep it); abort on failure."""
        self.lock.stop_keeper()
        if not self.pending.count:  # nothing to write: do not move the store's version
            if release:
                with self.conn.boundary("releasing the store lock"):
                    self.lock.release()
            return
        pending, self.pending = self.pending, PendingWrites()
        try:
            batch = WriteBatch(self.conn.keys, pending, chunk=self.conn.batch_size, label=self.conn.label)
            with self.conn.boundary(f"writing {batch.objects} objects"):
                prior = self._write(batch, release=release)
        except BaseException:
            self.abort()
            raise
        if release:
            self.lock.forget()
        if prior == self.seen_seq:
            self.seen_seq = prior + batch.new_entries + 1
        _log.debug("%s: wrote %d objects", self.conn.label, batch.objects)

    def _write(self, batch: WriteBatch, *, release: bool) -> int:
        """Send ``batch`` if the lock is still ours; returns the store's version before it."""
        client, keys, lock = self.conn.client, self.conn.keys, self.lock
        with client.pipeline(transaction=True) as pipe:
            pipe.watch(keys.lock)
            if pipe.get(keys.lock) != lock.token:
                raise StoreLocked(
                    f"{self.conn.label}: the store lock expired before {batch.objects} buffered objects could be "
                    f"written; nothing was written. Raise lock_ttl= (now {lock.ttl_ms / 1000:g} s) and run again"
                )
            top = int(pipe.incrby(keys.seq, batch.new_entries + 1))
            tail = [b"DEL", keys.lock.encode()] if release else [b"PEXPIRE", keys.lock.encode(), b"%d" % lock.ttl_ms]
            packed, count = batch.transaction(first_score=top - batch.new_entries, tail=[tail])
            execute_packed(pipe.connection, packed, count)
        return top - batch.new_entries - 1


def execute_packed(connection: Any, packed: bytes, count: int) -> None:
    """Send a packed ``MULTI, <count> commands, EXEC`` on ``connection`` (which WATCHes) and check the replies.

    Raises redis-py's WatchError when a watched key changed (nothing was applied), or the first error
    inside EXEC's reply. On any failure the connection is dropped: its replies are no longer in step.
    """
    try:
        connection.send_packed_command([packed], check_health=False)
        connection.read_response()  # MULTI: OK
        for _ in range(count):
            connection.read_response()  # QUEUED; a malformed command raises here and EXEC is never applied
        replies = connection.read_response()
    except BaseException:
        connection.disconnect()
        raise
    if replies is None:
        raise _redis_client.redis_errors.WatchError("a watched key changed before EXEC; nothing was applied")
    for reply in replies:
        if isinstance(reply, Exception):
            raise reply
