"""The per-store_id write lock of RedisStore: ``SET key token NX PX ttl``, released by compare-and-delete.

Every write to a store's keys happens while its writer holds this lock, so two processes writing the
same store_id never interleave. While a transaction is open a daemon thread keeps the lock alive
(renewing it every third of its TTL), so slow models do not lose it; if the process dies the lock
expires after its TTL.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from typing import Any

from ..exceptions import StoreLocked
from ..logging import get_logger

_log = get_logger("store.redis")

# KEYS[1] lock key, ARGV[1] token: delete the key only if we still hold it.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
# KEYS[1] lock key, ARGV[1] token, ARGV[2] ttl in ms: extend the key only if we still hold it.
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)


class RedisLock:
    """One store_id's lock as held (or not) by this process; not reentrant, not thread-safe."""

    def __init__(self, client: Any, key: str, *, ttl: float, timeout: float, label: str) -> None:
        """``ttl``: seconds before an abandoned lock expires; ``timeout``: seconds ``acquire`` waits."""
        self.client = client
        self.key = key
        self.ttl_ms = max(int(ttl * 1000), 1)
        self.timeout = timeout
        self.label = label
        self.token = b""
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)
        self._keeper: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def held(self) -> bool:
        """True between a successful ``acquire`` and ``release``/``forget``."""
        return bool(self.token)

    def acquire(self, *, timeout: float | None = None) -> None:
        """Take the lock, polling until ``timeout`` (default: the lock's) passes; StoreLocked if it does not come."""
        wait = self.timeout if timeout is None else timeout
        token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}".encode()
        start = time.monotonic()
        pause = 0.005
        while not self.client.set(self.key, token, nx=True, px=self.ttl_ms):
            if self.client.get(self.key) == token:
                break  # a retried SET whose first attempt had succeeded: the lock is ours
            waited = time.monotonic() - start
            if waited >= wait:
                raise StoreLocked(self._locked_message(waited))
            time.sleep(min(pause, wait - waited))
            pause = min(pause * 2, 0.1)
        self.token = token

    def _locked_message(self, waited: float) -> str:
        holder = self.client.get(self.key)
        expires = self.client.pttl(self.key)
        who = holder.decode(errors="replace").rpartition(":")[0] if holder else "a writer that just left"
        return (
            f"{self.label} is locked by another writer ({who}, lock key {self.key!r}, expires in "
            f"{max(expires, 0) / 1000:.1f} s unless renewed); waited {waited:.1f} s for it. Retry when that sync "
            f"has finished, or raise lock_timeout="
        )

    def release(self) -> None:
        """Drop the lock if this process still holds it; stops the keeper first."""
        self.stop_keeper()
        token, self.token = self.token, b""
        if token:
            self._release(keys=[self.key], args=[token])

    def forget(self) -> None:
        """Consider the lock released without telling Redis (it was deleted by the commit itself)."""
        self.stop_keeper()
        self.token = b""

    # -- keeping the lock alive during a long transaction -------------------------------------------

    def start_keeper(self) -> None:
        """Renew the lock every third of its TTL from a daemon thread until ``stop_keeper``."""
        self._stop.clear()
        self._keeper = threading.Thread(target=self._keep, name=f"{self.key} keeper", daemon=True)
        self._keeper.start()

    def stop_keeper(self) -> None:
        """Stop renewing; returns once no renewal is in flight (a commit may WATCH the key after this)."""
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            self._stop.set()
            keeper.join()

    def _keep(self) -> None:
        interval = self.ttl_ms / 3000
        token = self.token
        while not self._stop.wait(interval):
            try:
                if not self._renew(keys=[self.key], args=[token, self.ttl_ms]):
                    _log.warning("%s: lost the lock %r; the commit will fail", self.label, self.key)
                    return
            except Exception as exc:  # the commit reports the failure; keep trying meanwhile
                _log.debug("%s: could not renew the lock: %s", self.label, type(exc).__name__)
