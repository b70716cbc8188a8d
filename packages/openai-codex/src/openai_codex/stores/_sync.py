"""``SyncThreadStore``: the blocking face of any ``ThreadStore``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from ._protocol import ThreadStore
from ._record import StoredThread

__all__ = ["SyncThreadStore"]

T = TypeVar("T")


class SyncThreadStore:
    """Blocking calls to a ``ThreadStore`` (each runs the async call in its own event loop).

    Use it outside async code: ``SyncThreadStore(DirectoryStore(path)).threads()``. Sync
    ``Thread.save`` and ``Codex.thread_restore`` take it or the async store alike."""

    __slots__ = ("async_store",)

    def __init__(self, store: ThreadStore) -> None:
        self.async_store = store

    def __repr__(self) -> str:
        return f"SyncThreadStore({self.async_store!r})"

    @staticmethod
    def _run(call: Callable[[], Awaitable[T]]) -> T:
        async def main() -> T:
            return await call()

        return anyio.run(main)

    def save(self, record: StoredThread, data: bytes, *, offset: int = 0) -> None:
        """Store ``data`` at ``offset`` of the thread's rollout (see ``ThreadStore.save``)."""
        self._run(lambda: self.async_store.save(record, data, offset=offset))

    def info(self, thread_id: str) -> StoredThread | None:
        """The record of a stored thread, or ``None``."""
        return self._run(lambda: self.async_store.info(thread_id))

    def load(self, thread_id: str) -> tuple[StoredThread, bytes]:
        """The record and the whole rollout of a stored thread."""
        return self._run(lambda: self.async_store.load(thread_id))

    def threads(self) -> list[StoredThread]:
        """Every stored thread's record, most recently saved first."""
        return self._run(self.async_store.threads)

    def delete(self, thread_id: str) -> bool:
        """Forget a thread; ``False`` when there was nothing to delete."""
        return self._run(lambda: self.async_store.delete(thread_id))
