"""The connection's reader: one background loop that reads and dispatches every message.

It reads batches of messages, decodes each with ``json``'s C scanner (:func:`loads`) and
dispatches it synchronously, creating no task per message:

- a response wakes the waiter of its id in the :class:`PendingRequests` table (a late or
  unknown one is logged and counted);
- a notification goes to ``on_notification(method, params)`` in wire order, then to the
  bounded :class:`Subscriptions`;
- a server-to-client request is handed to :class:`ServerRequests`, which runs its handler in a
  task of its own.

It reads only when it is ready for more, so a stuck consumer fills the operating system's
pipe/socket buffer (the runtime then blocks on writing) instead of this process buffering
without limit. When the transport ends it reports the loss through ``on_lost``.

The reader owns nothing but the loop: the connection gives it the objects it dispatches to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._codec import loads, scan_once
from .errors import TransportClosedError
from .redaction import logger, trace, trace_raw

if TYPE_CHECKING:
    from ._pending import PendingRequests
    from ._server_requests import ServerRequests
    from ._stats import ConnectionStats
    from ._subscription import Subscriptions
    from ._transport import Transport

__all__ = ["NotificationHandler", "Reader"]

NotificationHandler = Callable[[str, dict[str, Any]], None]

_DEBUG = logging.DEBUG


class Reader:
    """The reading loop of one connection, dispatching to the objects it is given."""

    def __init__(
        self,
        transport: Transport,
        *,
        stats: ConnectionStats,
        pending: PendingRequests,
        subscriptions: Subscriptions,
        server_requests: ServerRequests,
        on_notification: NotificationHandler | None,
        on_lost: Callable[[TransportClosedError], None],
    ) -> None:
        self.transport = transport
        self.stats = stats
        self.pending = pending
        self.subscriptions = subscriptions
        self.server_requests = server_requests
        self.on_notification = on_notification
        self.on_lost = on_lost

    async def run(self) -> None:
        """Read and dispatch until the transport ends; then report the loss (never raises).

        A transport that can hands each batch to :meth:`dispatch_batch` from its read
        callback (``deliver_batches``): no task switch per read; this loop then only takes
        what was read before and waits for the end."""
        transport = self.transport
        dispatch_batch = self.dispatch_batch
        try:
            transport.deliver_batches(dispatch_batch)
            while True:
                dispatch_batch(await transport.receive_batch())
        except TransportClosedError as exc:
            self.on_lost(exc)
        except Exception as exc:
            logger.exception("reader of %s failed", transport)
            self.on_lost(TransportClosedError(f"connection reader failed: {exc!r}"))
        finally:
            transport.deliver_batches(None)
        # leave running server-request handlers to finish (their responses will fail fast)

    def dispatch_batch(self, batch: list[bytes | str]) -> None:
        """Dispatch the messages of one read, in order (a failing one is counted, logged and
        skipped). The batch is not kept: a 20 MB reply is not held until the next read."""
        stats = self.stats
        stats.messages_received += len(batch)  # counted per batch, not per message
        trace_on = logger.isEnabledFor(_DEBUG)
        dispatch = self.dispatch
        for raw in batch:
            try:
                dispatch(raw, trace_on)
            except Exception:  # never let one odd message stop the reader
                stats.invalid_messages += 1
                logger.exception("failed to dispatch a message from %s", self.transport)

    def dispatch(self, raw: bytes | str, trace_on: bool) -> None:
        """Decode one message and hand it to its consumer (synchronously, never awaiting)."""
        stats = self.stats
        try:
            if type(raw) is str:  # (loads' fast path, inlined: one call less per message)
                try:
                    message, end = scan_once(raw, 0)
                except StopIteration:
                    end = -1
                if end != len(raw):
                    message = loads(raw)  # the same result or error as json.loads
            else:
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
            waiter = self.pending.pop(message.get("id"), None)  # type: ignore[arg-type]
            if waiter is not None:
                stats.responses += 1
                waiter.resolve(message)
            elif "id" in message and ("result" in message or "error" in message):
                stats.unknown_responses += 1
                request_id = message.get("id")
                if self.pending.was_issued(request_id):  # timed out or cancelled: expected
                    logger.debug("dropping a late response to abandoned request %r", request_id)
                else:
                    logger.warning(
                        "ignoring a response for unknown request id %r from %s",
                        request_id,
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
            self.server_requests.start(message["id"], method, params)
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
        subscriptions = self.subscriptions
        if subscriptions:
            subscriptions.offer(method, params)
