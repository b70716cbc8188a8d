"""Bounded notification subscriptions: :class:`Subscription` and the connection's
:class:`Subscriptions` (what ``JsonRpcConnection.subscribe`` registers into).

The reader offers each notification to every subscription after ``on_notification`` saw it,
without ever waiting: a subscription buffers at most ``max_buffered`` notifications; when it is
full it is ended (nothing more is added, the buffered ones are still delivered, then iterating
raises :class:`NotificationOverflowError`). No notification is dropped silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from .errors import NotificationOverflowError, TransportClosedError
from .redaction import logger

if TYPE_CHECKING:  # anyio's submodules load lazily, on first use (cheap import)
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["Subscription", "Subscriptions"]


class Subscription:
    """A bounded async iterator of ``(method, params)`` notifications.

    See the module docstring for what happens when it is full.
    """

    def __init__(
        self,
        send: MemoryObjectSendStream[tuple[str, dict[str, Any]]],
        receive: MemoryObjectReceiveStream[tuple[str, dict[str, Any]]],
        methods: frozenset[str] | None,
    ) -> None:
        self._send = send
        self._receive = receive
        self.methods = methods
        self.overflowed = False
        self.close_error: TransportClosedError | None = None

    def _offer(self, method: str, params: dict[str, Any]) -> bool:
        """Called by the reader; False once the subscription is finished."""
        if self.methods is not None and method not in self.methods:
            return True
        try:
            self._send.send_nowait((method, params))
        except anyio.WouldBlock:
            self.overflowed = True
            self._send.close()
            return False
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            return False
        return True

    def _finish(self, error: TransportClosedError | None) -> None:
        self.close_error = error
        self._send.close()

    def _close(self) -> None:
        self._send.close()
        self._receive.close()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> tuple[str, dict[str, Any]]:
        """The next notification; after the peer went away, :class:`TransportClosedError`."""
        try:
            return await self._receive.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            if self.overflowed:
                raise NotificationOverflowError(
                    "notification subscription fell behind by more than its max_buffered "
                    "notifications and was ended"
                ) from None
            if self.close_error is not None:
                raise self.close_error._copy() from None
            raise StopAsyncIteration from None


class Subscriptions(list[Subscription]):
    """The live subscriptions of one connection (the list itself: the reader's truth test is
    a plain ``list`` one, free when nobody subscribed)."""

    __slots__ = ()

    def open(
        self,
        methods: Any,
        max_buffered: int,
        *,
        ended: bool = False,
        error: TransportClosedError | None = None,
    ) -> Subscription:
        """A new subscription, registered; ``ended``: the connection is closed already (then
        it ends at once, with ``error`` if the peer went away)."""
        if max_buffered < 1:
            raise ValueError("max_buffered must be >= 1")
        send, receive = anyio.create_memory_object_stream[tuple[str, dict[str, Any]]](max_buffered)
        subscription = Subscription(
            send, receive, frozenset(methods) if methods is not None else None
        )
        if ended:
            subscription._finish(error)
        else:
            self.append(subscription)
        return subscription

    def close(self, subscription: Subscription) -> None:
        """Unregister ``subscription`` and release its streams (idempotent)."""
        if subscription in self:
            self.remove(subscription)
        subscription._close()

    def offer(self, method: str, params: dict[str, Any]) -> None:
        """Hand a notification to every subscription; end the ones that are full."""
        for subscription in list(self):
            if not subscription._offer(method, params):
                self.remove(subscription)
                logger.warning("a notification subscription overflowed and was ended")

    def end_all(self, error: TransportClosedError | None) -> None:
        """End every subscription: with ``error`` (peer lost) or quietly (``None``)."""
        subscriptions = list(self)
        self.clear()
        for subscription in subscriptions:
            subscription._finish(error)
