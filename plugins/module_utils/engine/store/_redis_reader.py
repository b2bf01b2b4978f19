"""RedisStore's in-process view: the identity map of live objects and the batched reads that fill it.

A model's index (its unique ids in insertion order) is read whole, once, with one ZRANGE; objects are
fetched on demand in pipelined MGET batches, topped up with the next unfetched objects in index order
(read-ahead), so walking a store object by object still costs one round trip per batch.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from ..exceptions import StoreCorrupted
from .serial import load_object, model_class_for

if TYPE_CHECKING:
    from ..adapter import Adapter
    from ..model import DiffSyncModel
    from ._redis_client import StoreConnection

ABSENT: Any = object()
_FETCH_GROUP = 10  # MGET batches sent per round trip


class RedisReader:
    """Live objects of one store instance, plus what it knows of model names and metadata."""

    def __init__(self, conn: StoreConnection) -> None:
        self.conn = conn
        self.objects: dict[str, dict[str, DiffSyncModel | None]] = {}
        self.unfetched: dict[str, int] = {}
        self.ahead: dict[str, deque[str]] = {}
        self.stored_names: set[str] | None = None
        self.local_names: set[str] = set()
        self.metadata: dict[str, str] | None = None

    def decode(self, member: bytes, key: str) -> str:
        """``member`` of ``key`` as text; StoreCorrupted if it is not UTF-8."""
        try:
            return member.decode()
        except UnicodeDecodeError:
            raise StoreCorrupted(
                f"{self.conn.label}: {key!r} holds a member that is not UTF-8 text ({member[:40]!r}); something else "
                f"wrote there: delete that key or use another store_id"
            ) from None

    def model(self, modelname: str) -> dict[str, DiffSyncModel | None]:
        """The model's unique ids in index order mapped to live objects (None: not fetched yet)."""
        objects = self.objects.get(modelname)
        if objects is None:
            key = self.conn.keys.index(modelname)
            with self.conn.boundary(f"reading the index of {modelname!r}"):
                members = self.conn.client.zrange(key, 0, -1)
            uids = [self.decode(member, key) for member in members]
            objects = self.objects[modelname] = dict.fromkeys(uids)
            if uids:
                self.unfetched[modelname] = len(uids)
                self.ahead[modelname] = deque(uids)
        return objects

    def forget_unfetched(self, modelname: str, count: int = 1) -> None:
        """``count`` unfetched entries of the model were replaced or removed."""
        self.unfetched[modelname] -= count

    def fetch(self, modelname: str, uids: list[str], adapter: Adapter | None) -> None:
        """Fetch these not-yet-fetched objects of the model, topped up by read-ahead, into the map."""
        batch = self.conn.batch_size
        wanted = list(dict.fromkeys(uids))
        wanted += self._read_ahead(modelname, set(wanted), -len(wanted) % batch)
        step = batch * _FETCH_GROUP
        for start in range(0, len(wanted), step):
            self._fetch_group(modelname, wanted[start:start + step], adapter)
        if not self.unfetched[modelname]:
            self.ahead.pop(modelname, None)

    def _read_ahead(self, modelname: str, wanted: set[str], room: int) -> list[str]:
        objects, ahead = self.objects[modelname], self.ahead.get(modelname)
        extra: list[str] = []
        while ahead and len(extra) < room:
            uid = ahead.popleft()
            if uid not in wanted and objects.get(uid, ABSENT) is None:
                extra.append(uid)
        return extra

    def _fetch_group(self, modelname: str, uids: list[str], adapter: Adapter | None) -> None:
        conn = self.conn
        keys = [conn.keys.value(modelname, uid) for uid in uids]
        with conn.boundary(f"reading {len(keys)} {modelname!r} objects"):
            pipe = conn.client.pipeline(transaction=False)
            for start in range(0, len(keys), conn.batch_size):
                pipe.mget(keys[start:start + conn.batch_size])
            values = [value for reply in pipe.execute() for value in reply]
        objects, label = self.objects[modelname], conn.label
        try:
            model_class = model_class_for(adapter, modelname)
        except StoreCorrupted:
            model_class = None  # load_object says what is wrong, value by value
        for uid, key, raw in zip(uids, keys, values, strict=True):
            if raw is None:
                raise StoreCorrupted(
                    f"{label}: {key!r} is listed in {conn.keys.index(modelname)!r} but has no value: another "
                    f"process removed it meanwhile, or the store was damaged; open the store again, or load it anew"
                )
            objects[uid] = load_object(adapter, modelname, raw, where=f"{label}: key {key!r}", model_class=model_class)
            self.unfetched[modelname] -= 1

    def model_names(self) -> set[str]:
        """Names of the models that have or had objects, stored or buffered."""
        if self.stored_names is None:
            key = self.conn.keys.models
            with self.conn.boundary("reading the model names"):
                members = self.conn.client.smembers(key)
            self.stored_names = {self.decode(member, key) for member in members}
        return self.stored_names | self.local_names

    def count_all(self) -> int:
        """Number of objects of every model: cached indexes counted here, the others by ZCARD in one round trip."""
        names = self.model_names()
        cold = [name for name in names if name not in self.objects]
        total = sum(len(self.objects[name]) for name in names if name in self.objects)
        if cold:
            with self.conn.boundary("counting objects"):
                pipe = self.conn.client.pipeline(transaction=False)
                for name in cold:
                    pipe.zcard(self.conn.keys.index(name))
                total += sum(pipe.execute())
        return total

    def stored_metadata(self) -> dict[str, str]:
        """The store's metadata hash (read once), with buffered changes applied by the caller."""
        if self.metadata is None:
            key = self.conn.keys.metadata
            with self.conn.boundary("reading the store's metadata"):
                values = self.conn.client.hgetall(key)
            self.metadata = {self.decode(name, key): self.decode(value, key) for name, value in values.items()}
        return self.metadata
