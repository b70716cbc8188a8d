"""``PostgresStore``: threads kept in PostgreSQL (psycopg 3; ``openai-codex[postgres]``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openai_codex_transport.redaction import redact_text

from ._errors import ThreadStoreError
from ._sql import Connection, SqlStore

__all__ = ["PostgresStore"]


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ThreadStoreError(
            "PostgresStore needs psycopg 3: pip install 'openai-codex[postgres]'"
        ) from None
    return psycopg


class PostgresStore(SqlStore):
    """Threads in PostgreSQL: two tables (``codex_threads``, ``codex_thread_chunks``),
    created on first use; a save is one transaction.

    ``dsn`` is a libpq connection string or URL; left out, libpq's environment
    (``PGHOST``, ``PGUSER``, ``PGPASSWORD``, ``PGDATABASE``, ...) is used. The password
    never appears in this object's repr or in its errors. Operations run on a worker thread
    over one connection per store object, opened on first use and reopened after it
    breaks (works under asyncio and trio alike); ``close()`` closes it."""

    placeholder = "%s"
    blob_type = "BYTEA"

    def __init__(self, dsn: str = "", *, connect_timeout: float = 10.0) -> None:
        psycopg = _import_psycopg()
        self._dsn = dsn
        self.connect_timeout = connect_timeout
        try:
            params = psycopg.conninfo.conninfo_to_dict(dsn)
        except psycopg.ProgrammingError:
            raise ThreadStoreError(
                "PostgresStore: the DSN is not a libpq connection string or URL"
            ) from None
        self._secret = str(params.get("password") or "")
        shown = {k: params[k] for k in ("host", "port", "dbname", "user") if params.get(k)}
        self._shown = " ".join(f"{k}={v}" for k, v in shown.items()) or "the PG* environment"
        self._ready = False
        self._conn: Any = None
        self._conn_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PostgresStore({self._shown!r})"

    def _describe(self) -> str:
        return f"the Postgres store ({self._shown})"

    def _clean(self, text: str) -> str:
        text = redact_text(text)
        return text.replace(self._secret, "[REDACTED]") if self._secret else text

    def _connect(self) -> Any:
        psycopg = _import_psycopg()
        try:
            conn = psycopg.connect(self._dsn, connect_timeout=max(1, round(self.connect_timeout)))
        except psycopg.Error as exc:
            raise ThreadStoreError(
                f"cannot connect to {self._describe()}: {self._clean(str(exc))}"
            ) from None
        if not self._ready:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(31031)")  # one creator at a time
                for statement in self._schema():
                    conn.execute(statement)
            self._ready = True
        return conn

    def _lock(self, conn: Connection, thread_id: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (thread_id,))

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        psycopg = _import_psycopg()
        with self._conn_lock:  # one transaction at a time on the store's connection
            conn = self._conn
            if conn is None or conn.closed:
                conn = self._conn = self._connect()
            try:
                with conn.transaction():
                    if not write:  # the record and its chunks from one snapshot
                        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    yield conn
            except psycopg.Error as exc:
                if conn.broken:
                    self._conn = None
                    conn.close()
                raise ThreadStoreError(
                    f"{self._describe()} failed: {self._clean(str(exc))}"
                ) from None

    def close(self) -> None:
        """Close the store's connection (the next operation opens a new one)."""
        with self._conn_lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
