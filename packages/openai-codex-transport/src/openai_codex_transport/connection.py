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
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from ._background import Detached, Waiter, make_waiter_factory
from ._transport import Transport, dumps, loads
from .errors import (
    JsonRpcError,
    NotificationOverflowError,
    RequestTimeoutError,
    TransportClosedError,
    error_from_response,
)
from .redaction import logger, trace, trace_raw

if TYPE_CHECKING:  # anyio's submodules load lazily, on first use (cheap import)
    from anyio.abc import TaskGroup
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = [
    "ConnectionStats",
    "JsonRpcConnection",
    "NotificationHandler",
    "Subscription",
]

NotificationHandler = Callable[[str, dict[str, Any]], None]
RequestHandler = Callable[[str, Any], Awaitable[Any]]
CloseHandler = Callable[[TransportClosedError], None]

_DEBUG = logging.DEBUG


@dataclass
class ConnectionStats:
    """Counters of what the reader has seen (for tests, metrics and debugging)."""

    messages_received: int = 0
    notifications: int = 0
    responses: int = 0
    server_requests: int = 0
    malformed_messages: int = 0
    """Lines/frames that were not valid JSON or not a JSON object."""
    unknown_responses: int = 0
    """Responses whose id matched no waiting request (late, cancelled, or bogus)."""
    invalid_messages: int = 0
    """JSON objects that are neither a request, a notification nor a response."""
    notification_handler_errors: int = 0
    server_request_errors: int = 0
    """Server requests answered with an error (handler raised, timed out, or overload)."""


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


