"""store_from_url: the closed table of schemes, what each URL turns into, and passwords kept out of messages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store import BaseStore, url
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.local import LocalStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.sqlite import SQLiteStore
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.url import redact_url, store_from_url

REDIS_MODULE = "ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis"
SECRET = "s3cr3t-p@ss"
QUOTED_SECRET = "s3cr3t-p%40ss"


class FakeRedisStore(BaseStore):
    """Stands in for RedisStore: records the keyword arguments it was built with."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs

    def get_all_model_names(self) -> set[str]:
        return set()

    get = get_all = get_by_uids = add = update = remove = count = None  # type: ignore[assignment]


@pytest.fixture
def fake_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType(REDIS_MODULE)
    module.RedisStore = FakeRedisStore  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, REDIS_MODULE, module)


@pytest.fixture
def stores() -> Iterator[list[BaseStore]]:
    opened: list[BaseStore] = []
    yield opened
    for store in opened:
        store.close()


def redis_kwargs(text: str, **options: Any) -> dict[str, Any]:
    store = store_from_url(text, store_id="sid", **options)
    assert isinstance(store, FakeRedisStore)
    return store.kwargs


# -- memory and sqlite ---------------------------------------------------------------------------------------


def test_memory() -> None:
    assert isinstance(store_from_url("memory://", store_id="x"), LocalStore)
    with pytest.raises(ValueError, match="no host or path"):
        store_from_url("memory://somewhere/else", store_id="x")


def test_sqlite_absolute_path(tmp_path: Path, stores: list[BaseStore]) -> None:
    path = tmp_path / "deep" / "er" / "sync.db"
    store = store_from_url(f"sqlite://{path}", store_id="site-a", timeout=3)
    stores.append(store)
    assert isinstance(store, SQLiteStore)
    assert (store.database_path, store.store_id, store._db.timeout) == (str(path), "site-a", 3)
    assert path.exists()


@pytest.mark.parametrize(("text", "relative"), [
    ("sqlite://sync.db", "sync.db"),
    ("sqlite://state/sub/sync.db", "state/sub/sync.db"),
    ("sqlite://./here.db", "here.db"),
    ("sqlite://with%20space/x.db", "with space/x.db"),
])
def test_sqlite_relative_path_from_the_current_directory(
    text: str, relative: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stores: list[BaseStore]
) -> None:
    monkeypatch.chdir(tmp_path)
    store = store_from_url(text, store_id="x")
    stores.append(store)
    assert isinstance(store, SQLiteStore)
    assert Path(store.database_path).resolve() == (tmp_path / relative).resolve()
    assert (tmp_path / relative).exists()


def test_sqlite_path_in_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stores: list[BaseStore]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store = store_from_url("sqlite://~/state/sync.db", store_id="x")
    stores.append(store)
    assert store.database_path == str(tmp_path / "state" / "sync.db")  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["sqlite://", "sqlite:///", "sqlite://dir/", "sqlite://u:pw@x.db"])
def test_sqlite_needs_a_file_path(text: str) -> None:
    with pytest.raises(ValueError, match="sqlite://"):
        store_from_url(text, store_id="x")


def test_sqlite_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ValueError, match="cannot create the directory"):
        store_from_url(f"sqlite://{blocker}/sub/x.db", store_id="x")


# -- redis ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_redis")
@pytest.mark.parametrize(("text", "expected"), [
    ("redis://localhost", {"host": "localhost", "port": 6379, "db": 0}),
    ("redis://cache.example.com:6380/3", {"host": "cache.example.com", "port": 6380, "db": 3}),
    (f"redis://:{QUOTED_SECRET}@h/1", {"host": "h", "port": 6379, "db": 1, "password": SECRET}),
    (f"redis://app:{QUOTED_SECRET}@h:7000", {"host": "h", "port": 7000, "db": 0, "username": "app",
                                             "password": SECRET}),
    ("redis://[::1]:6390/2", {"host": "::1", "port": 6390, "db": 2}),
    ("rediss://h:6380/0", {"host": "h", "port": 6380, "db": 0, "ssl": True}),
    ("rediss://h/0?ssl_ca_certs=/etc/ca.pem", {"host": "h", "port": 6379, "db": 0, "ssl": True,
                                               "ssl_ca_certs": "/etc/ca.pem"}),
    ("unix:///run/redis/redis.sock", {"unix_socket_path": "/run/redis/redis.sock", "db": 0}),
    (f"unix://:{QUOTED_SECRET}@/run/r.sock?db=5", {"unix_socket_path": "/run/r.sock", "db": 5, "password": SECRET}),
])
def test_redis_urls_become_constructor_options(text: str, expected: dict[str, Any]) -> None:
    assert redis_kwargs(text) == {"store_id": "sid", **expected}


