"""``BlockingStore``: the ``ThreadStore`` protocol over blocking operations, each run on a
worker thread (the directory, fsspec and SQLite stores are written this way)."""

from __future__ import annotations

from abc import ABC, abstractmethod

import anyio.to_thread

from ._record import StoredThread, check_thread_id


class BlockingStore(ABC):
    """The async ``ThreadStore`` methods, each one blocking operation on a worker thread;
    subclasses write the ``_*_blocking`` operations."""

    async def save(self, record: StoredThread, data: bytes, *, offset: int = 0) -> None:
        """Store ``data`` at ``offset`` of the rollout (see ``ThreadStore.save``)."""
        await anyio.to_thread.run_sync(self._save_blocking, record, bytes(data), offset)

    async def info(self, thread_id: str) -> StoredThread | None:
        """The record of a stored thread, or ``None``."""
        check_thread_id(thread_id)
        return await anyio.to_thread.run_sync(self._info_blocking, thread_id)

    async def load(self, thread_id: str) -> tuple[StoredThread, bytes]:
        """The record and the whole rollout of a stored thread."""
        check_thread_id(thread_id)
        return await anyio.to_thread.run_sync(self._load_blocking, thread_id)

    async def threads(self) -> list[StoredThread]:
        """Every stored thread's record, most recently saved first."""
        return await anyio.to_thread.run_sync(self._threads_blocking)

    async def delete(self, thread_id: str) -> bool:
        """Forget a thread; ``False`` when there was nothing to delete."""
        check_thread_id(thread_id)
        return await anyio.to_thread.run_sync(self._delete_blocking, thread_id)

    @abstractmethod
    def _save_blocking(self, record: StoredThread, data: bytes, offset: int) -> None: ...

    @abstractmethod
    def _info_blocking(self, thread_id: str) -> StoredThread | None: ...

    @abstractmethod
    def _load_blocking(self, thread_id: str) -> tuple[StoredThread, bytes]: ...

    @abstractmethod
    def _threads_blocking(self) -> list[StoredThread]: ...

    @abstractmethod
    def _delete_blocking(self, thread_id: str) -> bool: ...


__all__ = ["BlockingStore"]
