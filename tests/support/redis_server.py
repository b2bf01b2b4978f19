"""A real, throw-away redis-server for tests.

``RedisServer`` runs ``redis-server`` on a free 127.0.0.1 port (and a unix socket) in its own
temporary directory, with RDB snapshots off. It can require a password, add an ACL user and keep
an append-only file so that data survives ``restart()``. ``close()`` (or leaving the ``with``
block) stops the process and removes the directory; an ``atexit`` hook and, on Linux, a
parent-death signal make sure no server outlives the test process.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


class RedisServerError(RuntimeError):
    """redis-server is missing, did not start, or did not answer."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test process dies (Linux only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _encode(*args: str) -> bytes:
    """Encode one command in the Redis protocol (RESP)."""
    parts = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class RedisServer:
    """One redis-server process; see the module docstring.

    ``acl_user`` is ``(username, password)`` for an extra user with every permission.
    ``url`` logs in as that user if there is one, else with ``password``.
    Start and stop it from the same thread: the parent-death signal follows the starting thread.
    """

    def __init__(
        self,
        *,
        password: str | None = None,
        acl_user: tuple[str, str] | None = None,
        appendonly: bool = False,
        executable: str = "redis-server",
        startup_timeout: float = 10.0,
    ) -> None:
        found = shutil.which(executable)
        if found is None:
            raise RedisServerError(
                f"{executable!r} not found on PATH. Run the tests with `bash tests/run.sh`, "
                "which installs redis-server from Debian's packages."
            )
        self.executable = found
        self.password = password
        self.acl_user = acl_user
        self.appendonly = appendonly
        self.startup_timeout = startup_timeout
        self.host = HOST
        self.port = free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        self.unix_socket_path = str(self.data_dir / "redis.sock")
        self._process: subprocess.Popen[bytes] | None = None
        self._started_once = False
        atexit.register(self.close)

    # -- addresses -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``redis://`` URL of database 0, with credentials if the server needs them."""
        return self.make_url()

    def make_url(self, *, db: int = 0, username: str | None = None, password: str | None = None) -> str:
        """``redis://`` URL; by default with the same credentials as ``url``."""
        if username is None and password is None:
            username, password = self.acl_user or (None, self.password)
        auth = ""
        if password is not None:
            auth = f"{urllib.parse.quote(username or '', safe='')}:{urllib.parse.quote(password, safe='')}@"
        return f"redis://{auth}{self.host}:{self.port}/{db}"

    # -- life cycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while the process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """Process id of the running server, or None."""
        return self._process.pid if self._process is not None and self.running else None

    def start(self) -> RedisServer:
        """Start the server (same port and data directory as before) and wait for PING."""
        if self.running:
            return self
        for attempt in range(3):
            try:
                self._spawn()
                break
            except RedisServerError:
                # Another process may have taken the free port first; only a first start may move.
                if self._started_once or attempt == 2:
                    raise
                self.port = free_port()
        self._started_once = True
        return self

    def _spawn(self) -> None:
        config = self._write_config()
        log = (self.data_dir / "redis.log").open("ab")
        self._process = subprocess.Popen(
            [self.executable, str(config)],
            cwd=self.data_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
        )
        log.close()
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop(graceful=False)
            raise

    def stop(self, *, graceful: bool = True) -> None:
        """Stop the server: SIGTERM (Redis flushes its AOF) or, if not ``graceful``, SIGKILL."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        if graceful:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
            process.wait()

    def restart(self, *, graceful: bool = True) -> RedisServer:
        """Stop, then start again on the same port and data directory."""
        self.stop(graceful=graceful)
        return self.start()

    def close(self) -> None:
        """Stop the server and delete its directory. Safe to call more than once."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        atexit.unregister(self.close)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- talking to it -------------------------------------------------------------------------

    def command(self, *args: str, timeout: float = 2.0) -> str:
        """Send one command (after AUTH if needed) and return its one-line reply, e.g. ``+PONG``."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            reader = sock.makefile("rb")
            for cmd in [*self._auth_command(), args]:
                sock.sendall(_encode(*cmd))
                reply = reader.readline().decode().rstrip("\r\n")
                if reply.startswith("-"):
                    return reply
            return reply

    def ping(self) -> bool:
        """True if the server answers PING with PONG."""
        try:
            return self.command("PING", timeout=0.5) == "+PONG"
        except OSError:
            return False

    def flushall(self) -> None:
        """Delete every key in every database."""
        reply = self.command("FLUSHALL")
        if reply != "+OK":
            raise RedisServerError(f"FLUSHALL on {self.host}:{self.port} answered {reply!r}")

    # -- helpers -------------------------------------------------------------------------------

    def _auth_command(self) -> list[tuple[str, ...]]:
        if self.acl_user is not None:
            return [("AUTH", *self.acl_user)]
        if self.password is not None:
            return [("AUTH", self.password)]
        return []

    def _write_config(self) -> Path:
        lines = [
            f"bind {self.host}",
            f"port {self.port}",
            f"unixsocket {self.unix_socket_path}",
            "unixsocketperm 700",
            f"dir {self.data_dir}",
            'save ""',
            "daemonize no",
            f"appendonly {'yes' if self.appendonly else 'no'}",
            "appendfsync always",
        ]
        if self.password is not None:
            lines.append(f'requirepass "{self.password}"')
        if self.acl_user is not None:
            name, secret = self.acl_user
            lines.append(f"user {name} on >{secret} ~* &* +@all")
        config = self.data_dir / "redis.conf"
        config.touch(mode=0o600)
        config.write_text("\n".join(lines) + "\n")
        return config

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise RedisServerError(f"redis-server exited at start; its log:\n{self._log_tail()}")
            if self.ping():
                return
            time.sleep(0.02)
        raise RedisServerError(f"redis-server did not answer PING in {self.startup_timeout} s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 20) -> str:
        log = self.data_dir / "redis.log"
        if not log.exists():
            return "(no log)"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