@pytest.mark.usefixtures("fake_redis")
def test_redis_options_are_passed_on_once() -> None:
    assert redis_kwargs("redis://h", socket_timeout=2.5)["socket_timeout"] == 2.5
    with pytest.raises(ValueError, match="both set db"):
        redis_kwargs("redis://h/1", db=2)


@pytest.mark.usefixtures("fake_redis")
@pytest.mark.parametrize(("text", "message"), [
    (f"redis://:{SECRET}@h:notaport/0", "port must be a number"),
    (f"redis://:{SECRET}@h/zero", "database must be a number"),
    (f"redis://:{SECRET}@:6379/0", "needs a host"),
    (f"redis://:{SECRET}@h/0?ssl_ca_certs=/ca.pem", "unknown option"),
    (f"rediss://:{SECRET}@h/0?password={SECRET}", "unknown option"),
    (f"unix://:{SECRET}@host/r.sock", "three slashes"),
    (f"unix://:{SECRET}@/r.sock?db=x", "database must be a number"),
    (f"redis://:{SECRET}@[::1/0", "Invalid store URL"),
    (f"http://:{SECRET}@h/0", "memory://, sqlite://, redis://, rediss://, unix://"),
])
def test_bad_urls_raise_value_errors_without_the_password(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        store_from_url(text, store_id="x")
    assert SECRET not in str(caught.value) and "s3cr3t" not in str(caught.value)
    assert "***" in str(caught.value)


@pytest.mark.parametrize("text", ["", "/var/lib/sync.db", "localhost:6379", "SQLITE3:///x.db", "sqlite:/x.db"])
def test_unknown_schemes_list_the_known_ones(text: str) -> None:
    with pytest.raises(ValueError, match="must be one of memory://, sqlite://, redis://, rediss://, unix://"):
        store_from_url(text, store_id="x")


def test_missing_redis_py_is_a_clear_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_redis(name: str, package: str | None = None) -> types.ModuleType:
        raise ModuleNotFoundError("No module named 'redis'", name="redis")

    monkeypatch.setattr(url.importlib, "import_module", no_redis)
    with pytest.raises(ImportError, match="pip install redis") as caught:
        store_from_url(f"redis://:{SECRET}@h/0", store_id="x")
    assert "s3cr3t" not in str(caught.value)


def test_memory_and_sqlite_work_without_redis_py(tmp_path: Path) -> None:
    code = f"""
        import sys
        sys.modules["redis"] = None  # any import of redis-py now fails
        from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.url import store_from_url
        store_from_url("memory://", store_id="x")
        store_from_url("sqlite://{tmp_path}/x.db", store_id="x").close()
        assert not any(name.endswith("store.redis") for name in sys.modules), "RedisStore was imported"
        print("ok")
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            timeout=60, env=os.environ.copy(), check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


@pytest.mark.redis
def test_real_redis_over_tcp_and_unix_socket(redis_server: Any, redis_url: str, stores: list[BaseStore]) -> None:
    for text in (redis_url, f"unix://{redis_server.unix_socket_path}?db=1"):
        store = store_from_url(text, store_id="via-url")
        stores.append(store)
        assert type(store).__name__ == "RedisStore"
        assert store.count() == 0


# -- redact_url ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("redis://h:6379/0", "redis://h:6379/0"),
    ("redis://user@h/0", "redis://user@h/0"),
    (f"redis://:{QUOTED_SECRET}@h:6379/0", "redis://:***@h:6379/0"),
    (f"rediss://app:{QUOTED_SECRET}@h/0?ssl_ca_certs=/ca.pem", "rediss://app:***@h/0?ssl_ca_certs=/ca.pem"),
    (f"redis://:{SECRET}@h/0", "redis://:***@h/0"),  # an unencoded '@' in the password
    ("redis://:pa/ss#w?rd@h/0", "redis://:***@h/0"),  # '/', '#', '?' in the password
    (f"unix://:{QUOTED_SECRET}@/run/r.sock?db=1", "unix://:***@/run/r.sock?db=1"),
    (f"unix:///run/r.sock?db=1&password={SECRET}", "unix:///run/r.sock?db=1&password=***"),
    ("sqlite:///var/lib/x.db", "sqlite:///var/lib/x.db"),
    ("memory://", "memory://"),
])
def test_redact_url(text: str, expected: str) -> None:
    assert redact_url(text) == expected
