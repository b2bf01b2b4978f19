"""Shared pytest setup: the collection on sys.path, and real redis-server fixtures.

``bash tests/run.sh`` prepares the environment and exports ``DATASYNC_COLLECTIONS_ROOT``.
When pytest is run directly instead, this file does the same: it finds (or makes, with a
symlink in a temporary directory) a folder holding ``ansible_collections/datasync/diffsync``
and puts it on ``sys.path``, ``PYTHONPATH`` (for subprocesses) and ``ANSIBLE_COLLECTIONS_PATH``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
COLLECTION_PARTS = ("ansible_collections", "datasync", "diffsync")
REDIS_FIXTURES = {"redis_server", "redis_url", "fresh_redis"}


def _linked_root() -> Path:
    """Make ``<tmp>/ansible_collections/datasync/diffsync -> CHECKOUT``; removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="datasync-collections-"))
    parent = root.joinpath(*COLLECTION_PARTS[:-1])
    parent.mkdir(parents=True)
    link = parent / COLLECTION_PARTS[-1]
    link.symlink_to(CHECKOUT, target_is_directory=True)

    def remove() -> None:
        link.unlink(missing_ok=True)  # first, so rmtree can never reach the checkout
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(remove)
    return root


def _collections_root() -> Path:
    """The folder above ``ansible_collections`` through which this checkout is imported."""
    given = os.environ.get("DATASYNC_COLLECTIONS_ROOT")
    if given:
        return Path(given)
    logical = Path(os.path.abspath(__file__)).parent.parent
    for path in (logical, CHECKOUT):
        if path.parts[-3:] == COLLECTION_PARTS:
            return path.parents[2]
    return _linked_root()


def _prepend_env(name: str, value: str) -> None:
    parts = [p for p in os.environ.get(name, "").split(os.pathsep) if p and p != value]
    os.environ[name] = os.pathsep.join([value, *parts])


def _setup_collection() -> None:
    root = str(_collections_root())
    if root not in sys.path:
        sys.path.insert(0, root)
    _prepend_env("PYTHONPATH", root)
    os.environ["ANSIBLE_COLLECTIONS_PATH"] = root
    os.environ["DATASYNC_COLLECTIONS_ROOT"] = root
    if "ANSIBLE_HOME" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="datasync-ansible-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        os.environ["ANSIBLE_HOME"] = os.path.join(scratch, "home")
        os.environ.setdefault("ANSIBLE_LOCAL_TEMP", os.path.join(scratch, "tmp"))


_setup_collection()

from ansible_collections.datasync.diffsync.tests.support.redis_server import (  # noqa: E402
    RedisServer,
    RedisServerError,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a redis fixture with ``redis`` (so ``-m 'not redis'`` works)."""
    for item in items:
        if REDIS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.redis)


def _start(**options: Any) -> RedisServer:
    """Start a server, or fail the test with the reason (never skip)."""
    server = None
    try:
        server = RedisServer(**options)
        return server.start()
    except RedisServerError as exc:
        reason = str(exc)  # fail below, outside the handler, for a clean report
    if server is not None:
        server.close()
    pytest.fail(f"cannot start a test redis-server: {reason}", pytrace=False)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the whole session. Do not stop it; use ``fresh_redis`` for that."""
    server = _start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """URL of the session server, emptied (FLUSHALL) for this test."""
    if not redis_server.running:
        redis_server.start()
    redis_server.flushall()
    return redis_server.url


@pytest.fixture
def fresh_redis(request: pytest.FixtureRequest) -> Iterator[RedisServer]:
    """A private server this test may stop and restart; AOF on, so data survives a restart.

    Options go through indirect parametrisation, e.g.
    ``@pytest.mark.parametrize("fresh_redis", [{"password": "s3cret"}], indirect=True)``.
    """
    options: dict[str, Any] = {"appendonly": True, **getattr(request, "param", {})}
    server = _start(**options)
    try:
        yield server
    finally:
        server.close()
