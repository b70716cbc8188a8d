"""The client core under ``AsyncCodex``: runtime lifecycle, requests and the seams.

``AsyncCodex`` (in ``_async_client``) adds the public calls on top.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import anyio

from openai_codex_transport import JsonRpcConnection, TransportClosedError

from ._config import CodexConfig
from ._router import Router
from ._runtime import connect
from ._sandbox_memory import SandboxMemory
from ._types import parse_model
from ._wire import wire_value
from .tracing import configure_logging_from_env, current_trace_context

if TYPE_CHECKING:
    from ._async_client import AsyncCodex
    from ._async_thread import AsyncThread, AsyncTurnHandle
    from ._host import HostControl
    from ._metadata import InitializeResponse
    from ._results import TurnResult
    from .handlers import ServerRequestHandlers

_log = logging.getLogger("openai_codex")

#: Hooks ``hook(method, params)`` that may add wire params to thread/start|resume|fork.
ThreadParamsHook = Callable[[str, dict[str, Any]], None]


class ClientCore:
    """State and plumbing of one client; see ``AsyncCodex``."""

    def __init__(
        self, config: CodexConfig | None = None, *, handlers: ServerRequestHandlers | None = None
    ) -> None:
        # None: the defaults, built by connect() once the runtime is spawned (see there)
        self._config = config
        # host control (openai_codex.handlers/tools/structured/tracing): one object,
        # made on first use so `import openai_codex` and a cold start stay light
        configure_logging_from_env()
        self._host_control: HostControl | None = None
        self._initial_handlers = handlers
        self._router = Router()
        self._conn: JsonRpcConnection | None = None
        self._metadata: InitializeResponse | None = None
        self._initialize_result: Any = None  # validated into _metadata on first access
        self._start_lock = anyio.Lock()
        self._dead: TransportClosedError | None = None
        self._sandboxes = SandboxMemory()
        self._thread_params_hooks: list[ThreadParamsHook] = []

    # -- lifecycle ---------------------------------------------------------------
    async def _ensure_started(self) -> JsonRpcConnection:
        conn = self._conn
        if conn is not None:
            if self._dead is not None:
                raise self._dead_error()
            return conn
        async with self._start_lock:
            if self._conn is not None:
                if self._dead is not None:
                    raise self._dead_error()
                return self._conn
            router = self._router = Router()
            self._dead = None
            conn, result = await connect(
                self._config,
                on_notification=router.route,
                on_request=self._on_server_request,
                on_close=self._on_close,
            )
            self._initialize_result = result
            self._conn = conn
            return conn

    def _on_close(self, exc: TransportClosedError) -> None:
        if self._dead is None:
            self._dead = exc
        self._router.fail_all(exc)

    def _dead_error(self) -> TransportClosedError:
        dead = self._dead
        assert dead is not None
        err = dead._copy()
        err.__cause__ = dead
        return err

    async def close(self) -> None:
        """Stop the runtime. Idempotent; never raises for a runtime that already died."""
        conn, self._conn = self._conn, None
        self._metadata = None
        self._initialize_result = None
        self._sandboxes.clear()
        if conn is None:
            return
        with anyio.CancelScope(shield=True):
            try:
                with anyio.move_on_after(15):
                    await conn.aclose()
            except Exception:  # closing must not mask the error that led here
                _log.debug("error while closing the runtime connection", exc_info=True)
        closed = TransportClosedError("the client was closed")
        if self._dead is None:
            self._router.fail_all(closed)

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize`` (started clients only)."""
        if self._metadata is None:
            if self._initialize_result is None:
                raise RuntimeError(
                    "AsyncCodex is not started yet: use `async with AsyncCodex()` or await a call"
                )
            from ._metadata import metadata_from

            self._metadata = metadata_from(self._initialize_result)
        return self._metadata

    def _as_client(self) -> AsyncCodex:
        return cast("AsyncCodex", self)  # ClientCore only exists as AsyncCodex's base

    @property
    def _host(self) -> HostControl:
        host = self._host_control
        if host is None:
            from ._host import HostControl

            host = self._host_control = HostControl(self._as_client(), self._initial_handlers)
            self._initial_handlers = None
        return host

    @property
    def handlers(self) -> ServerRequestHandlers:
        """The client-wide server-request handlers (settable; see ``openai_codex.handlers``)."""
        return self._host.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        self._host.handlers = value

    # -- requests ----------------------------------------------------------------
    async def _request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        conn = await self._ensure_started()
        trace = current_trace_context()
        try:
            if trace is not None:
                return await conn.request(method, params, trace=trace)
            return await conn.request(method, params)
        except TransportClosedError:
            if self._dead is not None:
                raise self._dead_error() from None
            raise

    async def _typed(self, method: str, params: dict[str, Any] | None, model: str) -> Any:
        return parse_model(model, await self._request(method, params))

    # -- server-to-client requests (host control hooks in here) ---------------------
    async def _on_server_request(self, method: str, params: Any) -> Any:
        return await self._answer_server_request(method, params if isinstance(params, dict) else {})

    async def _answer_server_request(self, method: str, params: dict[str, Any]) -> Any:
        """The answer to one server request: the handlers' or the fail-closed default."""
        return await self._host.dispatcher.dispatch(method, params)

    # -- turn hooks (structured output plugs in here) ------------------------------
    def _output_schema_wire(self, output_schema: Any) -> Any:
        """The wire ``outputSchema`` for ``run(..., output_schema=...)`` (made strict)."""
        return self._host.output_schema_wire(output_schema)

    def _finalize_result(self, handle: AsyncTurnHandle, result: TurnResult) -> TurnResult:
        """Last step of ``run()`` for a completed turn: ``result.parsed`` for an output schema."""
        return self._host.finalize(handle, result)

    # -- threads (the one path for thread/start|resume|fork|unarchive) ---------------
    async def _open_thread(
        self, method: str, params: dict[str, Any], extra: dict[str, Any] | None = None
    ) -> AsyncThread:
        """thread/start|resume|fork|unarchive -> AsyncThread; the one path for extra params."""
        from ._async_thread import AsyncThread

        if extra:
            params.update({k: wire_value(v) for k, v in extra.items() if v is not None})
        for hook in self._thread_params_hooks:
            hook(method, params)
        result = await self._request(method, params)
        thread = result.get("thread") if isinstance(result, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("id"), str):
            raise TransportClosedError(f"{method} returned no thread: {result!r}")
        thread_id: str = thread["id"]
        self._sandboxes.remember_thread(thread_id, params, result)
        return AsyncThread(self._as_client(), thread_id)
