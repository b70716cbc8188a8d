"""Thread stores: keep a thread outside its runtime and continue it in another one.

A thread lives in one runtime's CODEX_HOME (its rollout file). ``thread.save(store)``
copies the rollout into a store; ``codex.thread_restore(thread_id, store)`` writes it into
another runtime's CODEX_HOME (another machine, container or Temporal worker) and resumes
the thread there, so the next turn continues the conversation. See docs/stores.md.

- ``DirectoryStore(path)``: a local or mounted directory (the default; no service)
- ``SQLiteStore(path)``: one SQLite file (standard library)
- ``PostgresStore(dsn)``: PostgreSQL through psycopg 3 (``openai-codex[postgres]``)
- ``FsspecStore(url)``: any fsspec URL: ``s3://``, ``gs://``, ``az://``, ``file://``,
  ``memory://`` (``openai-codex[fsspec]``)

``ThreadStore`` is the protocol they implement (async); ``SyncThreadStore`` is the blocking
face of any of them; ``open_store(location)`` makes one from a string.
``openai_codex.testing.store_conformance`` checks a store of yours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    RolloutSecretError,
    StoreConflictError,
    StoredThreadCorruptError,
    ThreadNotStoredError,
    ThreadStoreError,
)
from ._protocol import ThreadStore
from ._record import StoredThread
from ._sync import SyncThreadStore
from .directory import DirectoryStore
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .fsspec_store import FsspecStore
    from .postgres import PostgresStore

__all__ = [
    "DirectoryStore",
    "FsspecStore",
    "PostgresStore",
    "RolloutSecretError",
    "SQLiteStore",
    "StoreConflictError",
    "StoredThread",
    "StoredThreadCorruptError",
    "SyncThreadStore",
    "ThreadNotStoredError",
    "ThreadStore",
    "ThreadStoreError",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """The stores of the optional extras load on first use (their drivers are optional)."""
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    if name == "FsspecStore":
        from .fsspec_store import FsspecStore

        return FsspecStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(location: str) -> ThreadStore:
    """A store from one string (a command-line flag, an environment variable).

    ``postgresql://...``/``postgres://...``: ``PostgresStore``; ``sqlite:///path`` (or a
    path ending in ``.sqlite``/``.db``): ``SQLiteStore``; another ``scheme://`` URL:
    ``FsspecStore``; a plain path: ``DirectoryStore``."""
    if location.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(location)
    if location.startswith("sqlite://"):
        return SQLiteStore(location.removeprefix("sqlite://"))
    if "://" in location:
        from .fsspec_store import FsspecStore

        return FsspecStore(location)
    if location.endswith((".sqlite", ".sqlite3", ".db")):
        return SQLiteStore(location)
    return DirectoryStore(location)
