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
from .redaction import logger

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from ._stats import ConnectionStats

__all__ = ["RequestHandler", "ServerRequests"]

RequestHandler = Callable[[str, Any], Awaitable[Any]]


class ServerRequests:
    """The connection's part that answers server requests (a base of ``JsonRpcConnection``)."""

    on_request: RequestHandler | None
    request_handler_timeout: float | None
    max_concurrent_server_requests: int
    stats: ConnectionStats
    _task_group: TaskGroup | None
    _active_server_requests: int

    if TYPE_CHECKING:

        async def _send(self, message: dict[str, Any]) -> None: ...

    def _start_server_request(self, request_id: Any, method: str, params: Any) -> None:
        """Called by the reader: start the handler in a task, or refuse when overloaded."""
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
