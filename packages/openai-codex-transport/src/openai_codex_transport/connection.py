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
  its waiter, and a late response for it is dropped quietly (DEBUG) and counted as unknown.
- The reader itself reads only when it is ready for more: if nothing drains the connection
  (a stuck ``on_notification``), the operating system's pipe/socket buffer fills and the
  runtime blocks on writing, rather than this process buffering without limit.

Deadlines: every request has one. ``request(..., timeout=)`` overrides the connection's
``request_timeout`` (default :data:`DEFAULT_REQUEST_TIMEOUT`); ``timeout=None`` waits without
a deadline (for methods that legitimately run long, such as ``command/exec``). When the
deadline passes the request raises :class:`RequestTimeoutError` (naming the method and the
seconds), its id is forgotten and a late answer is dropped quietly. The deadline covers
sending too, except where a transport must not split a message: on trio a write blocked on a
full pipe or socket is finished first (a half-written line would corrupt the stream for
every request), so a request larger than the pipe buffer to a runtime that stopped reading
times out only once the write completes.

What cannot be sent is refused at the call, before anything is written
(:class:`UnencodableValueError` for NaN/infinity or a lone surrogate, naming the path such
as ``params.config.x``); the connection stays usable.

How it is put together: the connection owns its parts and wires them explicitly, each a plain
object of its own module: the :class:`Reader` loop (:mod:`._reader`), the
:class:`PendingRequests` table (:mod:`._pending`), the :class:`Subscriptions`
(:mod:`._subscription`), the :class:`ServerRequests` dispatcher (:mod:`._server_requests`),
the counters (:mod:`._stats`), the wire codec (:mod:`._codec`) and the detached background
runner and waiters (:mod:`._background`). This module holds the connection itself:
lifecycle, sending, deadlines, and failing everything when the peer goes away.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Final

import anyio

from ._background import Detached, Waiter, make_waiter_factory
from ._codec import dumps
from ._pending import PendingRequests
from ._reader import NotificationHandler, Reader
from ._server_requests import RequestHandler, ServerRequests
from ._stats import ConnectionStats
from ._subscription import Subscription, Subscriptions
from ._transport import Transport
from .errors import (
    ProtocolError,
    RequestTimeoutError,
    TransportClosedError,
    error_from_response,
)
from .redaction import logger, trace

if TYPE_CHECKING:  # anyio's submodules load lazily, on first use (cheap import)
    from anyio.abc import TaskGroup

__all__ = [
    "DEFAULT_MAX_REQUESTS_IN_FLIGHT",
    "DEFAULT_REQUEST_TIMEOUT",
    "USE_CONNECTION_DEFAULT",
    "CloseHandler",
    "ConnectionDefault",
    "ConnectionStats",
    "JsonRpcConnection",
    "NotificationHandler",
    "RequestHandler",
    "Subscription",
]

CloseHandler = Callable[[TransportClosedError], None]

#: Seconds a request waits for its response unless the connection or the call says otherwise.
DEFAULT_REQUEST_TIMEOUT: Final = 120.0


class ConnectionDefault(enum.Enum):
    """The type of :data:`USE_CONNECTION_DEFAULT` (a sentinel, distinct from ``None``)."""

    USE_CONNECTION_DEFAULT = "the connection's request_timeout"

    def __repr__(self) -> str:
        return "USE_CONNECTION_DEFAULT"


#: ``request(timeout=USE_CONNECTION_DEFAULT)`` (the default): the connection's request_timeout.
USE_CONNECTION_DEFAULT: Final = ConnectionDefault.USE_CONNECTION_DEFAULT

_DEBUG = logging.DEBUG


