"""``AsyncGoalEvents``: a live subscription to one thread's goal notifications
(``thread/goal/updated``, ``thread/goal/cleared``), with or without a goal turn being
followed. Subscribed when made; ``close()`` (or leaving ``with``) ends it. The sync face
(``GoalEvents``) is in ``_sync/goal_events.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openai_codex_transport import TransportClosedError

from ..connection.notifications import Notification
from ..connection.sink import Item, Sink, StreamClosed
from ..resources import Resource

if TYPE_CHECKING:
    from .registry import GoalRegistry


class AsyncGoalEvents(Resource):
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
        """The notification for a sink item; StopIteration-like ``StreamClosed`` at the end."""
        if isinstance(item, BaseException):
            if isinstance(item, StreamClosed):
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
        except StreamClosed:
            raise StopAsyncIteration from None

    def close(self) -> None:
        """Stop the subscription (a consumer waiting for the next event stops too)."""
        if not self._closed:
            self._closed = True
            self._registry.unsubscribe(self.thread_id, self._sink)
            self._sink.push(StreamClosed())


__all__ = ["AsyncGoalEvents"]
