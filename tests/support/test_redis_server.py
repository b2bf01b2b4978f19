"""Tests of the test support: the redis-server wrapper and the conftest fixtures."""

from __future__ import annotations

import os
import socket

import pytest
import redis

from ansible_collections.datasync.diffsync.tests.support.redis_server import (
    RedisServer,
    RedisServerError,
    free_port,
)


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, decode_responses=True)


def test_session_server_answers_ping(redis_server: RedisServer) -> None:
    assert redis_server.running
    assert _client(redis_server.url).ping() is True
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"


def test_unix_socket_answers_ping(redis_server: RedisServer) -> None:
    client = redis.Redis(unix_socket_path=redis_server.unix_socket_path, socket_timeout=2)
    assert client.ping() is True


def test_redis_url_is_empty_for_each_test_first(redis_url: str) -> None:
    client = _client(redis_url)
    assert client.dbsize() == 0
    client.set("left-over", "1")


def test_redis_url_is_empty_for_each_test_second(redis_url: str) -> None:
    assert _client(redis_url).dbsize() == 0


def test_redis_fixtures_get_the_redis_marker(request: pytest.FixtureRequest, redis_url: str) -> None:
    assert request.node.get_closest_marker("redis") is not None


@pytest.mark.parametrize("fresh_redis", [{"password": "pa:ss/w@rd"}], indirect=True)
def test_password_is_required(fresh_redis: RedisServer) -> None:
    with pytest.raises(redis.exceptions.AuthenticationError):
        _client(f"redis://127.0.0.1:{fresh_redis.port}/0").ping()
    assert _client(fresh_redis.url).ping() is True
    assert fresh_redis.url.startswith("redis://:pa%3Ass%2Fw%40rd@127.0.0.1:")


@pytest.mark.parametrize("fresh_redis", [{"password": "admin", "acl_user": ("app", "app-secret")}], indirect=True)
def test_acl_user_can_log_in(fresh_redis: RedisServer) -> None:
    assert fresh_redis.url.startswith("redis://app:app-secret@")
    assert _client(fresh_redis.url).acl_whoami() == "app"
    assert _client(fresh_redis.make_url(password="admin")).acl_whoami() == "default"
    with pytest.raises(redis.exceptions.AuthenticationError):
        _client(fresh_redis.make_url(username="app", password="wrong")).ping()


def test_restart_keeps_data_with_appendonly(fresh_redis: RedisServer) -> None:
    _client(fresh_redis.url).set("kept", "yes")
    port, old_pid = fresh_redis.port, fresh_redis.pid
    fresh_redis.restart()
    assert (fresh_redis.port, fresh_redis.running) == (port, True)
    assert fresh_redis.pid != old_pid
    assert _client(fresh_redis.url).get("kept") == "yes"


def test_hard_kill_keeps_data_with_appendonly(fresh_redis: RedisServer) -> None:
    _client(fresh_redis.url).set("kept", "yes")
    fresh_redis.restart(graceful=False)
    assert _client(fresh_redis.url).get("kept") == "yes"


def test_without_appendonly_restart_starts_empty() -> None:
    with RedisServer() as server:
        _client(server.url).set("gone", "1")
        server.restart()
        assert _client(server.url).dbsize() == 0


def test_stop_kills_the_process_and_frees_the_port(fresh_redis: RedisServer) -> None:
    pid = fresh_redis.pid
    assert pid is not None
    fresh_redis.stop()
    assert not fresh_redis.running
    assert not fresh_redis.ping()
    assert not _pid_alive(pid)
    with pytest.raises(redis.exceptions.ConnectionError):
        _client(fresh_redis.url).ping()
    fresh_redis.stop()  # a second stop is harmless


def test_close_removes_the_directory() -> None:
    server = RedisServer().start()
    pid, data_dir = server.pid, server.data_dir
    server.close()
    assert pid is not None
    assert not _pid_alive(pid)
    assert not data_dir.exists()


def test_server_stops_when_the_with_block_fails() -> None:
    pid = None
    with pytest.raises(ZeroDivisionError), RedisServer() as server:
        pid = server.pid
        _ = 1 / 0
    assert pid is not None
    assert not _pid_alive(pid)


def test_missing_executable_says_how_to_fix_it() -> None:
    with pytest.raises(RedisServerError, match=r"bash tests/run\.sh"):
        RedisServer(executable="no-such-redis-server")


def test_bad_config_reports_the_log() -> None:
    server = RedisServer(acl_user=("bad user", "x"))
    try:
        with pytest.raises(RedisServerError, match="exited at start"):
            server.start()
        assert not server.running
    finally:
        server.close()


def test_free_port_can_be_bound() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))


def _pid_alive(pid: int) -> bool:
    """True if a process with this id exists (the wrapper reaps its child, so no zombies)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
