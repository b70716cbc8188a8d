"""``ThreadStore``: the protocol every thread store implements (async)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._record import StoredThread

__all__ = ["ThreadStore"]


@runtime_checkable
class ThreadStore(Protocol):
    """Where threads are kept between runtimes: a rollout (bytes) and a record per thread id.

    Every operation is atomic: a reader sees a thread as of one complete save, never a part
    of one, even when the saving process was killed mid-way. ``SyncThreadStore`` is the
    blocking face of any store.
    """

    async def save(self, record: StoredThread, data: bytes, *, offset: int = 0) -> None:
        """Store ``data`` at ``offset`` of the thread's rollout and ``record`` with it.

        ``offset=0`` replaces what is stored; ``offset > 0`` appends and needs the stored
        size to be ``offset`` (else ``StoreConflictError``). ``record.size``/``sha256``
        describe the whole rollout after the save."""
        ...

    async def info(self, thread_id: str) -> StoredThread | None:
        """The record of a stored thread, or ``None`` when the store has none."""
        ...

    async def load(self, thread_id: str) -> tuple[StoredThread, bytes]:
        """The record and the whole rollout (``ThreadNotStoredError`` when absent,
        ``StoredThreadCorruptError`` when the bytes do not match the record)."""
        ...

    async def threads(self) -> list[StoredThread]:
        """Every stored thread's record, most recently saved first."""
        ...

    async def delete(self, thread_id: str) -> bool:
        """Forget a thread; ``False`` when there was nothing to delete."""
        ...