def _seconds(value: object, name: str) -> float | None:
    """``value`` checked as a deadline in seconds: a positive number, or None (no deadline)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{name} must be a number of seconds or None, not {type(value).__name__} {value!r}"
        )
    if math.isnan(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds or None, got {value!r}")
    if math.isinf(value):
        return None
    return float(value)


#: Requests one connection has sent and not yet seen answered, at the most (the rest wait
#: their turn): the runtime refuses requests beyond its queue with -32001 (overloaded).
DEFAULT_MAX_REQUESTS_IN_FLIGHT = 32

#: Requests answered only when a process ends (``command/exec``): they hold no slot.
LONG_LIVED_METHODS = frozenset({"command/exec", "thread/shellCommand"})


def check_max_requests_in_flight(value: object) -> int | None:
    """``value`` as a bound on requests in flight (a positive int, or None: unbounded)."""
    if value is None:
        return None
    if type(value) is not int or value < 1:
        raise ValueError(f"max_requests_in_flight must be a positive int or None, got {value!r}")
    return value


class JsonRpcConnection:
    """A JSON-RPC client over ``transport`` (see the module docstring for the design).

    ``await conn.start()`` (or ``async with conn``) starts the background reader; it needs no
    task group from the caller. ``request()`` starts it too if needed. ``request_timeout``
    is the deadline of a request that names none (``None``: no deadline).
    ``max_requests_in_flight`` bounds the requests sent and not yet answered (default 32;
    ``None``: unbounded); further requests wait for a slot within their deadline.
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
        request_timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
        max_requests_in_flight: int | None = DEFAULT_MAX_REQUESTS_IN_FLIGHT,
    ) -> None:
        self.transport = transport
        self.on_close = on_close
        self._request_timeout = _seconds(request_timeout, "request_timeout")
        self._max_in_flight = check_max_requests_in_flight(max_requests_in_flight)
        self._in_flight: anyio.Semaphore | None = None
        self.stats = ConnectionStats()
        self._pending = PendingRequests()
        self._subscriptions = Subscriptions()
        self._server_requests = ServerRequests(
            self._send,
            self.stats,
            handler=on_request,
            handler_timeout=_seconds(request_handler_timeout, "request_handler_timeout"),
            max_concurrent=max_concurrent_server_requests,
        )
        self._reader = Reader(
            transport,
            stats=self.stats,
            pending=self._pending,
            subscriptions=self._subscriptions,
            server_requests=self._server_requests,
            on_notification=on_notification,
            on_lost=self._connection_lost,
        )
        self._new_waiter: Callable[[], Waiter] | None = None
        self._runner: Detached | None = None
        self._closing = False
        self._close_error: TransportClosedError | None = None
        self._closed_event: anyio.Event | None = None
        self._aclose_done: anyio.Event | None = None

    @property
    def request_timeout(self) -> float | None:
        """Seconds a request waits for its response unless it names its own ``timeout``."""
        return self._request_timeout

    @request_timeout.setter
    def request_timeout(self, seconds: float | None) -> None:
        self._request_timeout = _seconds(seconds, "request_timeout")

    # -- handlers (held by the parts that call them) ----------------------------------------------

    @property
    def on_notification(self) -> NotificationHandler | None:
        """Called by the reader with ``(method, params)`` for every notification, in order."""
        return self._reader.on_notification

    @on_notification.setter
    def on_notification(self, handler: NotificationHandler | None) -> None:
        self._reader.on_notification = handler

    @property
    def on_request(self) -> RequestHandler | None:
        """Answers server-to-client requests (``await on_request(method, params)``)."""
        return self._server_requests.handler

    @on_request.setter
    def on_request(self, handler: RequestHandler | None) -> None:
        self._server_requests.handler = handler

    @property
    def request_handler_timeout(self) -> float | None:
        """Seconds an ``on_request`` handler may run before it is answered with -32603."""
        return self._server_requests.handler_timeout

    @request_handler_timeout.setter
    def request_handler_timeout(self, seconds: float | None) -> None:
        self._server_requests.handler_timeout = _seconds(seconds, "request_handler_timeout")

    @property
    def max_concurrent_server_requests(self) -> int:
        """Handlers running at once beyond which a server request is refused with -32001."""
        return self._server_requests.max_concurrent

    @max_concurrent_server_requests.setter
    def max_concurrent_server_requests(self, limit: int) -> None:
        self._server_requests.max_concurrent = limit

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

    async def _run(self, task_group: TaskGroup) -> None:
        self._server_requests.attach(task_group)  # handler tasks live beside the reader
        await self._reader.run()

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

    # -- subscriptions ------------------------------------------------------------------------

    @asynccontextmanager
    async def subscribe(
        self, methods: Any = None, *, max_buffered: int = 1024
    ) -> AsyncIterator[Subscription]:
        """``async with conn.subscribe() as sub: async for method, params in sub: ...``.

        Receives notifications (only ``methods`` if given) after ``on_notification`` saw them.
        Bounded: see the module docstring for what happens when it is full. Iteration ends when
        the connection closes (raising :class:`TransportClosedError` if the peer went away).
        """
        subscription = self._subscriptions.open(
            methods,
            max_buffered,
            ended=self.closed,
            error=None if self._closing else self._close_error,
        )
        try:
            yield subscription
        finally:
            self._subscriptions.close(subscription)

    # -- sending --------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        params: Any = None,
        *,
        timeout: float | None | ConnectionDefault = USE_CONNECTION_DEFAULT,  # noqa: ASYNC109
        trace: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send a request and return its response's ``result``.

        ``timeout``: seconds to wait for the response (the connection's ``request_timeout``
        unless given; ``None``: no deadline). Raises :class:`RequestTimeoutError` (a
        ``TimeoutError``) when it passes, the :class:`JsonRpcError` subclass for an error
        response, :class:`ProtocolError` for a malformed response,
        :class:`TransportClosedError` if the peer is or goes away, and
        :class:`UnencodableValueError` / ``TypeError`` for params JSON cannot carry (nothing
        is sent). Cancelling the calling scope removes the waiter; a late response is then
        dropped. ``trace`` (W3C trace context, ``{"traceparent": ..., "tracestate": ...}``) is
        sent as the envelope's ``trace`` member so the runtime's spans join the caller's trace.
        """
        if self._close_error is not None:
            raise self._close_error._copy()
        seconds = (
            self._request_timeout
            if timeout is USE_CONNECTION_DEFAULT
            else _seconds(timeout, "timeout")
        )
        if self._new_waiter is None:
            await self.start()
            assert self._new_waiter is not None
        slots = self._in_flight
        if slots is None:
            if self._max_in_flight is not None:
                slots = self._in_flight = anyio.Semaphore(self._max_in_flight)
        elif method in LONG_LIVED_METHODS:
            slots = None  # pending for a process's lifetime: it must not hold a slot
        held = False
        waiter = self._new_waiter()
        request_id = self._pending.add(waiter)
        message: dict[str, Any] = {"id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        if trace is not None:
            message["trace"] = dict(trace)
        deadline: float | None = None
        try:
            if seconds is None:
                if slots is not None:
                    try:  # a free slot is taken without an event-loop round trip
                        slots.acquire_nowait()
                    except anyio.WouldBlock:
                        await slots.acquire()
                    held = True
                await self._send(message)
                response = await waiter.wait()
            else:
                # the one clock read of a request: the deadline of this scope
                with anyio.move_on_after(seconds) as scope:
                    if slots is not None:  # waiting for a slot counts against the deadline
                        try:
                            slots.acquire_nowait()
                        except anyio.WouldBlock:
                            await slots.acquire()
                        held = True
                    await self._send(message)
                    response = await waiter.wait()
                if scope.cancelled_caught:
                    raise RequestTimeoutError(method, seconds)
                deadline = scope.deadline
        finally:
            self._pending.pop(request_id, None)
            if held:
                assert slots is not None
                slots.release()
        if type(response) is dict:
            error = response.get("error")
            if error is not None:
                if type(error) is not dict:
                    raise ProtocolError(
                        f"the error member of the response to {method!r} is not an object "
                        f"but a {type(error).__name__}",
                        response,
                    )
                exc = error_from_response(error)
                if deadline is not None:  # what a retry of a refused request may still use
                    exc.seconds_left = max(deadline - anyio.current_time(), 0.0)
                raise exc
            if "result" not in response:
                raise ProtocolError(
                    f"the response to {method!r} has neither a result nor an error", response
                )
            return response["result"]
        raise response._copy()

    async def notify(self, method: str, params: Any = None) -> None:
        """Send a notification (no response); unsendable params raise as in :meth:`request`."""
        if self._close_error is not None:
            raise self._close_error._copy()
        message: dict[str, Any] = {"method": method}
        if params is not None:
            message["params"] = params
        await self._send(message)

    async def _send(self, message: dict[str, Any]) -> None:
        data = dumps(message)  # refuses what JSON cannot carry, before anything is written
        if logger.isEnabledFor(_DEBUG):
            trace("->", message)
        try:
            await self.transport.send_bytes(data)
        except TransportClosedError as exc:
            self._connection_lost(exc)
            raise self._close_error._copy() if self._close_error is not None else exc from None

    # -- failure ----------------------------------------------------------------------------------

    def _fail_all(self, error: TransportClosedError, *, peer_lost: bool) -> None:
        self._pending.fail_all(error)
        self._subscriptions.end_all(error if peer_lost else None)

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
