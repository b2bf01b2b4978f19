"""Choosing a store from a URL: the one factory every Ansible plugin uses.

A closed table of schemes::

    memory://                                   LocalStore (nothing persisted)
    sqlite:///abs/path.db                       SQLiteStore, absolute path
    sqlite://relative/path.db                   SQLiteStore, path relative to the current directory
    sqlite://~/path.db                          SQLiteStore, path in the home directory
    redis://[user:password@]host[:port][/db]    RedisStore
    rediss://[user:password@]host[:port][/db][?ssl_ca_certs=/path/ca.pem]   RedisStore over TLS
    unix:///path/redis.sock[?db=N]              RedisStore on a unix socket

Passwords never appear in messages: every error shows the URL through ``redact_url``. The Redis
store is imported only for Redis URLs, so memory and SQLite work without redis-py.
"""

from __future__ import annotations

import importlib
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import BaseStore
from .local import LocalStore

SCHEMES = ("memory", "sqlite", "redis", "rediss", "unix")
_QUERY_OPTIONS = {"memory": (), "sqlite": (), "redis": (), "rediss": ("ssl_ca_certs",), "unix": ("db",)}
_SECRET_QUERY = re.compile(r"(?i)(^|[?&;])((?:password|passwd|pass)=)[^&;#]*")


