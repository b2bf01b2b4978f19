"""RedisStore's key layout and its buffered writes, applied in one MULTI/EXEC.

Keys of the store ``<id>`` (never parsed back, so ids and unique ids may contain ``:``)::

    diffsync:<id>:<model>:<unique_id>   JSON of one object (serial.dump_object)
    diffsync:<id>:__models__            set of the model names that have (or had) objects
    diffsync:<id>:__index__:<model>     sorted set of the model's unique ids, scored in insertion order
    diffsync:<id>:__seq__               counter: hands out index scores and moves on every commit
    diffsync:<id>:__meta__              hash of the store's metadata (get_metadata/set_metadata)
    diffsync:<id>:__lock__              the write lock (see _redis_lock)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import ObjectStoreException
from .serial import dump_object

if TYPE_CHECKING:
    from ..model import DiffSyncModel


class RedisKeys:
    """The names of one store's keys."""

    __slots__ = ("prefix", "models", "seq", "lock", "metadata", "index_prefix")

    def __init__(self, store_id: str) -> None:
        self.prefix = f"diffsync:{store_id}:"
        self.models = f"{self.prefix}__models__"
        self.seq = f"{self.prefix}__seq__"
        self.lock = f"{self.prefix}__lock__"
        self.metadata = f"{self.prefix}__meta__"
        self.index_prefix = f"{self.prefix}__index__:"

    def value(self, modelname: str, uid: str) -> str:
        """Key of one object."""
        return f"{self.prefix}{modelname}:{uid}"

    def index(self, modelname: str) -> str:
        """Key of one model's sorted set of unique ids."""
        return f"{self.index_prefix}{modelname}"


class PendingWrites:
    """Writes not yet sent: per model, the final value of each touched object and how its index entry moves.

    ``values[model][uid]`` is the live object to write, or None to delete the key. ``moves[model][uid]`` is
    True when the uid goes to the end of the model's index (added, or added again after a removal) and
    False when it leaves the index; its dict order is the order of the additions.
    """

    __slots__ = ("values", "moves", "metadata", "count")

    def __init__(self) -> None:
        self.values: dict[str, dict[str, DiffSyncModel | None]] = {}
        self.moves: dict[str, dict[str, bool]] = {}
        self.metadata: dict[str, str] = {}
        self.count = 0

    def put(self, modelname: str, uid: str, obj: DiffSyncModel | None) -> None:
        """Write ``obj`` (None: delete) at the next commit."""
        values = self.values.get(modelname)
        if values is None:
            values = self.values[modelname] = {}
        if uid not in values:
            self.count += 1
        values[uid] = obj

    def put_metadata(self, key: str, value: str) -> None:
        """Write metadata ``key`` at the next commit."""
        if key not in self.metadata:
            self.count += 1
        self.metadata[key] = value

    def append(self, modelname: str, uid: str) -> None:
        """Put ``uid`` at the end of the model's index at the next commit."""
        moves = self.moves.setdefault(modelname, {})
        moves.pop(uid, None)
        moves[uid] = True

    def drop(self, modelname: str, uid: str) -> None:
        """Take ``uid`` out of the model's index at the next commit."""
        self.moves.setdefault(modelname, {})[uid] = False


class WriteBatch:
    """Pending writes turned into Redis commands' arguments, JSON already dumped (no I/O yet)."""

    def __init__(self, keys: RedisKeys, pending: PendingWrites, *, chunk: int, label: str) -> None:
        self.keys = keys
        self.chunk = chunk
        self.sets: list[dict[str, str]] = []
        self.deletes: list[str] = []
        self.removed: list[tuple[str, list[str]]] = []
        self.appended: list[tuple[str, list[str]]] = []
        self.objects = pending.count
        self.metadata = dict(pending.metadata)
        for modelname, values in pending.values.items():
            self._dump(modelname, values, label)
        for modelname, moves in pending.moves.items():
            gone = [uid for uid, added in moves.items() if not added]
            new = [uid for uid, added in moves.items() if added]
            if gone:
                self.removed.append((keys.index(modelname), gone))
            if new:
                self.appended.append((modelname, new))
        self.models = list(pending.moves)
        self.new_entries = sum(len(uids) for _, uids in self.appended)

    def _dump(self, modelname: str, values: dict[str, DiffSyncModel | None], label: str) -> None:
        key_of = self.keys.value
        sets: dict[str, str] = {}
        for uid, obj in values.items():
            key = key_of(modelname, uid)
            if obj is None:
                self.deletes.append(key)
                continue
            try:
                sets[key] = dump_object(obj)
            except (TypeError, ValueError) as exc:
                raise ObjectStoreException(
                    f"{label}: cannot store {modelname} {uid!r} as JSON ({type(exc).__name__}: {exc}); give the "
                    f"model JSON-compatible field types or a serializer"
                ) from exc
            if len(sets) >= self.chunk:
                self.sets.append(sets)
                sets = {}
        if sets:
            self.sets.append(sets)

    def queue(self, pipe: Any, *, first_score: int) -> None:
        """Queue every write on ``pipe`` (in MULTI mode); new index entries are scored from ``first_score`` up."""
        chunk = self.chunk
        for mapping in self.sets:
            pipe.mset(mapping)
        for start in range(0, len(self.deletes), chunk):
            pipe.delete(*self.deletes[start:start + chunk])
        for key, uids in self.removed:
            for start in range(0, len(uids), chunk):
                pipe.zrem(key, *uids[start:start + chunk])
        score = first_score
        for modelname, uids in self.appended:
            key = self.keys.index(modelname)
            for start in range(0, len(uids), chunk):
                part = uids[start:start + chunk]
                pipe.zadd(key, dict(zip(part, range(score, score + len(part)), strict=True)))
                score += len(part)
        if self.models:
            pipe.sadd(self.keys.models, *self.models)
        if self.metadata:
            pipe.hset(self.keys.metadata, mapping=self.metadata)
