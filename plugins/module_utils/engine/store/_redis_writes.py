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

from typing import TYPE_CHECKING

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


def pack(args: list[bytes]) -> bytes:
    """One command in the Redis protocol (RESP); several times faster than redis-py's packer for big batches."""
    return b"*%d\r\n%b" % (len(args), b"".join([b"$%d\r\n%b\r\n" % (len(arg), arg) for arg in args]))


class WriteBatch:
    """Pending writes as packed Redis commands, JSON already dumped (no I/O here).

    Everything but the new index entries is packed at once; those need scores that are known only
    under the lock, so ``transaction()`` packs them with the rest into one MULTI ... EXEC.
    """

    def __init__(self, keys: RedisKeys, pending: PendingWrites, *, chunk: int, label: str) -> None:
        self.keys = keys
        self.chunk = chunk
        self.label = label
        self.commands: list[bytes] = []
        self.appended: list[tuple[bytes, list[bytes]]] = []
        self.objects = pending.count
        for modelname, values in pending.values.items():
            self._dump(modelname, values)
        for modelname, moves in pending.moves.items():
            index = keys.index(modelname).encode()
            self._chunked(b"ZREM", index, [uid.encode() for uid, added in moves.items() if not added])
            new = [uid.encode() for uid, added in moves.items() if added]
            if new:
                self.appended.append((index, new))
        if pending.moves:
            self.commands.append(pack([b"SADD", keys.models.encode(), *(name.encode() for name in pending.moves)]))
        if pending.metadata:
            fields = [item.encode() for pair in pending.metadata.items() for item in pair]
            self.commands.append(pack([b"HSET", keys.metadata.encode(), *fields]))
        self.new_entries = sum(len(uids) for _, uids in self.appended)

    def _chunked(self, command: bytes, key: bytes | None, items: list[bytes], *, per_item: int = 1) -> None:
        """``command [key] item...`` with at most ``chunk`` items (of ``per_item`` arguments) per command."""
        head = [command] if key is None else [command, key]
        step = self.chunk * per_item
        for start in range(0, len(items), step):
            self.commands.append(pack(head + items[start:start + step]))

    def _dump(self, modelname: str, values: dict[str, DiffSyncModel | None]) -> None:
        key_of = self.keys.value
        pairs: list[bytes] = []
        deletes: list[bytes] = []
        for uid, obj in values.items():
            key = key_of(modelname, uid).encode()
            if obj is None:
                deletes.append(key)
                continue
            try:
                value = dump_object(obj)
            except (TypeError, ValueError) as exc:
                raise ObjectStoreException(
                    f"{self.label}: cannot store {modelname} {uid!r} as JSON ({type(exc).__name__}: {exc}); give "
                    f"the model JSON-compatible field types or a serializer"
                ) from exc
            pairs += (key, value.encode())
        self._chunked(b"MSET", None, pairs, per_item=2)
        self._chunked(b"DEL", None, deletes)

    def transaction(self, *, first_score: int, tail: list[list[bytes]]) -> tuple[bytes, int]:
        """MULTI, every write (new index entries scored from ``first_score`` up), ``tail``, EXEC.

        Returns the packed bytes and the number of commands between MULTI and EXEC.
        """
        commands = list(self.commands)
        score = first_score
        for index, uids in self.appended:
            for start in range(0, len(uids), self.chunk):
                part = uids[start:start + self.chunk]
                args = [b"ZADD", index]
                for offset, uid in enumerate(part):
                    args += (b"%d" % (score + offset), uid)
                commands.append(pack(args))
                score += len(part)
        commands += [pack(args) for args in tail]
        return b"".join([pack([b"MULTI"]), *commands, pack([b"EXEC"])]), len(commands)