def redact_url(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` query option) replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    if sep:
        rest = _redact_userinfo(rest)
    return _SECRET_QUERY.sub(r"\1\2***", f"{scheme}{sep}{rest}")


def _redact_userinfo(rest: str) -> str:
    """``rest`` (the URL after ``://``) with the password of its user part hidden."""
    match = re.search(r"[/?#]", rest)
    end = len(rest) if match is None else match.start()
    at = rest.rfind("@", 0, end)
    if at < 0 and ":" in rest[:end]:
        at = rest.rfind("@")  # a password holding an unencoded '/', '?' or '#': hide all up to the last '@'
    if at < 0:
        return rest
    user, colon, _password = rest[:at].partition(":")
    return f"{user}:***{rest[at:]}" if colon else rest


def store_from_url(url: str, *, store_id: str, **options: Any) -> BaseStore:
    """The store that ``url`` names, for ``store_id``; ``options`` go to the store's constructor.

    Raises ValueError for an unknown scheme (listing the known ones), a malformed URL, an unknown
    query option, or an option given both in the URL and in ``options``. The store's own errors
    (StoreUnavailable, StoreLocked, ...) pass through.
    """
    if not isinstance(url, str):
        raise ValueError(f"store URL must be a string, got {type(url).__name__}; for example 'sqlite:///tmp/sync.db'")
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError as exc:
        raise ValueError(f"Invalid store URL {redact_url(url)!r}: {exc}") from None
    scheme = parts.scheme.lower()
    builder = _BUILDERS.get(scheme)
    if builder is None or "://" not in url:
        raise ValueError(
            f"Unsupported store URL {redact_url(url)!r}: the scheme must be one of "
            f"{', '.join(s + '://' for s in SCHEMES)} (for example 'sqlite:///var/lib/sync.db' or "
            f"'redis://localhost:6379/0')"
        )
    query = _query_options(url, scheme, parts.query)
    try:
        from_url = builder(parts, query)
    except ValueError as exc:
        raise ValueError(f"Invalid store URL {redact_url(url)!r}: {exc}") from None
    doubled = sorted(set(from_url) & set(options))
    if doubled:
        raise ValueError(f"Store URL {redact_url(url)!r} and the options both set {', '.join(doubled)}: give each once")
    return _construct(scheme, url, {**from_url, **options}, store_id)


def _query_options(url: str, scheme: str, query: str) -> dict[str, str]:
    """The URL's query options, checked against the scheme's closed list."""
    allowed = _QUERY_OPTIONS[scheme]
    values = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        known = ", ".join(allowed) if allowed else "none"
        raise ValueError(
            f"Store URL {redact_url(url)!r} has unknown option(s) {', '.join(unknown)}; {scheme}:// accepts: {known}"
        )
    return values


def _construct(scheme: str, url: str, kwargs: dict[str, Any], store_id: str) -> BaseStore:
    if scheme == "memory":
        return LocalStore(**kwargs)
    if scheme == "sqlite":
        from .sqlite import SQLiteStore  # pylint: disable=import-outside-toplevel

        return SQLiteStore(store_id=store_id, **kwargs)
    try:  # imported here so that memory:// and sqlite:// work without redis-py
        redis_module = importlib.import_module(".redis", __package__)
    except ImportError as exc:
        if exc.name != "redis":
            raise
        raise ImportError(
            f"Store URL {redact_url(url)!r} needs the Python package 'redis' (redis-py), which cannot be "
            f"imported; install it with `pip install redis`, or use a sqlite:// URL",
            name="redis",
        ) from None
    store: BaseStore = redis_module.RedisStore(store_id=store_id, **kwargs)
    return store


# -- one builder per scheme: URL parts -> constructor keyword arguments ------------------------------------

def _memory(parts: urllib.parse.SplitResult, query: dict[str, str]) -> dict[str, Any]:
    if parts.netloc or parts.path.strip("/"):
        raise ValueError("memory:// takes no host or path")
    return {}


def _sqlite(parts: urllib.parse.SplitResult, query: dict[str, str]) -> dict[str, Any]:
    if "@" in parts.netloc:
        raise ValueError("sqlite:// takes no user or password")
    raw = urllib.parse.unquote(parts.netloc + parts.path)
    if not raw or raw.endswith("/"):
        raise ValueError("sqlite:// needs a file path: sqlite:///abs/path.db or sqlite://relative/path.db")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"cannot create the directory {str(path.parent)!r} for the database: {exc.strerror}") from None
    return {"database_path": str(path)}


def _redis(parts: urllib.parse.SplitResult, query: dict[str, str]) -> dict[str, Any]:
    if not parts.hostname:
        raise ValueError("a redis:// URL needs a host: redis://[user:password@]host[:port][/db]")
    try:
        port = parts.port or 6379
    except ValueError:
        raise ValueError("the port must be a number between 0 and 65535") from None
    kwargs: dict[str, Any] = {"host": parts.hostname, "port": port, "db": _db_number(parts.path.strip("/") or "0")}
    kwargs.update(_credentials(parts))
    if parts.scheme.lower() == "rediss":
        kwargs["ssl"] = True
        if query.get("ssl_ca_certs"):
            kwargs["ssl_ca_certs"] = query["ssl_ca_certs"]
    return kwargs


def _unix(parts: urllib.parse.SplitResult, query: dict[str, str]) -> dict[str, Any]:
    hostport = parts.netloc.rpartition("@")[2]
    if hostport or not parts.path or parts.path.endswith("/"):
        raise ValueError("a unix:// URL names the socket file after three slashes: unix:///path/redis.sock[?db=N]")
    kwargs: dict[str, Any] = {
        "unix_socket_path": urllib.parse.unquote(parts.path),
        "db": _db_number(query.get("db", "0")),
    }
    kwargs.update(_credentials(parts))
    return kwargs


def _db_number(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"the Redis database must be a number, got {text!r}")
    return int(text)


def _credentials(parts: urllib.parse.SplitResult) -> dict[str, str]:
    """``username``/``password`` from the URL's user part, percent-decoded; only those present."""
    found = {}
    if parts.username:
        found["username"] = urllib.parse.unquote(parts.username)
    if parts.password is not None:
        found["password"] = urllib.parse.unquote(parts.password)
    return found


_BUILDERS: dict[str, Callable[[urllib.parse.SplitResult, dict[str, str]], dict[str, Any]]] = {
    "memory": _memory,
    "sqlite": _sqlite,
    "redis": _redis,
    "rediss": _redis,
    "unix": _unix,
}
