"""``Sink``: one consumer's queue of raw notifications, readable from async or sync code.

The reader (on the event-loop thread) pushes ``(method, params)`` tuples or an
exception. An async consumer on the same loop waits on a one-shot waiter (a bare future of
the loop on asyncio, an ``anyio.Event`` elsewhere); a sync consumer on another thread blocks
on the ``SimpleQueue`` itself. No thread hop per item either way.
"""

from __future__ import annotations

import queue
import sys
from collections.abc import Callable, Generator
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

    __slots__ = (
        "_limit",
        "_make_waiter",
        "_overflow",
        "_queue",
        "_waiter",
        "overflowed",
        "queued",
        "take",
    )

    def __init__(
        self,
        limit: int | None = None,
        overflow: Callable[[], BaseException] | None = None,
    ) -> None:
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        #: the next queued item, or ``queue.Empty`` at once: a consumer's fast path (one C
        #: call per item while items are queued; ``wait()``/``poll()`` when there are none)
        self.take: Callable[[], Item] = self._queue.get_nowait
        #: how many items are queued (one C call: a consumer checks it rather than pay for
        #: ``take()``'s ``queue.Empty`` each time it has drained the queue)
        self.queued: Callable[[], int] = self._queue.qsize
        # a waiting consumer's one-shot waiter: ``set_result`` wakes it (one per wait)
        self._waiter: Any = None
        # the running backend's waiter factory, found by the first wait: the loop's
        # ``create_future`` on asyncio (no ``anyio.Event`` around an ``asyncio.Event`` around
        # a future per wait), else :class:`_EventWaiter`
        self._make_waiter: Callable[[], Any] | None = None
        self._limit = limit
        self._overflow = overflow
        self.overflowed = False

    def push(self, item: Item) -> None:
        """Add an item (called on the event-loop thread; never blocks)."""
        limit = self._limit
        if limit is not None and type(item) is tuple:  # bounded: exceptions always go in
            if self.overflowed:
                return
            if self._queue.qsize() >= limit:
                self.overflowed = True
                overflow = self._overflow
                item = overflow() if overflow is not None else OverflowError(limit)
        self._queue.put(item)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():  # (a future is cancelled with its waiting task)
                waiter.set_result(None)

    async def get(self) -> Item:
        """The next item; waits on the event loop (the loop that feeds this sink)."""
        while True:
            try:
                return self._queue.get_nowait()
            except queue.Empty:
                pass
            await self.wait()

    async def wait(self) -> None:
        """Wait on the event loop (the loop that feeds this sink) until an item is queued;
        returns at once if one is."""
        if self._queue.qsize():
            return
        make = self._make_waiter
        if make is None:
            make = self._make_waiter = _waiter_factory()
        waiter = self._waiter = make()
        await waiter

    def poll(self, timeout: float) -> Item | None:
        """The next item, blocking this (non-loop) thread up to ``timeout``; else None."""
        q = self._queue
        try:
            # a queued item is taken without the timed wait (which reads the clock)
            return q.get_nowait() if q.qsize() else q.get(timeout=timeout)
        except queue.Empty:
            return None

    def get_nowait(self) -> Item | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None


class _EventWaiter:
    """A one-shot waiter with a future's ``done``/``set_result``/``await``, on an
    ``anyio.Event`` (for a backend other than asyncio)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = anyio.Event()

    def done(self) -> bool:
        return self._event.is_set()

    def set_result(self, _value: None) -> None:
        self._event.set()

    def __await__(self) -> Generator[Any, None, None]:
        return self._event.wait().__await__()


def _waiter_factory() -> Callable[[], Any]:
    """What :meth:`Sink.wait` waits on: a bare future of the running asyncio loop, or an
    :class:`_EventWaiter` inside trio (looked for first: trio may run as an asyncio guest)."""
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            pass
        else:
            return _EventWaiter
    import asyncio

    return asyncio.get_running_loop().create_future
