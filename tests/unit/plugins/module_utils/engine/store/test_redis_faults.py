"""RedisStore under faults: the server dying mid-sync or mid-load, and corrupt or hostile stored values."""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectStoreException,
    StoreCorrupted,
    StoreUnavailable,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store._redis_writes import WriteBatch
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
from ansible_collections.datasync.diffsync.tests.support.redis_server import RedisServer
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.test_redis_models import (
    Device,
    Inventory,
    loaded,
    make_records,
    stored,
)


@pytest.fixture(autouse=True)
def no_hooks() -> Iterator[None]:
    yield
    Device.HOOKS.clear()


def where(server: RedisServer) -> str:
    return f"RedisStore 'f' at redis://{server.host}:{server.port}/0"


def assert_engine_error(error: BaseException, server: RedisServer) -> None:
    """An engine store error naming the server, not a redis-py exception."""
    assert isinstance(error, ObjectStoreException)
    assert not isinstance(error, redis.RedisError)
    assert where(server) in str(error)


# -- the server dies ------------------------------------------------------------------------------------


def test_server_stopped_in_the_middle_of_a_sync(fresh_redis: RedisServer) -> None:
    old = make_records(20, 3, role="old")
    loaded(old, internal_storage_engine=RedisStore(url=fresh_redis.url, store_id="f")).store.close()
    source = make_records(24, 2, start=2, role="new")
    updates: list[str] = []

    def stop_after_five(action: str) -> None:
        updates.append(action)
        if len(updates) == 5:
            fresh_redis.stop(graceful=False)

    Device.HOOKS.append(stop_after_five)
    dst = stored(fresh_redis.url, "f")
    with pytest.raises(ObjectStoreException) as caught:
        dst.sync_from(loaded(source))
    assert_engine_error(caught.value, fresh_redis)
    assert isinstance(caught.value, StoreUnavailable)
    assert len(updates) > 5  # the sync went on; only the commit found the server gone
    fresh_redis.start()
    Device.HOOKS.clear()
    assert stored(fresh_redis.url, "f").dict() == loaded(old).dict()


def test_server_stopped_while_reading_names_the_server(fresh_redis: RedisServer) -> None:
    loaded(make_records(3), internal_storage_engine=RedisStore(url=fresh_redis.url, store_id="f")).store.close()
    cold = stored(fresh_redis.url, "f")
    fresh_redis.stop()
    with pytest.raises(StoreUnavailable) as caught:
        cold.get_all("device")
    assert_engine_error(caught.value, fresh_redis)
    assert "while reading the index of 'device'" in str(caught.value)


def test_server_killed_while_loading_keeps_whole_batches(fresh_redis: RedisServer) -> None:
    store = RedisStore(url=fresh_redis.url, store_id="f", batch_size=50)
    Inventory(internal_storage_engine=store)
    with pytest.raises(StoreUnavailable) as caught:
        for index in range(500):
            store.add(obj=Device(name=f"d{index:03d}", role=f"r{index}"))
            if index == 170:
                fresh_redis.stop(graceful=False)
    assert_engine_error(caught.value, fresh_redis)
    fresh_redis.start()
    after = stored(fresh_redis.url, "f")
    devices = after.get_all("device")
    assert [d.name for d in devices] == [f"d{index:03d}" for index in range(150)]
    assert all(d.role == f"r{int(d.name[1:])}" for d in devices)
    assert len(redis.Redis.from_url(fresh_redis.url).keys("diffsync:f:device:*")) == 150


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05, 0.15, 0.4])
def test_server_killed_during_a_commit_leaves_old_or_new_state(
    fresh_redis: RedisServer, monkeypatch: pytest.MonkeyPatch, delay: float
) -> None:
    old, new = make_records(800, 4, role="old"), make_records(800, 4, role="new", mtu=9000)
    loaded(old, internal_storage_engine=RedisStore(url=fresh_redis.url, store_id="f")).store.close()
    killers: list[threading.Timer] = []
    transaction = WriteBatch.transaction

    def kill_soon(batch: WriteBatch, **options: Any) -> tuple[bytes, int]:
        """Kill the server ``delay`` seconds after the commit starts packing its MULTI ... EXEC."""
        killers.append(threading.Timer(delay, fresh_redis.stop, kwargs={"graceful": False}))
        killers[-1].start()
        return transaction(batch, **options)

    monkeypatch.setattr(WriteBatch, "transaction", kill_soon)
    try:
        stored(fresh_redis.url, "f").sync_from(loaded(new))
    except StoreUnavailable as error:
        assert_engine_error(error, fresh_redis)
    assert len(killers) == 1
    killers[0].join()
    monkeypatch.undo()
    fresh_redis.start()
    state = stored(fresh_redis.url, "f").dict()
    assert state in (loaded(old).dict(), loaded(new).dict())


