"""RedisStore connection options and errors: URL/host/unix socket, password, ACL user, TLS, secrets."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import redis

from ansible_collections.datasync.diffsync.plugins.module_utils.engine.exceptions import (
    ObjectStoreException,
    StoreUnavailable,
)
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store import _redis_client
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store.redis import RedisStore
from ansible_collections.datasync.diffsync.tests.support.redis_server import RedisServer, free_port
from ansible_collections.datasync.diffsync.tests.unit.plugins.module_utils.engine.store.test_redis_models import (
    Device,
    Inventory,
    loaded,
    make_records,
    run_python,
)

PASSWORD = "Pa55-w0rd-not-in-output"
ACL = ("syncer", "An0ther-secret-pw")
QUOTED = "p@ss/w:rd?#x"  # needs quoting in a URL


def unavailable(**options: Any) -> StoreUnavailable:
    with pytest.raises(StoreUnavailable) as caught:
        RedisStore(socket_timeout=0.5, **options)
    assert not isinstance(caught.value, redis.RedisError)
    return caught.value


def round_trip(store: RedisStore) -> None:
    """Write through ``store`` and read back through a second store on the same connection options."""
    loaded(make_records(2), internal_storage_engine=store).store.close()


# -- option checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "redis://h/0", "host": "h"}, "only one of url=, host= and unix_socket_path=; got url and host"),
        ({"host": "h", "unix_socket_path": "/s"}, "got host and unix_socket_path"),
        ({"url": "http://u:sekretpw@h/0"}, r"'http://u:\*\*\*@h/0' has scheme 'http'; use one of redis://"),
        ({"url": "redis://h/0", "ssl": True}, "need a rediss:// url"),
        ({"unix_socket_path": "/s", "ssl_ca_certs": "/ca.pem"}, "do not apply to a unix socket"),
    ],
)
def test_contradictory_options_raise_value_error(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        RedisStore(**options)
    assert "sekretpw" not in str(caught.value)


def test_tls_options_reach_the_redis_py_connection() -> None:
    common = {"host": None, "port": 6379, "db": 0, "password": None, "username": None, "ssl": False,
              "ssl_ca_certs": None, "unix_socket_path": None, "socket_timeout": 2.5}
    by_url = _redis_client.make_client(**{**common, "url": "rediss://cache.example:6380/3", "ssl_ca_certs": "/ca.pem"})
    by_host = _redis_client.make_client(**{**common, "url": None, "host": "cache.example", "ssl": True,
                                           "ssl_ca_certs": "/ca.pem"})
    for client in (by_url, by_host):
        pool = client.connection_pool
        assert pool.connection_class is redis.SSLConnection
        assert pool.connection_kwargs["ssl_ca_certs"] == "/ca.pem"
        assert pool.connection_kwargs["socket_timeout"] == 2.5
        assert pool.connection_kwargs["socket_connect_timeout"] == 2.5
    assert by_url.connection_pool.connection_kwargs["db"] == 3
    plain = _redis_client.make_client(**{**common, "url": None, "host": "cache.example"})
    assert plain.connection_pool.connection_class is redis.Connection


def test_tls_against_a_plain_server_is_unavailable_naming_the_url(redis_server: RedisServer) -> None:
    error = unavailable(url=f"rediss://127.0.0.1:{redis_server.port}/0")
    assert f"rediss://127.0.0.1:{redis_server.port}/0" in str(error)


# -- unreachable servers ---------------------------------------------------------------------------------


def test_unreachable_host_is_named_with_port_and_db() -> None:
    port = free_port()
    error = unavailable(host="127.0.0.1", port=port, db=3, store_id="inv")
    assert f"RedisStore 'inv' at 127.0.0.1:{port}/3: cannot reach the Redis server while connecting" in str(error)
    assert isinstance(error, ObjectStoreException)
    assert isinstance(error.__cause__, redis.ConnectionError)


def test_unreachable_unix_socket_is_named(tmp_path: Any) -> None:
    path = str(tmp_path / "nothing.sock")
    assert f"unix://{path}?db=0" in str(unavailable(unix_socket_path=path))


def test_unreachable_url_is_named_without_its_password() -> None:
    port = free_port()
    error = unavailable(url=f"redis://admin:{PASSWORD}@127.0.0.1:{port}/2?password={PASSWORD}")
    assert f"redis://admin:***@127.0.0.1:{port}/2?password=***" in str(error)
    assert PASSWORD not in str(error)


def test_missing_redis_py_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_redis_client, "HAS_REDIS", False)
    with pytest.raises(StoreUnavailable, match=r"needs the Python library 'redis'.*pip install redis"):
        RedisStore(host="127.0.0.1")


def test_the_module_imports_without_redis_py() -> None:
    code = """
