"""Server-to-client requests: each runs ``on_request`` in a task of its own and is answered.

The reader never waits for a handler. A handler's return value is the result; a raised
:class:`JsonRpcError` becomes that error response; any other exception, or running past
``request_handler_timeout``, becomes error -32603. At most ``max_concurrent_server_requests``
handlers run at once; a request beyond that is answered at once with error -32001
(overloaded, retryable) instead of queueing without bound.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio

from .errors import JsonRpcError, TransportClosedError
from .redaction import logger, redact_text

if TYPE_CHECKING:  # anyio's submodules load lazily, on first use (cheap import)
    from anyio.abc import TaskGroup

    from ._stats import ConnectionStats

__all__ = ["RequestHandler", "ServerRequests"]

RequestHandler = Callable[[str, Any], Awaitable[Any]]


class ServerRequests:
    """Answers the peer's requests: one handler task each, bounded, always answered.

    ``send`` sends one message (the connection's own send: encoding, trace, loss handling).
    :meth:`attach` gives it the task group its handler tasks run in (the reader's, once the
    connection has started).
    """

    def __init__(
        self,
        send: Callable[[dict[str, Any]], Awaitable[None]],
        stats: ConnectionStats,
        *,
        handler: RequestHandler | None,
        handler_timeout: float | None,
        max_concurrent: int,
    ) -> None:
        self.send = send
        self.stats = stats
        self.handler = handler
        self.handler_timeout = handler_timeout
        self.max_concurrent = max_concurrent
        self.active = 0
        self._task_group: TaskGroup | None = None

    def attach(self, task_group: TaskGroup) -> None:
        """Run handler tasks in ``task_group`` from now on."""
        self._task_group = task_group

    def start(self, request_id: Any, method: str, params: Any) -> None:
        """Called by the reader: start the handler in a task, or refuse when overloaded."""
        tg = self._task_group
        assert tg is not None, "ServerRequests.attach() was not called"
        if self.active >= self.max_concurrent:
            self.stats.server_request_errors += 1
            logger.warning("too many concurrent server requests; rejecting %r", method)
            tg.start_soon(
                self._respond,
                request_id,
                None,
                {"code": -32001, "message": "Client overloaded; retry later."},
            )
            return
        self.active += 1
        tg.start_soon(self._handle, request_id, method, params)

    async def _handle(self, request_id: Any, method: str, params: Any) -> None:
        try:
            handler = self.handler
            if handler is None:
                self.stats.server_request_errors += 1
                await self._respond(
                    request_id,
                    error={"code": -32601, "message": f"client does not handle {method!r}"},
                )
                return
            timeout = self.handler_timeout
            error: dict[str, Any] | None = None
            result: Any = None
            try:
                if timeout is None:
                    result = await handler(method, params)
                else:
                    with anyio.move_on_after(timeout) as scope:
                        result = await handler(method, params)
                    if scope.cancelled_caught:
                        logger.error(
                            "handler for server request %r timed out after %s s", method, timeout
                        )
                        error = {
                            "code": -32603,
                            "message": f"client handler for {method!r} timed out after {timeout} s",
                        }
            except JsonRpcError as exc:
                error = {"code": exc.code, "message": exc.message}
                if exc.data is not None:
                    error["data"] = exc.data
            except Exception as exc:
                logger.exception("handler for server request %r failed", method)
                error = {
                    "code": -32603,
                    "message": redact_text(
                        f"client handler for {method!r} failed: {type(exc).__name__}: {exc}"
                    ),
                }
            if error is not None:
                self.stats.server_request_errors += 1
            await self._respond(request_id, result, error)
        finally:
            self.active -= 1

    async def _respond(self, request_id: Any, result: Any = None, error: Any = None) -> None:
        message: dict[str, Any] = {"id": request_id}
        if error is not None:
            message["error"] = error
        else:
            message["result"] = result
        try:
            await self.send(message)
        except TransportClosedError:
            pass
        except (TypeError, ValueError) as exc:  # result not JSON (UnencodableValueError too)
            self.stats.server_request_errors += 1
            reason = redact_text(str(exc))
            logger.error("cannot send the result of server request %r: %s", request_id, reason)
            await self._respond(
                request_id,
                error={"code": -32603, "message": f"client handler result not JSON: {reason}"},
            )
