"""``Sink``: one consumer's queue of raw notifications, readable from async or sync code.

The reader (on the event-loop thread) pushes ``(method, params)`` tuples or an
exception. An async consumer on the same loop waits on an ``anyio.Event``; a sync
consumer on another thread blocks on the ``SimpleQueue`` itself. No thread hop per
item either way.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any, TypeAlias

import anyio

Item: TypeAlias = "tuple[str, dict[str, Any]] | BaseException"


class StreamClosed(Exception):
    """Pushed into a sink by its consumer's ``close()`` to end a waiting read (the one
    "closed" sentinel of every stream: event subscriptions, file watches, goal events)."""


class Sink:
    """A queue of notifications for one consumer. With ``limit``, a consumer that falls
    ``limit`` items behind gets ``overflow()`` after the items already queued, and nothing
    more is queued (``overflowed`` tells the producer to stop feeding it)."""

    __slots__ = ("_event", "_limit", "_overflow", "_queue", "overflowed")

    def __init__(
        self,
        limit: int | None = None,
        overflow: Callable[[], BaseException] | None = None,
    ) -> None:
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._event: anyio.Event | None = None
        self._limit = limit
        self._overflow = overflow
        self.overflowed = False

    def push(self, item: Item) -> None:
        """Add an item (called on the event-loop thread; never blocks)."""
        if self.overflowed and not isinstance(item, BaseException):
            return
        limit = self._limit
        if (
            limit is not None
            and self._queue.qsize() >= limit
            and not isinstance(item, BaseException)
        ):
            self.overflowed = True
            overflow = self._overflow
            item = overflow() if overflow is not None else OverflowError(limit)
        self._queue.put(item)
        event = self._event
        if event is not None:
            self._event = None
            event.set()

    async def get(self) -> Item:
        """The next item; waits on the event loop (the loop that feeds this sink)."""
        while True:
            try:
                return self._queue.get_nowait()
            except queue.Empty:
                pass
            event = self._event = anyio.Event()
            await event.wait()

    def poll(self, timeout: float) -> Item | None:
        """The next item, blocking this (non-loop) thread up to ``timeout``; else None."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def get_nowait(self) -> Item | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None
