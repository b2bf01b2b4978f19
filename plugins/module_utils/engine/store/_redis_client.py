"""RedisStore's connection: the guarded redis-py import, client options, safe descriptions, error mapping.

Nothing here keeps a password: descriptions of the server (``where``) replace it with ``***``, and
error texts are scrubbed of the password the client was built with before they are shown.
"""

from __future__ import annotations

import contextlib
import traceback
import urllib.parse
from collections.abc import Iterator
from typing import Any

from ..exceptions import ObjectStoreException, StoreCorrupted, StoreLocked, StoreUnavailable

try:
    import redis
    from redis import exceptions as redis_errors
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry
except ImportError:
    HAS_REDIS = False
    REDIS_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_REDIS = True
    REDIS_IMPORT_ERROR = None

URL_SCHEMES = ("redis", "rediss", "unix")
_MASK = "***"
_MIN_SECRET = 4  # shorter passwords are not scrubbed from texts: it would mangle every message


def require_redis() -> None:
    """Raise StoreUnavailable, saying how to fix it, when redis-py cannot be imported."""
    if not HAS_REDIS:
        raise StoreUnavailable(
            "RedisStore needs the Python library 'redis' (redis-py >= 5), which cannot be imported here: "
            "install it on the controller with `pip install redis`"
        )


def mask_url(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` query option) replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _MASK
    auth = ""
    if "@" in rest:  # the last "@": a password may hold "/", "?" or "#" unquoted
        userinfo, _, rest = rest.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        auth = f"{user}:{_MASK}@" if colon else f"{user}@"
    location, qmark, query = rest.partition("?")
    query = "&".join(
        f"password={_MASK}" if item.lower().startswith("password=") else item
        for item in query.partition("#")[0].split("&")
    )
    return f"{scheme}://{auth}{location.partition('#')[0]}{qmark}{query}"


def check_options(
    *, url: str | None, host: str | None, unix_socket_path: str | None, ssl: bool, ssl_ca_certs: str | None
) -> None:
    """Raise ValueError for contradictory connection options, naming them."""
    given = [name for name, value in (("url", url), ("host", host), ("unix_socket_path", unix_socket_path)) if value]
    if len(given) > 1:
        raise ValueError(f"RedisStore takes only one of url=, host= and unix_socket_path=; got {' and '.join(given)}")
    if url is not None:
        scheme = url.partition("://")[0].lower()
        if scheme not in URL_SCHEMES:
            raise ValueError(
                f"RedisStore url {mask_url(url)!r} has scheme {scheme!r}; use one of "
                f"{', '.join(s + '://' for s in URL_SCHEMES)}"
            )
        if (ssl or ssl_ca_certs) and scheme != "rediss":
            raise ValueError("RedisStore: TLS options (ssl=, ssl_ca_certs=) need a rediss:// url")
    elif unix_socket_path and (ssl or ssl_ca_certs):
        raise ValueError("RedisStore: TLS options (ssl=, ssl_ca_certs=) do not apply to a unix socket")


def describe(*, url: str | None, host: str | None, port: int, db: int, unix_socket_path: str | None) -> str:
    """Where the store connects, without any password: ``host:port/db``, ``unix:///path?db=N`` or the masked URL."""
    if url is not None:
        return mask_url(url)
    if unix_socket_path:
        return f"unix://{unix_socket_path}?db={db}"
    return f"{host or 'localhost'}:{port}/{db}"


def make_client(
    *,
    url: str | None,
    host: str | None,
    port: int,
    db: int,
    password: str | None,
    username: str | None,
    ssl: bool,
    ssl_ca_certs: str | None,
    unix_socket_path: str | None,
    socket_timeout: float | None,
) -> Any:
    """A ``redis.Redis`` client (bytes replies, short retries) for these options; nothing is sent yet."""
    options: dict[str, Any] = {
        "db": db,
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
    }
    if password is not None:
        options["password"] = password
    if username is not None:
        options["username"] = username
    if ssl_ca_certs is not None:
        options["ssl_ca_certs"] = ssl_ca_certs
    if url is not None:
        return redis.Redis.from_url(url, **options)
    if unix_socket_path:
        return redis.Redis(unix_socket_path=unix_socket_path, **options)
    return redis.Redis(host=host or "localhost", port=port, ssl=ssl, **options)


def client_secrets(client: Any) -> list[str]:
    """The password the client logs in with, and its URL-quoted form, when long enough to scrub."""
    password = client.connection_pool.connection_kwargs.get("password")
    if not password or len(password) < _MIN_SECRET:
        return []
    return [password, urllib.parse.quote(password, safe="")]


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, _MASK)
    return text


def translate(exc: Exception, *, label: str, doing: str, secrets: list[str]) -> ObjectStoreException:
    """The engine error for redis-py's ``exc``, raised while ``doing`` something on the store ``label``."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, redis_errors.WatchError) and isinstance(cause, redis_errors.RedisError):
        return translate(cause, label=label, doing=doing, secrets=secrets)  # redis-py's wrap of a lost connection
    detail = scrub(f"{type(exc).__name__}: {exc}", secrets)
    if isinstance(exc, redis_errors.WatchError):
        return StoreLocked(
            f"{label}: the store's lock changed while {doing} ({detail}): another writer took it after it "
            f"expired; nothing was written. Raise lock_ttl= or retry"
        )
    if isinstance(exc, redis_errors.AuthenticationError):
        return StoreUnavailable(
            f"{label}: the Redis server refused the credentials while {doing} ({detail}); check username= and "
            f"password= (or the user:password part of the url)"
        )
    if isinstance(exc, redis_errors.ConnectionError | redis_errors.TimeoutError):
        return StoreUnavailable(
            f"{label}: cannot reach the Redis server while {doing} ({detail}); check that redis-server runs "
            f"there and that host/port, the unix socket, TLS settings and socket_timeout= are right"
        )
    message = str(exc)
    if message.startswith("WRONGTYPE"):
        return StoreCorrupted(
            f"{label}: a key of this store holds a value of the wrong Redis type while {doing} ({detail}); "
            f"something else wrote under the store's prefix: remove that key or use another store_id"
        )
    if message.startswith(("NOPERM", "NOAUTH")):
        return StoreUnavailable(
            f"{label}: the Redis server refused a command while {doing} ({detail}); give the user access to "
            f"the store's keys and to string, set, sorted-set and scripting commands, or log in with password="
        )
    return StoreUnavailable(f"{label}: the Redis server failed while {doing} ({detail})")


@contextlib.contextmanager
def boundary(*, label: str, doing: str, client: Any) -> Iterator[None]:
    """Turn redis-py errors raised inside the block into engine errors (``raise ... from``)."""
    try:
        yield
    except redis_errors.RedisError as exc:
        raise translate(exc, label=label, doing=doing, secrets=client_secrets(client)) from exc


class StoreConnection:
    """What a RedisStore's parts share: the client, the key names, the label naming store and server."""

    def __init__(self, client: Any, keys: Any, *, label: str, batch_size: int) -> None:
        self.client = client
        self.keys = keys
        self.label = label
        self.batch_size = batch_size

    def boundary(self, doing: str) -> contextlib.AbstractContextManager[None]:
        """Context manager turning redis-py errors into engine errors that say what was being done."""
        return boundary(label=self.label, doing=doing, client=self.client)
