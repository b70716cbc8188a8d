"""The SQL layout shared by the database stores (SQLite, PostgreSQL).

Two tables: ``codex_threads`` (one row per thread: its record as JSON) and
``codex_thread_chunks`` (the rollout's bytes, one row per save, keyed by offset). A save is
one transaction, so a killed writer leaves the thread as of the previous save.
"""

from __future__ import annotations

from abc import abstractmethod
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ._blocking import BlockingStore
from ._errors import (
    StoreConflictError,
    StoredThreadCorruptError,
    ThreadNotStoredError,
    ThreadStoreError,
)
from ._record import StoredThread, digest

__all__ = ["SqlStore"]


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Any = ...) -> Any: ...


class SqlStore(BlockingStore):
    """A ``ThreadStore`` over a SQL database; each operation is one blocking transaction on a
    worker thread. Subclasses give the connection, the placeholder style and the schema."""

    #: the driver's parameter placeholder (``?`` or ``%s``)
    placeholder = "?"
    #: the column type of the rollout bytes
    blob_type = "BLOB"

    @abstractmethod
    def _describe(self) -> str:
        """A credential-free name of the store for messages."""

    @abstractmethod
    def _transaction(self, write: bool) -> AbstractContextManager[Connection]:
        """A connection inside one transaction (``write``: taking the write lock first)."""

    def _sql(self, text: str) -> str:
        return text.replace("?", self.placeholder)

    def _schema(self) -> list[str]:
        return [
            "CREATE TABLE IF NOT EXISTS codex_threads ("
            "thread_id TEXT PRIMARY KEY, record TEXT NOT NULL, saved_at DOUBLE PRECISION NOT NULL)",
            "CREATE TABLE IF NOT EXISTS codex_thread_chunks ("
            f"thread_id TEXT NOT NULL, start_at BIGINT NOT NULL, data {self.blob_type} NOT NULL, "
            "PRIMARY KEY (thread_id, start_at))",
        ]

    def _lock(self, conn: Connection, thread_id: str) -> None:
        """Serialize writers of one thread inside a write transaction (SQLite's
        ``BEGIN IMMEDIATE`` already does)."""

    # -- blocking implementation -----------------------------------------------------
    def _parse(self, thread_id: str, text: Any) -> StoredThread:
        try:
            record = StoredThread.from_json(bytes(text) if isinstance(text, memoryview) else text)
        except (ValueError, KeyError, TypeError, ThreadStoreError) as exc:
            raise StoredThreadCorruptError(
                thread_id, self._describe(), f"its record is unreadable: {exc}"
            ) from None
        if record.thread_id != thread_id:
            raise StoredThreadCorruptError(
                thread_id, self._describe(), f"its record names {record.thread_id}"
            )
        return record

    def _save_blocking(self, record: StoredThread, data: bytes, offset: int) -> None:
        thread_id = record.thread_id
        if offset < 0 or record.size != offset + len(data):
            raise ValueError(f"record.size {record.size} != offset {offset} + {len(data)} bytes")
        with self._transaction(write=True) as conn:
            self._lock(conn, thread_id)
            row = conn.execute(
                self._sql("SELECT record FROM codex_threads WHERE thread_id = ?"), (thread_id,)
            ).fetchone()
            if offset:
                size = None if row is None else self._parse(thread_id, row[0]).size
                if size != offset:
                    have = "nothing" if size is None else f"{size} bytes"
                    raise StoreConflictError(
                        f"cannot append to thread {thread_id} at byte {offset}: the store has "
                        f"{have}; save the whole rollout (offset=0)",
                        thread_id=thread_id,
                    )
            else:
                conn.execute(
                    self._sql("DELETE FROM codex_thread_chunks WHERE thread_id = ?"), (thread_id,)
                )
            conn.execute(
                self._sql(
                    "INSERT INTO codex_thread_chunks (thread_id, start_at, data) VALUES (?, ?, ?)"
                ),
                (thread_id, offset, data),
            )
            params = (record.to_json(), record.saved_at, thread_id)
            if row is None:
                conn.execute(
                    self._sql(
                        "INSERT INTO codex_threads (record, saved_at, thread_id) VALUES (?, ?, ?)"
                    ),
                    params,
                )
            else:
                conn.execute(
                    self._sql(
                        "UPDATE codex_threads SET record = ?, saved_at = ? WHERE thread_id = ?"
                    ),
                    params,
                )

    def _info_blocking(self, thread_id: str) -> StoredThread | None:
        with self._transaction(write=False) as conn:
            row = conn.execute(
                self._sql("SELECT record FROM codex_threads WHERE thread_id = ?"), (thread_id,)
            ).fetchone()
        return None if row is None else self._parse(thread_id, row[0])

    def _load_blocking(self, thread_id: str) -> tuple[StoredThread, bytes]:
        with self._transaction(write=False) as conn:
            row = conn.execute(
                self._sql("SELECT record FROM codex_threads WHERE thread_id = ?"), (thread_id,)
            ).fetchone()
            if row is None:
                raise ThreadNotStoredError(thread_id, self._describe())
            chunks = conn.execute(
                self._sql(
                    "SELECT start_at, data FROM codex_thread_chunks WHERE thread_id = ? "
                    "ORDER BY start_at"
                ),
                (thread_id,),
            ).fetchall()
        record = self._parse(thread_id, row[0])
        parts, at = [], 0
        for start, part in chunks:
            if start != at:
                raise StoredThreadCorruptError(
                    thread_id, self._describe(), f"a chunk starts at byte {start}, not {at}"
                )
            part = bytes(part)
            parts.append(part)
            at += len(part)
        data = b"".join(parts)
        if len(data) != record.size or digest(data) != record.sha256:
            raise StoredThreadCorruptError(
                thread_id, self._describe(), "the rollout does not match its SHA-256"
            )
        return record, data

    def _threads_blocking(self) -> list[StoredThread]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT thread_id, record FROM codex_threads ORDER BY saved_at DESC"
            ).fetchall()
        out = []
        for thread_id, text in rows:
            try:
                out.append(self._parse(thread_id, text))
            except StoredThreadCorruptError:
                continue  # load() reports it
        return out

    def _delete_blocking(self, thread_id: str) -> bool:
        with self._transaction(write=True) as conn:
            self._lock(conn, thread_id)
            conn.execute(
                self._sql("DELETE FROM codex_thread_chunks WHERE thread_id = ?"), (thread_id,)
            )
            cursor = conn.execute(
                self._sql("DELETE FROM codex_threads WHERE thread_id = ?"), (thread_id,)
            )
            return bool(cursor.rowcount)
