"""``SQLiteStore``: threads kept in one SQLite file (standard library ``sqlite3``)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._sql import Connection, SqlStore

__all__ = ["SQLiteStore"]


class SQLiteStore(SqlStore):
    """Threads in one SQLite database file (WAL mode, ``synchronous=NORMAL``; a save is one
    transaction).

    Several processes on one machine may share the file. Do not put it on a network
    filesystem (SQLite's locking needs a local disk): use ``DirectoryStore`` or
    ``PostgresStore`` across machines."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._ready = False
        self._ready_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    def _describe(self) -> str:
        return f"the SQLite store {self.path}"

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        # WAL with synchronous=NORMAL: a commit survives the process being killed; a power
        # loss may lose the last commits, never leave one half done
        conn.execute("PRAGMA synchronous=NORMAL")
        if not self._ready:
            with self._ready_lock:
                if not self._ready:
                    try:
                        self._prepare(conn)
                    except BaseException:
                        conn.close()
                        raise
                    self._ready = True
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the schema, once per store object. Two processes (or store objects)
        preparing a new file at once can get "database is locked" at once, without SQLite's
        busy wait (switching the journal mode is refused rather than waited for): retried
        until ``timeout``."""
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                for statement in self._schema():
                    conn.execute(statement)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)  # (a worker thread of the store, never the event loop)
            pause = min(pause * 2, 0.1)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()
