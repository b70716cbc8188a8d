"""``AsyncGoalEvents``/``GoalEvents``: a live subscription to one thread's goal
notifications (``thread/goal/updated``, ``thread/goal/cleared``), with or without a goal
turn being followed. Subscribed when made; ``close()`` (or leaving ``with``) ends it."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from openai_codex_transport import TransportClosedError

from .._notifications import Notification
from .._sink import Item, Sink

if TYPE_CHECKING:
    from .._portal import Portal
    from .registry import GoalRegistry

#: How often a blocked sync iterator wakes to let signals (Ctrl-C) through.
_POLL_S = 1.0


class _Closed(Exception):
    """Pushed into the subscription's sink by ``close()`` to end a waiting iteration."""


class AsyncGoalEvents:
    """The goal notifications of one thread, live (``async for``); see the module doc."""

    __slots__ = ("_closed", "_registry", "_sink", "thread_id")

    def __init__(self, registry: GoalRegistry, thread_id: str) -> None:
        self._registry = registry
        self.thread_id = thread_id
        self._sink = Sink()
        self._closed = False
        registry.subscribe(thread_id, self._sink)

    def __repr__(self) -> str:
        return f"AsyncGoalEvents(thread_id={self.thread_id!r})"

    def _event(self, item: Item) -> Notification:
        """The notification for a sink item; StopIteration-like ``_Closed`` at the end."""
        if isinstance(item, BaseException):
            if isinstance(item, _Closed):
                raise item
            self.close()
            if isinstance(item, TransportClosedError):
                raise item._copy() from item
            raise item
        return Notification._raw(*item)

    def __aiter__(self) -> AsyncGoalEvents:
        return self

    async def __anext__(self) -> Notification:
        if self._closed:
            raise StopAsyncIteration
        try:
            return self._event(await self._sink.get())
        except _Closed:
            raise StopAsyncIteration from None

    def close(self) -> None:
        """Stop the subscription (a consumer waiting for the next event stops too)."""
        if not self._closed:
            self._closed = True
            self._registry.unsubscribe(self.thread_id, self._sink)
            self._sink.push(_Closed())

    def __enter__(self) -> AsyncGoalEvents:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class GoalEvents:
    """The sync face of :class:`AsyncGoalEvents` (``for``); reads from the calling thread."""

    __slots__ = ("_async", "_portal")

    def __init__(self, portal: Portal, events: AsyncGoalEvents) -> None:
        self._portal = portal
        self._async = events

    def __repr__(self) -> str:
        return f"GoalEvents(thread_id={self._async.thread_id!r})"

    def __iter__(self) -> GoalEvents:
        return self

    def __next__(self) -> Notification:
        events = self._async
        if events._closed:
            raise StopIteration
        while (item := events._sink.poll(_POLL_S)) is None:
            pass
        try:
            return events._event(item)
        except _Closed:
            raise StopIteration from None

    def close(self) -> None:
        """Stop the subscription (see ``AsyncGoalEvents.close``)."""
        if not self._async._closed and not self._portal.closed:
            self._portal.call_sync(self._async.close)

    def __enter__(self) -> GoalEvents:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["AsyncGoalEvents", "GoalEvents"]
