"""The SQLite side of ``SQLiteStore``: one connection, the schema, the SQL, and error translation.

Every ``sqlite3.Error`` is turned into an engine error here (``raise ... from exc``), with a message
that starts with the store's label (which names the file and store_id) and says how to fix it.

Schema (shared by every store_id in the file)::

    diffsync_objects(seq INTEGER PRIMARY KEY, store_id, model_name, unique_id, data JSON text)
        UNIQUE (store_id, model_name, unique_id), INDEX (store_id, model_name, seq)
    diffsync_metadata(store_id, key, value) PRIMARY KEY (store_id, key)
    diffsync_versions(store_id PRIMARY KEY, version): bumped by each commit that changes the store_id's objects

``seq`` is the rowid: a new row gets a higher one than every row present, so ordering by it gives
insertion order; an upsert of an existing key keeps its ``seq`` (and so its place).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence

from ..exceptions import ObjectStoreException, StoreCorrupted, StoreLocked, StoreUnavailable

Row = tuple[str, str]  # (unique_id, JSON data)

_TABLES = (
    "CREATE TABLE IF NOT EXISTS diffsync_objects (seq INTEGER PRIMARY KEY, store_id TEXT NOT NULL, "
    "model_name TEXT NOT NULL, unique_id TEXT NOT NULL, data TEXT NOT NULL, "
    "UNIQUE (store_id, model_name, unique_id))",
    "CREATE TABLE IF NOT EXISTS diffsync_metadata (store_id TEXT NOT NULL, key TEXT NOT NULL, "
    "value TEXT NOT NULL, PRIMARY KEY (store_id, key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS diffsync_versions (store_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
)
_INDEX = "CREATE INDEX IF NOT EXISTS diffsync_objects_order ON diffsync_objects (store_id, model_name, seq)"
_COLUMNS = {"diffsync_objects": ["seq", "store_id", "model_name", "unique_id", "data"],
            "diffsync_metadata": ["store_id", "key", "value"],
            "diffsync_versions": ["store_id", "version"]}

_KEY = "store_id = ? AND model_name = ?"
_SELECT_ONE = f"SELECT data FROM diffsync_objects WHERE {_KEY} AND unique_id = ?"  # noqa: S608
_SELECT_MODEL = f"SELECT unique_id, data FROM diffsync_objects WHERE {_KEY} ORDER BY seq"  # noqa: S608
_UPSERT = (
    "INSERT INTO diffsync_objects (store_id, model_name, unique_id, data) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (store_id, model_name, unique_id) DO UPDATE SET data = excluded.data"
)
_DELETE = f"DELETE FROM diffsync_objects WHERE {_KEY} AND unique_id = ?"  # noqa: S608
# Skip-scan over the (store_id, model_name, seq) index: one seek per model name, never a scan of the rows.
_MODEL_NAMES = (
    "WITH RECURSIVE names(name) AS ("
    " SELECT min(model_name) FROM diffsync_objects WHERE store_id = ?1"
    " UNION ALL SELECT (SELECT min(model_name) FROM diffsync_objects WHERE store_id = ?1 AND model_name > name)"
    " FROM names WHERE name IS NOT NULL) "
    "SELECT name FROM names WHERE name IS NOT NULL"
)
_CHUNK = 500  # unique ids per ``IN (...)`` query, well below SQLite's bound-parameter limit

_LOCKED = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class SQLiteDatabase:
    """One connection to one database file, in WAL mode, with transactions managed explicitly.

    ``label`` starts every error message (it names the file and the store_id). The connection runs
    in autocommit mode; ``begin``/``commit``/``rollback`` and ``writing`` group statements.
    """

    def __init__(self, path: str, *, timeout: float, label: str) -> None:
        self.path = path
        self.timeout = timeout
        self.label = label
        self._conn: sqlite3.Connection | None = None
        conn = None
        try:
            with self.translate("opening the database"):
                # check_same_thread=False: the flush at exit or garbage collection may run in another thread.
                conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
                self._setup(conn)
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        self._conn = conn

    def _setup(self, conn: sqlite3.Connection) -> None:
        """WAL mode (readers never wait for the writer), then the schema, checked when it already existed."""
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # durable against crashes of the process in WAL mode
        for statement in _TABLES:
            conn.execute(statement)
        for table, columns in _COLUMNS.items():
            found = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                raise StoreCorrupted(
                    f"{self.label}: table {table!r} has columns {found!r}, expected {columns!r}: the file was "
                    f"written by another program or version; use another database_path"
                )
        conn.execute(_INDEX)

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection; StoreUnavailable once closed."""
        if self._conn is None:
            raise StoreUnavailable(f"{self.label}: the store is closed; create a new SQLiteStore to use the file again")
        return self._conn

    @contextlib.contextmanager
    def translate(self, action: str) -> Iterator[None]:
        """Turn an ``sqlite3.Error`` raised in the block into the engine error it stands for."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc, action) from exc

    def _error(self, exc: sqlite3.Error, action: str) -> ObjectStoreException:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in _LOCKED:
            return StoreLocked(
                f"{self.label}: the database is locked by another writer (waited {self.timeout} s while {action}); "
                f"retry when the other sync has finished, or give the store a larger timeout="
            )
        if code in _CORRUPT:
            return StoreCorrupted(
                f"{self.label}: the file is not a usable SQLite database ({exc}) while {action}; "
                f"move it away or choose another database_path"
            )
        return StoreUnavailable(
            f"{self.label}: SQLite failed while {action}: {exc}; check that the file's directory exists and "
            f"is writable, and that the disk is not full"
        )

    # -- transactions ---------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once ``close`` was called."""
        return self._conn is None

    @property
    def in_transaction(self) -> bool:
        """True between ``begin`` and ``commit``/``rollback``."""
        return self._conn is not None and self._conn.in_transaction

    def begin(self, action: str) -> None:
        """Start a write transaction now (BEGIN IMMEDIATE), waiting up to ``timeout`` for the write lock."""
        with self.translate(action):
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self, action: str) -> None:
        """Commit the open transaction."""
        with self.translate(action):
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Undo the open transaction, if any; errors are left to the caller's original exception."""
        if self.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def writing(self, action: str) -> Iterator[None]:
        """Run the block in the open transaction, or in a new one committed at its end (rolled back on error)."""
        if self.in_transaction:
            yield
            return
        self.begin(action)
        try:
            yield
            self.commit(action)
        except BaseException:
            self.rollback()
            raise

    # -- objects --------------------------------------------------------------------------------------

    def fetch_one(self, store_id: str, modelname: str, uid: str) -> str | None:
        """The JSON text stored for one key, or None."""
        with self.translate(f"reading {modelname} {uid!r}"):
            row = self.conn.execute(_SELECT_ONE, (store_id, modelname, uid)).fetchone()
        return None if row is None else row[0]

    def fetch_many(self, store_id: str, modelname: str, uids: Sequence[str]) -> list[Row]:
        """``(unique_id, data)`` of those ``uids`` that are stored, in no particular order."""
        rows: list[Row] = []
        with self.translate(f"reading {len(uids)} {modelname} objects"):
            for start in range(0, len(uids), _CHUNK):
                chunk = uids[start:start + _CHUNK]
                sql = (f"SELECT unique_id, data FROM diffsync_objects WHERE {_KEY} "  # noqa: S608
                       f"AND unique_id IN ({','.join('?' * len(chunk))})")
                rows.extend(self.conn.execute(sql, (store_id, modelname, *chunk)))
        return rows

    def fetch_model(self, store_id: str, modelname: str) -> list[Row]:
        """``(unique_id, data)`` of every object of ``modelname``, in insertion order."""
        with self.translate(f"reading every {modelname} object"):
            return self.conn.execute(_SELECT_MODEL, (store_id, modelname)).fetchall()

    def has_objects(self, store_id: str) -> bool:
        """True when ``store_id`` has at least one object."""
        with self.translate("opening the store"):
            sql = "SELECT 1 FROM diffsync_objects WHERE store_id = ? LIMIT 1"
            return self.conn.execute(sql, (store_id,)).fetchone() is not None

    def count(self, store_id: str, modelname: str | None) -> int:
        """Number of objects of ``modelname``, or of the whole store_id when it is None."""
        with self.translate("counting objects"):
            if modelname is None:
                cursor = self.conn.execute("SELECT count(*) FROM diffsync_objects WHERE store_id = ?", (store_id,))
            else:
                cursor = self.conn.execute(f"SELECT count(*) FROM diffsync_objects WHERE {_KEY}",  # noqa: S608
                                           (store_id, modelname))
            return int(cursor.fetchone()[0])

    def model_names(self, store_id: str) -> set[str]:
        """Names of the models with at least one object."""
        with self.translate("listing model names"):
            return {row[0] for row in self.conn.execute(_MODEL_NAMES, (store_id,))}

    def write(self, deletes: list[tuple[str, str, str]], upserts: list[tuple[str, str, str, str]]) -> None:
        """Delete the ``(store_id, model, uid)`` keys, then upsert the ``(store_id, model, uid, data)`` rows.

        Call it inside a transaction (``writing`` or ``begin``).
        """
        with self.translate(f"saving {len(upserts)} and deleting {len(deletes)} objects"):
            if deletes:
                self.conn.executemany(_DELETE, deletes)
            if upserts:
                self.conn.executemany(_UPSERT, upserts)

    def clear(self, store_id: str) -> None:
        """Delete every object of ``store_id`` (its metadata stays); call it inside a transaction."""
        with self.translate("clearing the store"):
            self.conn.execute("DELETE FROM diffsync_objects WHERE store_id = ?", (store_id,))

    def version(self, store_id: str) -> int:
        """How many commits changed the objects of ``store_id`` (0 for a new one)."""
        with self.translate("reading the store version"):
            row = self.conn.execute("SELECT version FROM diffsync_versions WHERE store_id = ?", (store_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def bump_version(self, store_id: str) -> int:
        """Count one more commit that changes ``store_id``'s objects (call it inside that transaction)."""
        sql = ("INSERT INTO diffsync_versions (store_id, version) VALUES (?, 1) "
               "ON CONFLICT (store_id) DO UPDATE SET version = version + 1 RETURNING version")
        with self.translate("saving the store version"):
            return int(self.conn.execute(sql, (store_id,)).fetchone()[0])

    # -- metadata and life cycle ------------------------------------------------------------------------

    def get_metadata(self, store_id: str, key: str) -> str | None:
        """The metadata value under ``key``, or None."""
        with self.translate(f"reading metadata {key!r}"):
            sql = "SELECT value FROM diffsync_metadata WHERE store_id = ? AND key = ?"
            row = self.conn.execute(sql, (store_id, key)).fetchone()
        return None if row is None else str(row[0])

    def set_metadata(self, store_id: str, key: str, value: str) -> None:
        """Keep ``value`` under ``key``."""
        with self.writing(f"saving metadata {key!r}"):
            sql = "INSERT OR REPLACE INTO diffsync_metadata (store_id, key, value) VALUES (?, ?, ?)"
            self.conn.execute(sql, (store_id, key, value))

    def close(self) -> None:
        """Roll back any open transaction and close the connection. Safe to call twice."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                conn.close()
