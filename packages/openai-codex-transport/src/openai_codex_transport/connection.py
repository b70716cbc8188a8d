"""JSON-RPC 2.0 over a :class:`Transport`: requests, notifications, server requests.

One background reader per connection reads batches of messages, decodes each with
``json``'s C scanner (:func:`loads`) and dispatches it synchronously:

- a response wakes the waiter of its id (a bare future on asyncio, an event on trio);
- a notification is handed to ``on_notification(method, params)`` in wire order, then to the
  bounded subscriptions (no task is created per notification);
- a server-to-client request runs ``on_request`` in a task of its own, so a slow approval
  handler never stalls the reader; its return value (or error) is sent back.

Backpressure, when a consumer falls behind:

- ``on_notification`` runs on the reader and must not block or await; whatever it does costs
  reader time. It is the fast path (the facade routes notifications to turns from it).
- A :meth:`JsonRpcConnection.subscribe` subscription buffers at most ``max_buffered``
  notifications. When it is full the subscription is ended: no further notification is added
  to it, the ones already buffered are still delivered, then iterating raises
  :class:`NotificationOverflowError`. The reader never waits for a subscriber and never drops
  a notification silently.
- Server requests: at most ``max_concurrent_server_requests`` handlers run at once; a request
  beyond that is answered at once with error -32001 (overloaded, retryable) instead of
  queueing without bound.
- Responses are held only while their request waits; a cancelled or timed-out request removes
  its waiter, and a late response for it is logged and counted as unknown.
- The reader itself reads only when it is ready for more: if nothing drains the connection
  (a stuck ``on_notification``), the operating system's pipe/socket buffer fills and the
  runtime blocks on writing, rather than this process buffering without limit.

Where the parts live: the reader (:mod:`._reader`), server-request handling
(:mod:`._server_requests`), subscriptions (:mod:`._subscription`), pending-request bookkeeping
(:mod:`._pending`), the counters (:mod:`._stats`) and the detached background runner and
waiters (:mod:`._background`). This module holds the connection itself: lifecycle, sending,
and failing everything when the peer goes away.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio

from ._background import Detached, Waiter, make_waiter_factory
from ._pending import PendingRequests
from ._reader import NotificationHandler, Reader
from ._server_requests import RequestHandler, ServerRequests
from ._stats import ConnectionStats
from ._subscription import Subscription, Subscriptions
from ._transport import Transport, dumps
from .errors import RequestTimeoutError, TransportClosedError, error_from_response
from .redaction import logger, trace

if TYPE_CHECKING:  # anyio's submodules load lazily, on first use (cheap import)
    from anyio.abc import TaskGroup

__all__ = [
    "CloseHandler",
    "ConnectionStats",
    "JsonRpcConnection",
    "NotificationHandler",
    "RequestHandler",
    "Subscription",
]

CloseHandler = Callable[[TransportClosedError], None]

_DEBUG = logging.DEBUG


class JsonRpcConnection(Reader, ServerRequests, Subscriptions):
    """A JSON-RPC client over ``transport`` (see the module docstring for the design).

    ``await conn.start()`` (or ``async with conn``) starts the background reader; it needs no
    task group from the caller. ``request()`` starts it too if needed.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        on_notification: NotificationHandler | None = None,
        on_request: RequestHandler | None = None,
        on_close: CloseHandler | None = None,
        request_handler_timeout: float | None = None,
        max_concurrent_server_requests: int = 256,
    ) -> None:
        self.transport = transport
        self.on_notification = on_notification
        self.on_request = on_request
        self.on_close = on_close
        self.request_handler_timeout = request_handler_timeout
        self.max_concurrent_server_requests = max_concurrent_server_requests
        self.stats = ConnectionStats()
        self._pending = PendingRequests()
        self._new_waiter: Callable[[], Waiter] | None = None
        self._runner: Detached | None = None
        self._task_group: TaskGroup | None = None
        self._subscriptions: list[Subscription] = []
        self._active_server_requests = 0
        self._closing = False
        self._close_error: TransportClosedError | None = None
        self._closed_event: anyio.Event | None = None
        self._aclose_done: anyio.Event | None = None

    # -- state --------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once the connection is closed (by us or because the peer went away)."""
        return self._closing or self._close_error is not None

    @property
    def close_error(self) -> TransportClosedError | None:
        """Why the connection is closed (``None`` while open)."""
        return self._close_error

    @property
    def pending_requests(self) -> int:
        """Requests waiting for a response right now."""
        return len(self._pending)

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the background reader (idempotent; no task group needed from the caller)."""
        if self._runner is not None:
            return
        if self._close_error is not None:
            raise self._close_error._copy()
        self._new_waiter = make_waiter_factory()
        self._closed_event = anyio.Event()
        self._runner = Detached(self._run, name=f"codex JSON-RPC reader ({self.transport})")
        await self._runner.start()

    async def __aenter__(self) -> JsonRpcConnection:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection and its transport (idempotent; bounded; never raises).

        Pending requests fail with :class:`TransportClosedError`. ``on_close`` is not called
        for a close we asked for.
        """
        if self._closing:
            if self._aclose_done is not None:
                await self._aclose_done.wait()
            return
        self._closing = True
        self._aclose_done = anyio.Event()
        with anyio.CancelScope(shield=True):
            try:
                if self._close_error is None:
                    self._close_error = TransportClosedError(
                        f"connection to {self.transport} closed by the client (aclose() was "
                        "called); start a new client to continue"
                    )
                    self._fail_all(self._close_error, peer_lost=False)
                else:
                    self._fail_all(self._close_error, peer_lost=True)
                try:
                    await self.transport.aclose()
                except Exception:
                    logger.exception("closing %s failed", self.transport)
                if self._runner is not None:
                    self._runner.cancel()
                    with anyio.move_on_after(5):
                        await self._runner.wait()
            finally:
                if self._closed_event is not None:
                    self._closed_event.set()
                self._aclose_done.set()

    async def wait_closed(self) -> None:
        """Return once the connection is closed (by either side)."""
        if self._closed_event is None:
            raise RuntimeError("connection not started")
        await self._closed_event.wait()

    # -- sending --------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        params: Any = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - the documented per-request option
        trace: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send a request and return its response's ``result``.

        Raises the :class:`JsonRpcError` subclass for an error response,
        :class:`TransportClosedError` if the peer is or goes away, and
        :class:`RequestTimeoutError` (a ``TimeoutError``) after ``timeout`` seconds. Cancelling
        the calling scope removes the waiter; a late response is then dropped. ``trace`` (W3C
        trace context, ``{"traceparent": ..., "tracestate": ...}``) is sent as the envelope's
        ``trace`` member so the runtime's spans join the caller's trace.
        """
        if self._close_error is not None:
            raise self._close_error._copy()
        if self._new_waiter is None:
            await self.start()
            assert self._new_waiter is not None
        waiter = self._new_waiter()
        request_id = self._pending.add(waiter)
        message: dict[str, Any] = {"id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        if trace is not None:
            message["trace"] = dict(trace)
        try:
            if timeout is None:
                await self._send(message)
                response = await waiter.wait()
            else:
                if not timeout > 0 or math.isnan(timeout):
                    raise ValueError("timeout must be a positive number of seconds")
                with anyio.move_on_after(timeout) as scope:
                    await self._send(message)
                    response = await waiter.wait()
                if scope.cancelled_caught:
                    raise RequestTimeoutError(method, timeout)
        finally:
            self._pending.pop(request_id, None)
        if type(response) is dict:
            error = response.get("error")
            if error is not None:
                raise error_from_response(error)
            return response.get("result")
        raise response._copy()

    async def notify(self, method: str, params: Any = None) -> None:
        """Send a notification (no response)."""
        if self._close_error is not None:
            raise self._close_error._copy()
        message: dict[str, Any] = {"method": method}
        if params is not None:
            message["params"] = params
        await self._send(message)

    async def _send(self, message: dict[str, Any]) -> None:
        if logger.isEnabledFor(_DEBUG):
            trace("->", message)
        data = dumps(message)
        try:
            await self.transport.send_bytes(data)
        except TransportClosedError as exc:
            self._connection_lost(exc)
            raise self._close_error._copy() if self._close_error is not None else exc from None

    # -- failure ----------------------------------------------------------------------------------

    def _fail_all(self, error: TransportClosedError, *, peer_lost: bool) -> None:
        self._pending.fail_all(error)
        self._end_subscriptions(error if peer_lost else None)

    def _connection_lost(self, error: TransportClosedError) -> None:
        """The peer went away: fail every waiter now, tell ``on_close`` once."""
        if self._close_error is not None:
            self._fail_all(self._close_error, peer_lost=not self._closing)
            return
        self._close_error = error
        logger.info("connection to %s lost: %s", self.transport, error.message)
        self._fail_all(error, peer_lost=True)
        if self._closed_event is not None and not self._closing:
            self._closed_event.set()
        if self.on_close is not None and not self._closing:
            try:
                self.on_close(error)
            except Exception:
                logger.exception("on_close failed")
