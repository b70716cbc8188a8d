"""``AsyncEventStream``: a live subscription to the client's notifications.

Turn events reach their turn's handle; this is for the rest (and for watching any
method across turns): ``account/rateLimits/updated``, ``mcpServer/startupStatus/updated``,
``hook/started``/``hook/completed``, ``skills/changed``, ``thread/tokenUsage/updated``...
Subscribed when made (``await codex.events(...)``), so nothing sent after that is
missed; ``close()`` ends it. Events are the typed classes of ``openai_codex.events``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openai_codex_transport import NotificationOverflowError, TransportClosedError

from ..resources import AsyncResource
from .notifications import Notification
from .sink import Sink, StreamClosed

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...events import Event
    from .session import Session


#: events kept for a reader that fell behind (``events(max_buffered=)``'s default), then
#: NotificationOverflowError ends the stream
BUFFERED_LIMIT = 10_000


def _overflow(limit: int) -> NotificationOverflowError:
    return NotificationOverflowError(
        f"{limit:,} events were queued on this event stream and not read, so it was "
        "ended (the events before this error were all delivered); read events as they come, "
        "choose fewer methods, raise max_buffered, or close() the stream when done with it"
    )


class AsyncEventStream(AsyncResource):
    """The client's notifications of the chosen methods (all when none was chosen),
    optionally of one thread, in arrival order: ``async for ev in stream`` or
    ``await stream.next(timeout=...)``."""

    def __init__(
        self,
        session: Session,
        methods: frozenset[str] | None,
        thread_id: str | None,
        max_buffered: int = BUFFERED_LIMIT,
    ) -> None:
        self._session = session
        self.methods = methods
        self.thread_id = thread_id
        self._sink = Sink(max_buffered, lambda: _overflow(max_buffered))
        self._closed = False
        self._remove: Callable[[], None] = session.router.add_listener(self._listener)
        session.streams.add(self)

    def __repr__(self) -> str:
        methods = None if self.methods is None else sorted(self.methods)
        return f"AsyncEventStream(methods={methods!r}, thread_id={self.thread_id!r})"

    def _listener(self, method: str, params: dict[str, Any]) -> None:
        if self.methods is not None and method not in self.methods:
            return
        if self.thread_id is not None and params.get("threadId") != self.thread_id:
            return
        sink = self._sink
        sink.push((method, params))
        if sink.overflowed:
            self._remove()  # ended: stop feeding it

    def _fail(self, exc: BaseException) -> None:
        """The connection is gone: a waiting consumer gets ``exc``."""
        self._sink.push(exc)

    async def next(self, *, timeout: float | None = None) -> Event:
        """The next event; ``WaitTimeoutError`` (a ``TimeoutError``) if none comes within
        ``timeout`` seconds, ``StopAsyncIteration`` once closed, ``TransportClosedError``
        if the connection went away."""
        from ..arguments import check_seconds
        from ..waits import wait_deadline

        seconds = check_seconds(timeout)
        if self._closed:
            raise StopAsyncIteration
        with wait_deadline(seconds, "event of this subscription"):
            item = await self._sink.get()
        if isinstance(item, BaseException):
            if isinstance(item, StreamClosed):
                raise StopAsyncIteration
            self._sink.push(item)  # later reads fail the same way
            if isinstance(item, TransportClosedError):
                raise item._copy() from item
            raise item
        return Notification._event(*item)

    def __aiter__(self) -> AsyncEventStream:
        return self

    async def __anext__(self) -> Event:
        return await self.next()

    async def close(self) -> None:
        """Stop the subscription (a consumer waiting in ``next()`` stops too)."""
        if not self._closed:
            self._closed = True
            self._remove()
            self._session.streams.discard(self)
            self._sink.push(StreamClosed())
