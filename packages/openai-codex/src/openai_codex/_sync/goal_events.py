"""``GoalEvents``: the sync face of ``AsyncGoalEvents`` (a thread's live goal
notifications), read from the calling thread like a sync turn stream."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core.connection.sink import StreamClosed
from .._core.goals.events import AsyncGoalEvents
from .._core.resources import Resource

if TYPE_CHECKING:
    from .._core.connection.notifications import Notification
    from .portal import Portal

#: How often a blocked iteration wakes to let signals (Ctrl-C) through.
_POLL_S = 1.0


class GoalEvents(Resource):
    """A thread's goal notifications, live (``for``; see ``AsyncGoalEvents``)."""

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
        except StreamClosed:
            raise StopIteration from None

    def close(self) -> None:
        """Stop the subscription (see ``AsyncGoalEvents.close``)."""
        if not self._async._closed and not self._portal.closed:
            self._portal.call_sync(self._async.close)


__all__ = ["GoalEvents"]