class JsonRpcConnection:
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
        self._pending: dict[int | str, Waiter] = {}
        self._next_id = 0
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
        request_id = self._next_id
        self._next_id = request_id + 1
        message: dict[str, Any] = {"id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        if trace is not None:
            message["trace"] = dict(trace)
        waiter = self._new_waiter()
        self._pending[request_id] = waiter
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

    async def _respond(self, request_id: Any, result: Any = None, error: Any = None) -> None:
        message: dict[str, Any] = {"id": request_id}
        if error is not None:
            message["error"] = error
        else:
            message["result"] = result
        try:
            await self._send(message)
        except TransportClosedError:
            pass
        except (TypeError, ValueError) as exc:  # result not JSON-serialisable
            self.stats.server_request_errors += 1
            logger.error("cannot send the result of server request %r: %s", request_id, exc)
            await self._respond(
                request_id,
                error={"code": -32603, "message": f"client handler result not JSON: {exc}"},
            )

    # -- subscriptions --------------------------------------------------------------------------

    @asynccontextmanager
    async def subscribe(
        self, methods: Any = None, *, max_buffered: int = 1024
    ) -> AsyncIterator[Subscription]:
        """``async with conn.subscribe() as sub: async for method, params in sub: ...``.

        Receives notifications (only ``methods`` if given) after ``on_notification`` saw them.
        Bounded: see the module docstring for what happens when it is full. Iteration ends when
        the connection closes.
        """
        if max_buffered < 1:
            raise ValueError("max_buffered must be >= 1")
        send, receive = anyio.create_memory_object_stream[tuple[str, dict[str, Any]]](max_buffered)
        subscription = Subscription(
            send, receive, frozenset(methods) if methods is not None else None
        )
        if self.closed:
            subscription._finish(None if self._closing else self._close_error)
        else:
            self._subscriptions.append(subscription)
        try:
            yield subscription
        finally:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)
            send.close()
            receive.close()

    # -- reading ----------------------------------------------------------------------------------

    async def _run(self, tg: TaskGroup) -> None:
        self._task_group = tg
        transport = self.transport
        dispatch = self._dispatch
        try:
            while True:
                batch = await transport.receive_batch()
                trace_on = logger.isEnabledFor(_DEBUG)
                for raw in batch:
                    try:
                        dispatch(raw, trace_on)
                    except Exception:  # never let one odd message stop the reader
                        self.stats.invalid_messages += 1
                        logger.exception("failed to dispatch a message from %s", transport)
        except TransportClosedError as exc:
            self._connection_lost(exc)
        except Exception as exc:
            logger.exception("reader of %s failed", transport)
            self._connection_lost(TransportClosedError(f"connection reader failed: {exc!r}"))
        # leave running server-request handlers to finish (their responses will fail fast)

    def _dispatch(self, raw: bytes | str, trace_on: bool) -> None:
        stats = self.stats
        stats.messages_received += 1
        try:
            message = loads(raw)
        except ValueError as exc:
            stats.malformed_messages += 1
            logger.warning("ignoring a malformed message from %s: %s", self.transport, exc)
            if trace_on:
                trace_raw("<- (malformed)", raw)
            return
        if type(message) is not dict:
            stats.malformed_messages += 1
            logger.warning(
                "ignoring a message that is not a JSON object from %s: %s",
                self.transport,
                type(message).__name__,
            )
            if trace_on:
                trace_raw("<- (not an object)", raw)
            return
        if trace_on:
            trace("<-", message)
        method = message.get("method")
        if method is None:
            waiter = self._pending.pop(message.get("id"), None)  # type: ignore[arg-type]
            if waiter is not None:
                stats.responses += 1
                waiter.resolve(message)
            elif "id" in message and ("result" in message or "error" in message):
                stats.unknown_responses += 1
                logger.warning(
                    "ignoring a response for unknown request id %r from %s",
                    message.get("id"),
                    self.transport,
                )
            else:
                stats.invalid_messages += 1
                logger.warning("ignoring an invalid JSON-RPC message from %s", self.transport)
            return
        if not isinstance(method, str):
            stats.invalid_messages += 1
            logger.warning("ignoring a message whose method is not a string")
            return
        params = message.get("params")
        if "id" in message:
            stats.server_requests += 1
            self._start_server_request(message["id"], method, params)
            return
        stats.notifications += 1
        if params is None:
            params = {}
        handler = self.on_notification
        if handler is not None:
            try:
                handler(method, params)
            except Exception:
                stats.notification_handler_errors += 1
                logger.exception("on_notification failed for %r", method)
        if self._subscriptions:
            for subscription in list(self._subscriptions):
                if not subscription._offer(method, params):
                    self._subscriptions.remove(subscription)
                    logger.warning("a notification subscription overflowed and was ended")

    # -- server-to-client requests ----------------------------------------------------------------

    def _start_server_request(self, request_id: Any, method: str, params: Any) -> None:
        tg = self._task_group
        assert tg is not None
        if self._active_server_requests >= self.max_concurrent_server_requests:
            self.stats.server_request_errors += 1
            logger.warning("too many concurrent server requests; rejecting %r", method)
            tg.start_soon(
                self._respond,
                request_id,
                None,
                {"code": -32001, "message": "Client overloaded; retry later."},
            )
            return
        self._active_server_requests += 1
        tg.start_soon(self._handle_server_request, request_id, method, params)

    async def _handle_server_request(self, request_id: Any, method: str, params: Any) -> None:
        try:
            handler = self.on_request
            if handler is None:
                self.stats.server_request_errors += 1
                await self._respond(
                    request_id,
                    error={"code": -32601, "message": f"client does not handle {method!r}"},
                )
                return
            timeout = self.request_handler_timeout
            error: dict[str, Any] | None = None
            result: Any = None
            try:
                if timeout is None:
                    result = await handler(method, params)
                else:
                    with anyio.fail_after(timeout):
                        result = await handler(method, params)
            except JsonRpcError as exc:
                error = {"code": exc.code, "message": exc.message}
                if exc.data is not None:
                    error["data"] = exc.data
            except TimeoutError:
                logger.error("handler for server request %r timed out after %s s", method, timeout)
                error = {
                    "code": -32603,
                    "message": f"client handler for {method!r} timed out after {timeout} s",
                }
            except Exception as exc:
                logger.exception("handler for server request %r failed", method)
                error = {
                    "code": -32603,
                    "message": f"client handler for {method!r} failed: {type(exc).__name__}: {exc}",
                }
            if error is not None:
                self.stats.server_request_errors += 1
            await self._respond(request_id, result, error)
        finally:
            self._active_server_requests -= 1

    # -- failure ----------------------------------------------------------------------------------

    def _fail_all(self, error: TransportClosedError, *, peer_lost: bool) -> None:
        pending = self._pending
        self._pending = {}
        for waiter in pending.values():
            waiter.resolve(error)
        subscriptions = self._subscriptions
        self._subscriptions = []
        for subscription in subscriptions:
            subscription._finish(error if peer_lost else None)

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