# -- corrupt and hostile values ------------------------------------------------------------------------


class Armed:
    """Pickles to a call of ``open(marker, "w")``: loading it would create ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def plant(url: str, value: bytes, *, modelname: str = "device", uid: str = "d0") -> str:
    """Store ``value`` under the object key of a store 'f', listed in its index like a real object."""
    client = redis.Redis.from_url(url)
    key = f"diffsync:f:{modelname}:{uid}"
    client.set(key, value)
    client.zadd(f"diffsync:f:__index__:{modelname}", {uid: 1})
    client.sadd("diffsync:f:__models__", modelname)
    return key


@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
def test_a_pickle_payload_is_rejected_without_running_it(redis_url: str, tmp_path: Path, protocol: int) -> None:
    armed_check = tmp_path / "proof"
    pickle.loads(pickle.dumps(Armed(armed_check), protocol=protocol))  # noqa: S301 - proves the payload is live
    assert armed_check.exists()
    marker = tmp_path / "executed"
    key = plant(redis_url, pickle.dumps(Armed(marker), protocol=protocol))
    for read in (lambda inv: inv.get("device", "d0"), lambda inv: inv.get_all("device"),
                 lambda inv: inv.get_by_uids(["d0"], "device")):
        with pytest.raises(StoreCorrupted, match=f"key {key!r}: stored value is not valid JSON"):
            read(stored(redis_url, "f"))
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"{not json", "stored value is not valid JSON"),
        (b"\xff\xfe\x00", "stored value is not valid JSON"),
        (b"[1, 2]", "stored value is a JSON list, expected an object"),
        (json.dumps({"name": "d0", "site": ["a"]}).encode(), "does not fit model 'device': site"),
    ],
)
def test_corrupt_values_are_rejected_naming_the_key(redis_url: str, value: bytes, message: str) -> None:
    key = plant(redis_url, value)
    plant(redis_url, json.dumps({"name": "d1"}).encode(), uid="d1")
    inventory = stored(redis_url, "f")
    with pytest.raises(StoreCorrupted, match=message) as caught:
        inventory.get_all("device")  # never skipped: the good object does not come back alone
    assert repr(key) in str(caught.value)
    assert inventory.count("device") == 2


def test_an_index_entry_without_value_is_corrupt(redis_url: str) -> None:
    key = plant(redis_url, b"{}")
    redis.Redis.from_url(redis_url).delete(key)
    with pytest.raises(StoreCorrupted, match="is listed in 'diffsync:f:__index__:device' but has no value"):
        stored(redis_url, "f").get("device", "d0")


def test_a_model_the_adapter_does_not_know_is_corrupt(redis_url: str) -> None:
    plant(redis_url, b'{"name": "r1"}', modelname="router", uid="r1")
    inventory = stored(redis_url, "f")
    assert "router" in inventory.get_all_model_names()
    with pytest.raises(StoreCorrupted, match="Stored model 'router' is not a model of adapter"):
        inventory.get_all("router")


def test_a_key_of_the_wrong_type_is_corrupt(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).set("diffsync:f:__index__:device", b"not a sorted set")
    with pytest.raises(StoreCorrupted, match="wrong Redis type while reading the index of 'device'") as caught:
        stored(redis_url, "f").get_all("device")
    assert isinstance(caught.value.__cause__, redis.ResponseError)


def test_a_write_into_a_key_of_the_wrong_type_is_corrupt(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).set("diffsync:f:__index__:device", b"not a sorted set")
    store = RedisStore(url=redis_url, store_id="f")
    Inventory(internal_storage_engine=store)
    store._reader.objects["device"] = {}  # as if the index had been read before it was damaged
    store.add(obj=Device(name="d0"))
    with pytest.raises(StoreCorrupted, match="wrong Redis type while writing 1 objects"):
        store.flush()
    assert redis.Redis.from_url(redis_url).exists("diffsync:f:__lock__") == 0
