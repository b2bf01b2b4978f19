"""RedisStore transactions and the per-store_id lock, against a real redis-server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine import DiffSyncFlags
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectNotUpdated,
    StoreLocked,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.test_redis_models import (
    MODULE,
    Device,
    Inventory,
    loaded,
    make_records,
    raw,
    stored,
)


@pytest.fixture(autouse=True)
def no_hooks() -> Iterator[None]:
    yield
    Device.HOOKS.clear()


def snapshot(url: str) -> dict[bytes, bytes | None]:
    """Every key of the server with its serialized value (DUMP works for every type)."""
    client = raw(url)
    return {key: client.dump(key) for key in client.keys("*")}


def saved(url: str, store_id: str, records: Any) -> None:
    loaded(records, internal_storage_engine=RedisStore(url=url, store_id=store_id)).store.close()


def test_writes_in_a_transaction_reach_redis_at_its_end(redis_url: str) -> None:
    store = stored(redis_url, "txn").store
    with store.transaction():
        for index in range(2500):  # more than a batch: still nothing written before the end
            store.add(obj=Device(name=f"d{index}"))
        assert store.count() == 2500
        assert [key.decode() for key in raw(redis_url).keys("*")] == ["diffsync:txn:__lock__"]
    assert raw(redis_url).exists("diffsync:txn:__lock__") == 0
    assert stored(redis_url, "txn").count() == 2500


def test_a_failed_block_writes_nothing_and_forgets_live_objects(redis_url: str) -> None:
    saved(redis_url, "abort", make_records(3))
    before = snapshot(redis_url)
    inventory = stored(redis_url, "abort")
    device = inventory.get("device", "dev00001")
    with pytest.raises(RuntimeError, match="boom"), inventory.store.transaction():
        device.role = "changed"
        inventory.store.object_changed(device)
        inventory.add(Device(name="new"))
        inventory.remove(inventory.get("device", "dev00002"))
        raise RuntimeError("boom")
    assert snapshot(redis_url) == before
    again = inventory.get("device", "dev00001")
    assert again is not device
    assert again.role == "access"
    assert [d.name for d in inventory.get_all("device")] == ["dev00000", "dev00001", "dev00002"]


def test_a_failed_sync_writes_nothing_unless_continue_on_failure(redis_url: str) -> None:
    saved(redis_url, "fail", make_records(6))
    source = loaded(make_records(6, role="core"))
    updates: list[str] = []

    def third_update_fails(action: str) -> None:
        updates.append(action)
        if len(updates) == 3:
            raise ObjectNotUpdated("refused by the backend")

    Device.HOOKS.append(third_update_fails)
    with pytest.raises(ObjectNotUpdated):
        stored(redis_url, "fail").sync_from(source)
    assert stored(redis_url, "fail").diff_from(source).summary()["update"] == 6
    updates.clear()
    stored(redis_url, "fail").sync_from(source, flags=DiffSyncFlags.CONTINUE_ON_FAILURE)
    assert stored(redis_url, "fail").diff_from(source).summary()["update"] == 1


def test_nested_transactions_join_the_outer_one(redis_url: str) -> None:
    store = stored(redis_url, "nest").store
    with store.transaction():
        with store.transaction():
            store.add(obj=Device(name="a"))
        assert raw(redis_url).exists("diffsync:nest:device:a") == 0
    assert raw(redis_url).exists("diffsync:nest:device:a") == 1


def test_a_transaction_rereads_what_another_writer_changed(redis_url: str) -> None:
    saved(redis_url, "stale", make_records(2))
    mine = stored(redis_url, "stale")
    old = mine.get("device", "dev00000")
    theirs = stored(redis_url, "stale")
    theirs.update(Device(name="dev00000", role="theirs"))
    theirs.store.flush()
    assert mine.get("device", "dev00000") is old  # outside a transaction the cache is used
    with mine.store.transaction():
        assert mine.get("device", "dev00000").role == "theirs"


# -- the lock --------------------------------------------------------------------------------------


def test_waiting_for_a_held_lock_times_out_naming_the_store(redis_url: str) -> None:
    raw(redis_url).set("diffsync:busy:x:__lock__", b"otherhost:4242:token", px=60_000)
    store = RedisStore(url=redis_url, store_id="busy:x", lock_timeout=0.3)
    Inventory(internal_storage_engine=store)
    started = time.monotonic()
    with pytest.raises(StoreLocked) as caught, store.transaction():
        pass
    assert time.monotonic() - started >= 0.3
    message = str(caught.value)
    assert "'busy:x'" in message and "otherhost:4242" in message
    assert re.search(r"waited 0\.[3-9] s", message), message
    store.add(obj=Device(name="a"))
    with pytest.raises(StoreLocked, match="busy:x"):
        store.flush()  # writes outside a transaction take the lock too


def test_the_lock_is_held_only_while_the_block_runs(redis_url: str) -> None:
    store = stored(redis_url, "held").store
    with store.transaction():
        assert raw(redis_url).get("diffsync:held:__lock__")
        assert raw(redis_url).pttl("diffsync:held:__lock__") > 0
    assert raw(redis_url).exists("diffsync:held:__lock__") == 0


def test_a_sync_that_changes_nothing_writes_nothing(redis_url: str) -> None:
    saved(redis_url, "same", make_records(3))
    before = snapshot(redis_url)
    inventory = stored(redis_url, "same")
    inventory.sync_from(loaded(make_records(3)))
    assert snapshot(redis_url) == before  # not even the version counter moved; the lock is gone


def test_a_slow_block_keeps_its_lock_alive(redis_url: str) -> None:
    store = RedisStore(url=redis_url, store_id="slow", lock_ttl=0.3)
    Inventory(internal_storage_engine=store)
    with store.transaction():
        store.add(obj=Device(name="a"))
        time.sleep(1.0)  # three TTLs: only the keeper thread keeps the lock
        assert raw(redis_url).get("diffsync:slow:__lock__") == store._writer.lock.token
    assert stored(redis_url, "slow").count() == 1


def test_a_commit_refuses_when_another_writer_took_the_lock(redis_url: str) -> None:
    store = stored(redis_url, "taken").store
    with pytest.raises(StoreLocked, match="lock expired"), store.transaction():
        store.add(obj=Device(name="a"))
        store._writer.lock.stop_keeper()
        raw(redis_url).set("diffsync:taken:__lock__", b"intruder")
    assert raw(redis_url).exists("diffsync:taken:device:a") == 0
    assert raw(redis_url).get("diffsync:taken:__lock__") == b"intruder"  # not ours to release


RACER = f"""
import json, sys, time
from {MODULE} import Device, Inventory, loaded, make_records
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
url, role, mode, start_at = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
source = loaded(make_records(40, 2, role=role, mtu=len(role)))
dst = Inventory(internal_storage_engine=RedisStore(url=url, store_id="race"))
stamps = []
Device.HOOKS.append(lambda action: (stamps.append(time.time()), time.sleep(0.01)))
time.sleep(max(start_at - time.time(), 0))
if mode == "outer":
    with dst.store.transaction():
        dst.sync_from(source)
else:
    dst.sync_from(source)
print(json.dumps(stamps))
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["outer", "plain"])
def test_two_processes_syncing_one_store_do_not_interleave(redis_url: str, mode: str) -> None:
    saved(redis_url, "race", make_records(40, 2, role="initial"))
    start_at = str(time.time() + 3)
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, redis_url, role, mode, start_at], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for role in ("alpha", "bravo-")
    ]
    results = [racer.communicate(timeout=120) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], results
    stamps = {
        role: json.loads(out.strip().splitlines()[-1])
        for role, (out, _) in zip(("alpha", "bravo-"), results, strict=True)
    }
    assert len(stamps["alpha"]) == len(stamps["bravo-"]) == 40
    first, second = sorted(stamps, key=lambda role: stamps[role][0])
    assert max(stamps[first]) < min(stamps[second]), "the two syncs interleaved"
    final = stored(redis_url, "race")
    assert {d.role for d in final.get_all("device")} == {second}
    assert {i.mtu for i in final.get_all("interface")} == {len(second)}
