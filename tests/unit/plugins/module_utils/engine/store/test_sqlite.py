"""SQLiteStore beyond the shared contract: the file, WAL, batching, transactions, errors, other processes."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectNotFound,
    StoreCorrupted,
    StoreLocked,
    StoreUnavailable,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.sqlite import SQLiteStore
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store import store_cases as cases
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.store_cases import (
    Device,
    Interface,
    Inventory,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def opened(db_path: Path) -> Iterator[list[SQLiteStore]]:
    """Stores opened by a test, closed after it."""
    stores: list[SQLiteStore] = []
    yield stores
    for store in stores:
        store.close()


def open_store(opened: list[SQLiteStore], path: Path, store_id: str = "dst", **options: object) -> SQLiteStore:
    store = SQLiteStore(database_path=path, store_id=store_id, **options)  # type: ignore[arg-type]
    opened.append(store)
    return store


def inventory(opened: list[SQLiteStore], path: Path, store_id: str = "dst", **options: object) -> Inventory:
    return Inventory(internal_storage_engine=open_store(opened, path, store_id, **options))


def raw_rows(path: Path, store_id: str = "dst") -> list[tuple[str, str, str]]:
    """(model, uid, data) rows of ``store_id`` in insertion order, read with a separate connection."""
    with sqlite3.connect(path) as conn:
        sql = "SELECT model_name, unique_id, data FROM diffsync_objects WHERE store_id = ? ORDER BY seq"
        return conn.execute(sql, (store_id,)).fetchall()


def set_raw(path: Path, model: str, uid: str, data: str | bytes) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE diffsync_objects SET data = ? WHERE model_name = ? AND unique_id = ?", (data, model, uid))


def statements(store: SQLiteStore) -> list[str]:
    """Start recording the SQL statements the store runs; the returned list fills as it goes."""
    seen: list[str] = []
    store._db.conn.set_trace_callback(seen.append)
    return seen


def run_python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy(), check=False)


# -- the file -------------------------------------------------------------------------------------------------


def test_one_file_in_wal_mode_with_json_values(opened: list[SQLiteStore], db_path: Path) -> None:
    inv = inventory(opened, db_path)
    inv.add(Device(name="r1", site="ams"))
    inv.store.close()
    assert db_path.exists()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    [(model, uid, data)] = raw_rows(db_path)
    assert (model, uid) == ("device", "r1")
    assert json.loads(data)["site"] == "ams"


def test_str_names_the_file_and_store_id(opened: list[SQLiteStore], db_path: Path) -> None:
    store = open_store(opened, db_path, "site-a")
    assert str(db_path) in str(store) and "'site-a'" in str(store)
    assert str(store) in repr(store)


def test_store_id_must_be_a_non_empty_string(db_path: Path) -> None:
    with pytest.raises(ValueError, match="store_id"):
        SQLiteStore(database_path=db_path, store_id="")


def test_several_store_ids_share_one_file(opened: list[SQLiteStore], db_path: Path) -> None:
    a = cases.load(inventory(opened, db_path, "a"), cases.TARGET)
    b = cases.load(inventory(opened, db_path, "b:with:colons"), cases.SOURCE)
    a.store.close()
    b.store.close()
    a, b = inventory(opened, db_path, "a"), inventory(opened, db_path, "b:with:colons")
    assert cases.snapshot(a) != cases.snapshot(b)
    assert (a.count(), b.count()) == (9, 10)
    assert not b.diff_from(cases.source()).has_diffs()


def test_the_seed_example_schema_in_the_same_file_does_not_matter(db_path: Path, opened: list[SQLiteStore]) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE objects (model_name TEXT, unique_id TEXT, data BLOB)")
    inventory(opened, db_path).add(Device(name="r1", site="ams"))


# -- live objects and bulk reads -------------------------------------------------------------------------------


def fill(opened: list[SQLiteStore], path: Path, devices: int) -> None:
    inv = inventory(opened, path)
    for index in range(devices):
        inv.add(Device(name=f"r{index}", site="ams"))
        inv.add(Interface(device_name=f"r{index}", name="eth0"))
    inv.store.close()


def test_get_all_is_one_query(opened: list[SQLiteStore], db_path: Path) -> None:
    fill(opened, db_path, 1200)
    inv = inventory(opened, db_path)
    seen = statements(inv.store)  # type: ignore[arg-type]
    devices = inv.get_all("device")
    assert len(devices) == 1200 and [s for s in seen if s.startswith("SELECT")] == [seen[0]]
    assert inv.get_all("device")[7] is devices[7]
    assert inv.count("device") == 1200
    assert len(seen) == 1, "a model read in full answers later reads from memory"


def test_get_by_uids_reads_in_chunks(opened: list[SQLiteStore], db_path: Path) -> None:
    fill(opened, db_path, 1200)
    inv = inventory(opened, db_path)
    seen = statements(inv.store)  # type: ignore[arg-type]
    wanted = [f"r{index}" for index in range(1199, -1, -1)]
    found = inv.get_by_uids(wanted, "device")
    assert [obj.name for obj in found] == wanted
    assert len(seen) == 3  # 1200 ids in chunks of 500
    assert inv.get("device", "r5") is found[1194]


def test_many_single_lookups_turn_into_one_bulk_read(opened: list[SQLiteStore], db_path: Path) -> None:
    fill(opened, db_path, 200)
    inv = inventory(opened, db_path)
    seen = statements(inv.store)  # type: ignore[arg-type]
    for index in range(200):
        inv.get("device", f"r{index}")
    assert len(seen) < 20
    with pytest.raises(ObjectNotFound):
        inv.get("device", "r999")
    assert len(seen) < 20


def test_loading_a_new_store_reads_nothing_and_commits_in_batches(opened: list[SQLiteStore], db_path: Path) -> None:
    store = open_store(opened, db_path, batch_size=1000)
    inv = Inventory(internal_storage_engine=store)
    seen = statements(store)
    for index in range(2500):
        inv.add(Device(name=f"r{index}", site="ams"))
    assert len(raw_rows(db_path)) == 2000, "two full batches are saved, the rest waits"
    store.close()
    assert not [s for s in seen if "FROM diffsync_objects" in s], "nothing is read from an empty store_id"
    assert seen.count("COMMIT") == 3
    assert len(raw_rows(db_path)) == 2500


def test_an_object_changed_many_times_is_written_once_per_batch(opened: list[SQLiteStore], db_path: Path) -> None:
    store = open_store(opened, db_path)
    inv = Inventory(internal_storage_engine=store)
    seen = statements(store)
    cases.load(inv, cases.TARGET)  # add_child after add: object_changed on the parents
    store.close()
    inserts = [s for s in seen if s.startswith("INSERT INTO diffsync_objects")]
    assert len(inserts) == 9  # executemany traces each row: one per object, not one per change
    stored = {(model, uid): data for model, uid, data in raw_rows(db_path)}
    assert json.loads(stored[("device", "r1")])["interfaces"] == ["r1__eth0", "r1__eth1"]


def test_pending_writes_are_saved_before_reads_that_need_them(opened: list[SQLiteStore], db_path: Path) -> None:
    fill(opened, db_path, 3)
    inv = inventory(opened, db_path)
    inv.add(Device(name="new", site="x"))
    inv.remove(inv.get("device", "r0"))
    assert inv.count() == 6  # needs SQL (the store is not fully in memory): the writes go first
    assert inv.get_all_model_names() == {"device", "interface"}
    assert [obj.name for obj in inv.get_all("device")] == ["r1", "r2", "new"]


def test_changes_to_objects_not_in_the_store_are_ignored(opened: list[SQLiteStore], db_path: Path) -> None:
    inv = inventory(opened, db_path)
    inv.add(Device(name="r1", site="ams"))
    stray = Device(name="r1", site="elsewhere")
    inv.store.object_changed(stray)
    inv.store.object_changed(Device(name="r2", site="nowhere"))
    inv.store.close()
    assert [(m, u) for m, u, _ in raw_rows(db_path)] == [("device", "r1")]
    assert json.loads(raw_rows(db_path)[0][2])["site"] == "ams"


# -- transactions ----------------------------------------------------------------------------------------------


def test_transaction_commits_once(opened: list[SQLiteStore], db_path: Path) -> None:
    store = open_store(opened, db_path, batch_size=10)
    seen = statements(store)
    with store.transaction():
        inv = Inventory(internal_storage_engine=store)
        for index in range(35):
            inv.add(Device(name=f"r{index}", site="ams"))
        with store.transaction():  # nested: joins the outer one
            inv.add(Device(name="inner", site="ams"))
    assert seen.count("BEGIN IMMEDIATE") == 1 and seen.count("COMMIT") == 1
    assert len(raw_rows(db_path)) == 36


def test_transaction_rollback_restores_the_file_and_forgets_live_objects(
    opened: list[SQLiteStore], db_path: Path
) -> None:
    inv = cases.load(inventory(opened, db_path), cases.TARGET)
    r1 = inv.get("device", "r1")
    before = raw_rows(db_path) or None  # nothing saved yet: the writes are pending
    assert before is None
    with pytest.raises(RuntimeError, match="boom"), inv.store.transaction():
        r1.role = "core"
        inv.update(r1)
        inv.remove(inv.get("device", "r3"), remove_children=True)
        inv.add(Device(name="r9", site="x"))
        inv.count()  # the writes reach the file inside the transaction
        raise RuntimeError("boom")
    assert [uid for model, uid, _data in raw_rows(db_path) if model == "device"] == ["r1", "r2", "r3"]
    again = inv.get("device", "r1")
    assert again is not r1 and again.role == "edge"
    assert [d.name for d in inv.get_all("device")] == ["r1", "r2", "r3"]


def test_readers_in_other_processes_see_the_last_commit_while_a_sync_runs(
    opened: list[SQLiteStore], db_path: Path
) -> None:
    inv = cases.load(inventory(opened, db_path), cases.TARGET)
    inv.store.close()
    dst = inventory(opened, db_path)
    url = f"sqlite://{db_path}"
    with dst.store.transaction():
        dst.sync_from(cases.source())  # joins this transaction: nothing is committed yet
        dst.count()
        during = second_process_summary(url)
        assert during["count"] == 9 and during["has_diffs"]
    after = second_process_summary(url)
    assert after["count"] == 10 and not after["has_diffs"]


def second_process_summary(url: str) -> dict:
    result = subprocess.run([sys.executable, "-m", cases.MODULE, url, "dst"], capture_output=True, text=True,
                            timeout=60, env=os.environ.copy(), check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_second_writer_gets_store_locked_naming_the_file(opened: list[SQLiteStore], db_path: Path) -> None:
    first = open_store(opened, db_path, "a")
    second = open_store(opened, db_path, "b", timeout=0.2)
    with first.transaction():
        with pytest.raises(StoreLocked, match="locked by another writer") as caught, second.transaction():
            pass
        assert str(db_path) in str(caught.value) and "timeout" in str(caught.value)
        inv = Inventory(internal_storage_engine=second)
        inv.add(Device(name="r1", site="ams"))
        with pytest.raises(StoreLocked):
            second.close()
    other = open_store(opened, db_path, "b")
    assert other.count() == 0


def test_writes_based_on_objects_another_process_changed_are_refused(
    opened: list[SQLiteStore], db_path: Path
) -> None:
    mine = inventory(opened, db_path)  # opened while the store_id is empty
    theirs = cases.load(inventory(opened, db_path), cases.TARGET)
    theirs.store.close()
    mine.add(Device(name="r1", site="mine"))  # would overwrite their r1
    with pytest.raises(StoreLocked, match="another process changed this store_id") as caught:
        mine.store.flush()  # type: ignore[attr-defined]
    assert str(db_path) in str(caught.value) and "1 write(s) made here since were discarded" in str(caught.value)
    assert json.loads(raw_rows(db_path)[0][2])["site"] == "ams"
    assert mine.get("device", "r1").site == "ams"  # the stale objects were forgotten: read again
    mine.store.close()  # nothing left to save


def test_clear_does_not_depend_on_what_was_read(opened: list[SQLiteStore], db_path: Path) -> None:
    mine = inventory(opened, db_path)
    cases.load(inventory(opened, db_path), cases.TARGET)
    opened[-1].close()
    mine.store.clear()
    mine.add(Device(name="r1", site="new"))
    mine.store.close()
    assert [(model, uid) for model, uid, _data in raw_rows(db_path)] == [("device", "r1")]


def test_a_transaction_reads_again_what_another_process_changed(opened: list[SQLiteStore], db_path: Path) -> None:
    cases.load(inventory(opened, db_path), cases.TARGET)
    opened[-1].close()
    mine, theirs = inventory(opened, db_path), inventory(opened, db_path)
    stale = mine.get("device", "r1")
    theirs.get("device", "r1").role = "changed elsewhere"
    theirs.update(theirs.get("device", "r1"))
    theirs.store.close()
    with mine.store.transaction():
        fresh = mine.get("device", "r1")
        assert fresh is not stale and fresh.role == "changed elsewhere"
        fresh.site = "and here"
        mine.update(fresh)
    mine.store.close()
    assert next(json.loads(data)["role"] for model, _uid, data in raw_rows(db_path) if model == "device") == (
        "changed elsewhere")


def test_pending_writes_are_saved_at_exit_without_close(db_path: Path) -> None:
    result = run_python(f"""
        from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.sqlite import SQLiteStore
        from {cases.MODULE} import Inventory, TARGET, load
        inv = Inventory(internal_storage_engine=SQLiteStore(database_path={str(db_path)!r}, store_id="dst"))
        load(inv, TARGET)
    """)
    assert result.returncode == 0, result.stderr
    assert len(raw_rows(db_path)) == 9


# -- errors ----------------------------------------------------------------------------------------------------


def corrupted_store(opened: list[SQLiteStore], db_path: Path, value: str | bytes) -> Inventory:
    cases.load(inventory(opened, db_path), cases.TARGET)
    opened[-1].close()
    set_raw(db_path, "device", "r2", value)
    return inventory(opened, db_path)


@pytest.mark.parametrize(("value", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected an object"),
    ('{"name": "r2", "site": 42}', "does not fit model 'device'"),
    ('{"name": "r7", "site": "ams"}', "unique id 'r7'"),
])
def test_a_corrupt_value_raises_store_corrupted(
    opened: list[SQLiteStore], db_path: Path, value: str, message: str
) -> None:
    inv = corrupted_store(opened, db_path, value)
    with pytest.raises(StoreCorrupted, match=message) as caught:
        inv.get("device", "r2")
    assert "device 'r2'" in str(caught.value) and str(db_path) in str(caught.value)
    with pytest.raises(StoreCorrupted):
        inv.get_all("device")


class _Trap:
    def __reduce__(self) -> tuple:
        return (open, ("PWNED", "w"))


def test_a_pickle_payload_is_rejected_without_running_it(
    opened: list[SQLiteStore], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inv = corrupted_store(opened, db_path, pickle.dumps(_Trap()))
    with pytest.raises(StoreCorrupted, match="not valid JSON"):
        inv.get_by_uids(["r1", "r2"], "device")
    assert not (tmp_path / "PWNED").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, long enough to be read as a header of a database file\n" * 20)
    with pytest.raises(StoreCorrupted, match="not a usable SQLite database") as caught:
        SQLiteStore(database_path=path)
    assert str(path) in str(caught.value)


def test_a_table_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE diffsync_objects (model_name TEXT, unique_id TEXT, data BLOB)")
    with pytest.raises(StoreCorrupted, match="another program or version"):
        SQLiteStore(database_path=path)


def test_a_missing_directory_raises_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "x.db"
    with pytest.raises(StoreUnavailable, match="directory exists") as caught:
        SQLiteStore(database_path=path)
    assert str(path) in str(caught.value)


def test_a_closed_store_says_so(db_path: Path) -> None:
    store = SQLiteStore(database_path=db_path)
    store.close()
    store.close()
    for use in (store.count, lambda: store.get_all(model="device"), lambda: store.add(obj=Device(name="r", site="s"))):
        with pytest.raises(StoreUnavailable, match="closed"):
            use()


# -- clear and metadata ----------------------------------------------------------------------------------------


def test_clear_and_metadata(opened: list[SQLiteStore], db_path: Path) -> None:
    a = cases.load(inventory(opened, db_path, "a"), cases.TARGET)
    b = cases.load(inventory(opened, db_path, "b"), cases.TARGET)
    a.store.set_metadata("schema", "v1")
    r1 = a.get("device", "r1")
    a.store.clear()
    assert r1.adapter is None and a.count() == 0 and a.get_all("device") == []
    a.add(Device(name="r1", site="again"))
    for store in (a.store, b.store):
        store.close()
    a, b = inventory(opened, db_path, "a"), inventory(opened, db_path, "b")
    assert [d.site for d in a.get_all("device")] == ["again"]
    assert b.count() == 9
    assert a.store.get_metadata("schema") == "v1"
    assert b.store.get_metadata("schema") is None