import json, sys
sys.modules["redis"] = None  # makes `import redis` fail
from ansible_collections.datasync.diffsync.plugins.module_utils.engine.store import redis as store_redis
try:
    store_redis.RedisStore(host="127.0.0.1")
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
print(json.dumps([store_redis.HAS_REDIS, "Error: import of redis halted" in store_redis.REDIS_IMPORT_ERROR, error]))
"""
    has_redis, saved_error, error = run_python(code)
    assert has_redis is False and saved_error
    assert error.startswith("StoreUnavailable: RedisStore needs the Python library 'redis'")


# -- credentials and transports ---------------------------------------------------------------------------


@pytest.mark.parametrize("fresh_redis", [{"password": PASSWORD}], indirect=True)
def test_password_by_argument_and_url(fresh_redis: RedisServer) -> None:
    round_trip(RedisStore(host=fresh_redis.host, port=fresh_redis.port, password=PASSWORD, store_id="pw"))
    assert len(Inventory(internal_storage_engine=RedisStore(url=fresh_redis.url, store_id="pw"))) == 8
    refused = unavailable(host=fresh_redis.host, port=fresh_redis.port, password="wrong-password")
    assert "refused the credentials" in str(refused) and "password=" in str(refused)
    missing = unavailable(host=fresh_redis.host, port=fresh_redis.port)
    assert f"{fresh_redis.host}:{fresh_redis.port}/0" in str(missing)


@pytest.mark.parametrize("fresh_redis", [{"password": "admin-Pa55word", "acl_user": ACL}], indirect=True)
def test_acl_user_by_argument_and_url(fresh_redis: RedisServer) -> None:
    user, secret = ACL
    round_trip(RedisStore(host=fresh_redis.host, port=fresh_redis.port, username=user, password=secret,
                          store_id="acl"))
    by_url = RedisStore(url=fresh_redis.make_url(username=user, password=secret), store_id="acl")
    assert by_url.count() == 8
    assert secret not in str(by_url) and secret not in repr(by_url)
    assert f"redis://{user}:***@" in str(by_url)
    refused = unavailable(host=fresh_redis.host, port=fresh_redis.port, username=user, password="not-it-at-all")
    assert "refused the credentials" in str(refused)


def test_unix_socket_by_argument_and_url(redis_url: str, redis_server: RedisServer) -> None:
    path = redis_server.unix_socket_path
    round_trip(RedisStore(unix_socket_path=path, store_id="sock"))
    by_url = RedisStore(url=f"unix://{path}?db=0", store_id="sock")
    assert by_url.count() == 8
    assert str(RedisStore(unix_socket_path=path, db=1)).endswith(f"at unix://{path}?db=1")


# -- secrets never shown ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fresh_redis", [{"password": QUOTED}], indirect=True)
def test_passwords_stay_out_of_str_repr_errors_and_logs(
    fresh_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    quoted_url = fresh_redis.make_url(username="default", password=QUOTED)
    stores = [
        RedisStore(url=quoted_url, store_id="s1"),
        RedisStore(host=fresh_redis.host, port=fresh_redis.port, password=QUOTED, store_id="s2"),
    ]
    texts = []
    for store in stores:
        inventory = Inventory(internal_storage_engine=store)
        inventory.sync_from(loaded(make_records(3)))
        texts += [str(store), repr(store), str(inventory), inventory.str()]
        fresh_redis.stop()
        with pytest.raises(StoreUnavailable) as caught:
            inventory.sync_from(loaded(make_records(4, role="x")))
        texts += [str(caught.value), repr(caught.value), str(caught.value.__cause__)]
        fresh_redis.start()
    for bad in ({"password": "wrong-" + QUOTED}, {"url": quoted_url.replace("default:", "nobody:")}):
        options = {"host": fresh_redis.host, "port": fresh_redis.port, **bad} if "password" in bad else bad
        with pytest.raises(StoreUnavailable) as caught:
            RedisStore(**options)
        texts += [str(caught.value), str(caught.value.__cause__)]
    texts += [record.getMessage() for record in caplog.records]
    assert any("redis://default:***@" in text for text in texts)
    leaked = [text for text in texts if "w:rd" in text or "p%40ss" in text]
    assert not leaked


def test_store_accepts_adapter_and_name_like_every_store(redis_url: str) -> None:
    inventory = Inventory(internal_storage_engine=RedisStore(url=redis_url, name="cache", store_id="n"))
    assert str(inventory.store).startswith("cache 'n' at redis://")
    inventory.add(Device(name="a"))
    assert inventory.get("device", "a").adapter is inventory
