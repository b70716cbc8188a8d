"""``AsyncCodex``: the one implementation of the client (``Codex`` drives it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio

from openai_codex_transport import JsonRpcConnection, TransportClosedError

from ._config import CodexConfig
from ._presets import ApprovalMode, Sandbox, approval_wire, thread_sandbox_wire
from ._router import Router
from ._runtime import connect
from ._sandbox_memory import SandboxMemory
from ._types import parse_model
from ._wire import wire_params, wire_value
from .tracing import configure_logging_from_env, current_trace_context

if TYPE_CHECKING:
    from openai_codex_types import (
        GetAccountResponse,
        ModelListResponse,
        Personality,
        SortDirection,
        ThreadArchiveResponse,
        ThreadListResponse,
        ThreadSortKey,
        ThreadSource,
        ThreadSourceKind,
        ThreadStartSource,
    )

    from ._async_thread import AsyncThread, AsyncTurnHandle
    from ._host import HostControl, ToolsArg
    from ._login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
    from ._metadata import InitializeResponse
    from ._results import TurnResult
    from .handlers import ServerRequestHandlers

_log = logging.getLogger("openai_codex")

#: Hooks ``hook(method, params)`` that may add wire params to thread/start|resume|fork.
ThreadParamsHook = Callable[[str, dict[str, Any]], None]


class AsyncCodex:
    """Async client for Codex: threads, turns, logins.

    Lazy: ``async with AsyncCodex()`` or the first awaited call starts the runtime
    and completes ``initialize`` (once, even under concurrent first calls).
    ``close()`` stops the runtime; a later call starts a new one. Works under
    asyncio and trio.
    """

    def __init__(
        self, config: CodexConfig | None = None, *, handlers: ServerRequestHandlers | None = None
    ) -> None:
        self._config = config if config is not None else CodexConfig()
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
    async def __aenter__(self) -> AsyncCodex:
        await self._ensure_started()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

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

    @property
    def _host(self) -> HostControl:
        host = self._host_control
        if host is None:
            from ._host import HostControl

            host = self._host_control = HostControl(self, self._initial_handlers)
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

    # -- account -----------------------------------------------------------------
    async def login_api_key(self, api_key: str) -> None:
        """Log in with an OpenAI API key."""
        await self._request("account/login/start", {"type": "apiKey", "apiKey": api_key})

    async def login_chatgpt(self) -> AsyncChatgptLoginHandle:
        """Start a browser ChatGPT login; the handle has ``auth_url``, ``wait()``, ``cancel()``."""
        from ._login import start_chatgpt_login

        return await start_chatgpt_login(self)

    async def login_chatgpt_device_code(self) -> AsyncDeviceCodeLoginHandle:
        """Start a device-code ChatGPT login (``verification_url``, ``user_code``)."""
        from ._login import start_device_code_login

        return await start_device_code_login(self)

    async def account(self, *, refresh_token: bool = False) -> GetAccountResponse:
        """The current account (``GetAccountResponse``)."""
        result: GetAccountResponse = await self._typed(
            "account/read", {"refreshToken": refresh_token}, "GetAccountResponse"
        )
        return result

    async def logout(self) -> None:
        await self._request("account/logout")

    async def models(self, *, include_hidden: bool = False) -> ModelListResponse:
        """Available models (``ModelListResponse``)."""
        result: ModelListResponse = await self._typed(
            "model/list", {"includeHidden": include_hidden}, "ModelListResponse"
        )
        return result

    # -- threads -----------------------------------------------------------------
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
        return AsyncThread(self, thread_id)

    async def thread_start(
        self,
        *,
        approval_mode: ApprovalMode = ApprovalMode.auto_review,
        base_instructions: str | None = None,
        config: dict[str, Any] | None = None,
        cwd: str | None = None,
        developer_instructions: str | None = None,
        ephemeral: bool | None = None,
        model: str | None = None,
        model_provider: str | None = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_name: str | None = None,
        service_tier: str | None = None,
        session_start_source: ThreadStartSource | None = None,
        thread_source: ThreadSource | None = None,
        handlers: ServerRequestHandlers | None = None,
        tools: ToolsArg = None,
    ) -> AsyncThread:
        """Start a new thread.

        ``tools``: ``@tool`` functions the model may call (sent as ``dynamicTools``);
        ``handlers``: this thread's server-request handlers (over the client's).
        """
        params = approval_wire(approval_mode)
        params.update(
            wire_params(
                base_instructions=base_instructions,
                config=config,
                cwd=cwd,
                developer_instructions=developer_instructions,
                ephemeral=ephemeral,
                model=model,
                model_provider=model_provider,
                personality=personality,
                sandbox=thread_sandbox_wire(sandbox),
                service_name=service_name,
                service_tier=service_tier,
                session_start_source=session_start_source,
                thread_source=thread_source,
            )
        )
        toolset = self._host.toolset(tools)
        thread = await self._open_thread(
            "thread/start", params, extra=self._host.dynamic_tools_extra(toolset)
        )
        self._host.register_thread(thread.id, handlers, toolset)
        return thread

    async def thread_resume(
        self,
        thread_id: str,
        *,
        approval_mode: ApprovalMode | None = None,
        base_instructions: str | None = None,
        config: dict[str, Any] | None = None,
        cwd: str | None = None,
        developer_instructions: str | None = None,
        include_turns: bool | None = None,
        model: str | None = None,
        model_provider: str | None = None,
        personality: Personality | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        handlers: ServerRequestHandlers | None = None,
        tools: ToolsArg = None,
    ) -> AsyncThread:
        """Resume a stored thread. ``include_turns=False`` leaves history out of the response.

        The runtime keeps the thread's tool specs from ``thread_start``; ``tools`` gives
        this client the functions that answer them. ``handlers`` as for ``thread_start``.
        """
        params: dict[str, Any] = {"threadId": thread_id, **approval_wire(approval_mode)}
        params.update(
            wire_params(
                base_instructions=base_instructions,
                config=config,
                cwd=cwd,
                developer_instructions=developer_instructions,
                exclude_turns=None if include_turns is None else not include_turns,
                model=model,
                model_provider=model_provider,
                personality=personality,
                sandbox=thread_sandbox_wire(sandbox),
                service_tier=service_tier,
            )
        )
        thread = await self._open_thread("thread/resume", params)
        self._host.register_thread(thread.id, handlers, self._host.toolset(tools))
        return thread

    async def thread_fork(
        self,
        thread_id: str,
        *,
        approval_mode: ApprovalMode | None = None,
        base_instructions: str | None = None,
        config: dict[str, Any] | None = None,
        cwd: str | None = None,
        developer_instructions: str | None = None,
        ephemeral: bool | None = None,
        include_turns: bool | None = None,
        model: str | None = None,
        model_provider: str | None = None,
        sandbox: Sandbox | None = None,
        service_tier: str | None = None,
        thread_source: ThreadSource | None = None,
        handlers: ServerRequestHandlers | None = None,
        tools: ToolsArg = None,
    ) -> AsyncThread:
        """Fork a thread into a new thread with a copy of its history.

        ``tools``/``handlers`` as for ``thread_resume`` (the fork keeps the tool specs).
        """
        params: dict[str, Any] = {"threadId": thread_id, **approval_wire(approval_mode)}
        params.update(
            wire_params(
                base_instructions=base_instructions,
                config=config,
                cwd=cwd,
                developer_instructions=developer_instructions,
                ephemeral=ephemeral,
                exclude_turns=None if include_turns is None else not include_turns,
                model=model,
                model_provider=model_provider,
                sandbox=thread_sandbox_wire(sandbox),
                service_tier=service_tier,
                thread_source=thread_source,
            )
        )
        thread = await self._open_thread("thread/fork", params)
        self._host.register_thread(thread.id, handlers, self._host.toolset(tools))
        return thread

    async def thread_list(
        self,
        *,
        archived: bool | None = None,
        cursor: str | None = None,
        cwd: Any = None,
        limit: int | None = None,
        model_providers: list[str] | None = None,
        search_term: str | None = None,
        section_id: str | None = None,
        sort_direction: SortDirection | None = None,
        sort_key: ThreadSortKey | None = None,
        source_kinds: list[ThreadSourceKind] | None = None,
        use_state_db_only: bool | None = None,
    ) -> ThreadListResponse:
        """One page of stored threads (``ThreadListResponse``)."""
        params = wire_params(
            archived=archived,
            cursor=cursor,
            cwd=cwd,
            limit=limit,
            model_providers=model_providers,
            search_term=search_term,
            section_id=section_id,
            sort_direction=sort_direction,
            sort_key=sort_key,
            source_kinds=source_kinds,
            use_state_db_only=use_state_db_only,
        )
        result: ThreadListResponse = await self._typed("thread/list", params, "ThreadListResponse")
        return result

    async def thread_archive(self, thread_id: str) -> ThreadArchiveResponse:
        """Archive a stored thread (``ThreadArchiveResponse``)."""
        result: ThreadArchiveResponse = await self._typed(
            "thread/archive", {"threadId": thread_id}, "ThreadArchiveResponse"
        )
        return result

    async def thread_unarchive(self, thread_id: str) -> AsyncThread:
        """Restore an archived thread."""
        return await self._open_thread("thread/unarchive", {"threadId": thread_id})
