"""``AsyncCodex``: the one implementation of the client (``Codex`` drives it).

It owns the runtime connection, the notification router, the per-thread sandbox memory
and (made on first use) the host control. ``thread_start``/``thread_resume``/
``thread_fork`` come from ``option_methods`` (generated from ``options``) and all land
in :meth:`AsyncCodex._open_thread`.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING, Any

from openai_codex_transport import (
    TransportClosedError,
)

from ..tracing import configure_logging_from_env
from .arguments import check_cwd, check_mapping_values
from .config import CodexConfig
from .config_args import config_from_arguments
from .connection.session import Session
from .resources import AsyncResource
from .services.mcp import McpMethods
from .services.settings import SettingsMethods
from .threads.option_methods import WIRE_NAMES, ThreadOpeningMethods
from .threads.presets import SandboxArg, approval_wire, thread_sandbox_wire
from .wire import wire_options, wire_params, wire_value

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from typing_extensions import Unpack

    from openai_codex_types import (
        GetAccountRateLimitsResponse,
        GetAccountResponse,
        GetAccountTokenUsageResponse,
        ModelListResponse,
        SortDirection,
        ThreadArchiveResponse,
        ThreadDeleteResponse,
        ThreadListResponse,
        ThreadSearchResponse,
        ThreadSortKey,
        ThreadSourceKind,
    )

    from ..events import EventMethod
    from ..handlers import ServerRequestHandlers
    from ..hooks import Hooks
    from ..hooks._server import HookServer
    from ..stores import SyncThreadStore, ThreadStore
    from .config_args import CodexConfigFields
    from .connection.metadata import InitializeResponse
    from .connection.subscriptions import AsyncEventStream
    from .host.control import ToolsArg
    from .lowlevel.client import AsyncCodexClient
    from .services.commands import AsyncCommandProcess, CommandResult
    from .services.files import AsyncFiles
    from .services.login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
    from .threads.presets import ApprovalModeArg
    from .threads.thread import AsyncThread
    from .turns.results import TurnResult

_log = logging.getLogger("openai_codex")

#: wire method -> the wire names of its declared options
_OPENERS: dict[str, dict[str, str]] = {
    "thread/start": WIRE_NAMES["thread_start"],
    "thread/resume": WIRE_NAMES["thread_resume"],
    "thread/fork": WIRE_NAMES["thread_fork"],
}


class AsyncCodex(AsyncResource, ThreadOpeningMethods, McpMethods, SettingsMethods):
    """Async client for Codex: threads, turns, logins.

    ``AsyncCodex(CodexConfig(...))`` or, the same, ``AsyncCodex(cwd=..., ...)`` with
    ``CodexConfig``'s fields as keywords; ``handlers=`` answers the runtime's requests;
    ``hooks=`` (``openai_codex.hooks.Hooks``) runs Python hook functions for every thread.

    Lazy: ``async with AsyncCodex()`` or the first awaited call starts the runtime
    and completes ``initialize`` (once, even under concurrent first calls).
    ``close()`` interrupts running turns and stops the runtime; after it, calls raise
    ``TransportClosedError`` until ``async with`` starts the client again. Works under
    asyncio and trio.
    """

    def __init__(
        self,
        config: CodexConfig | None = None,
        *,
        handlers: ServerRequestHandlers | None = None,
        hooks: Hooks | None = None,
        **fields: Unpack[CodexConfigFields],
    ) -> None:
        # None: the defaults, built by connect() once the runtime is spawned (see there)
        configure_logging_from_env()
        self._session = Session(config_from_arguments("AsyncCodex", config, fields), handlers)
        # Python hook functions for every thread, and their server (made on first use)
        self._hooks: Hooks | None = None
        if hooks is not None:
            from ..hooks._install import check_hooks

            self._hooks = check_hooks(hooks, "AsyncCodex")
        self._hook_server: HookServer | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._session.state()}>"

    async def _open(self) -> None:
        self._session.reopen()  # entering explicitly (re)starts a closed client
        await self._session.ensure_started()

    async def close(self) -> None:
        """Interrupt running turns, then stop the runtime (bounded: ~2 s for the interrupts).

        Idempotent; never raises for a runtime that already died. Later implicit calls
        raise ``TransportClosedError`` (``async with`` starts the client again).
        """
        await self._session.close()
        await self._close_hook_server()

    async def _close_hook_server(self) -> None:
        server, self._hook_server = self._hook_server, None
        if server is not None:
            await server.aclose()  # waiting relays and later ones fail closed

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize`` (started clients only)."""
        return self._session.metadata

    @cached_property
    def client(self) -> AsyncCodexClient:
        """The low-level client on this connection: one typed method per runtime request."""
        from .lowlevel.client import AsyncCodexClient

        return AsyncCodexClient._bound(self, self._session)

    @property
    def handlers(self) -> ServerRequestHandlers:
        """The client-wide server-request handlers (settable; see ``openai_codex.handlers``)."""
        return self._session.host.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        self._session.host.handlers = value

    async def _request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return await self._session.request(method, params)

    async def _typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return await self._session.typed(method, params)

    # -- account -----------------------------------------------------------------
    async def login_api_key(self, api_key: str) -> None:
        """Log in with an OpenAI API key."""
        await self._request("account/login/start", {"type": "apiKey", "apiKey": api_key})

    async def login_chatgpt(self) -> AsyncChatgptLoginHandle:
        """Start a browser ChatGPT login; the handle has ``auth_url``, ``wait()``, ``cancel()``."""
        from .services.login import start_chatgpt_login

        return await start_chatgpt_login(self._session)

    async def login_chatgpt_device_code(self) -> AsyncDeviceCodeLoginHandle:
        """Start a device-code ChatGPT login (``verification_url``, ``user_code``)."""
        from .services.login import start_device_code_login

        return await start_device_code_login(self._session)

    async def account(self, *, refresh_token: bool = False) -> GetAccountResponse:
        """The current account (``GetAccountResponse``)."""
        result: GetAccountResponse = await self._typed(
            "account/read", {"refreshToken": refresh_token}
        )
        return result

    async def logout(self) -> None:
        """Log out of the current account."""
        await self._request("account/logout")

    async def models(self, *, include_hidden: bool = False) -> ModelListResponse:
        """Available models (``ModelListResponse``)."""
        result: ModelListResponse = await self._typed(
            "model/list", {"includeHidden": include_hidden}
        )
        return result

    # -- events and usage -------------------------------------------------------------
    async def events(
        self, *methods: EventMethod, thread_id: str | None = None, max_buffered: int = 10_000
    ) -> AsyncEventStream:
        """Subscribe to this client's notifications of ``methods`` (all when none is
        given), optionally of one thread: an ``AsyncEventStream`` of typed events
        (``async for``, ``next(timeout=...)``, ``close()``), live from now on. For
        events outside turns: ``account/rateLimits/updated``, ``hook/started``,
        ``mcpServer/startupStatus/updated``, ``skills/changed``, ...

        At most ``max_buffered`` unread events are kept: a reader that falls further
        behind gets the kept ones, then ``NotificationOverflowError``, and the stream ends
        (nothing is skipped silently)."""
        from .connection.subscriptions import AsyncEventStream

        for method in methods:
            if not isinstance(method, str) or not method:
                raise TypeError(f"each method must be a notification method name; got {method!r}")
        if type(max_buffered) is not int or max_buffered < 1:
            raise ValueError(f"max_buffered must be a positive int; got {max_buffered!r}")
        await self._session.ensure_started()
        return AsyncEventStream(
            self._session, frozenset(methods) if methods else None, thread_id, max_buffered
        )

    async def rate_limits(self) -> GetAccountRateLimitsResponse:
        """The account's rate limits (``GetAccountRateLimitsResponse``: ``rate_limits``
        with the primary/secondary windows' used percent and reset times). Needs a
        ChatGPT login; an API-key or unauthenticated runtime answers ``InvalidRequestError``.
        Updates arrive as ``account/rateLimits/updated`` events (``events()``)."""
        result: GetAccountRateLimitsResponse = await self._typed("account/rateLimits/read", {})
        return result

    async def account_usage(self, *, thread_id: str | None = None) -> GetAccountTokenUsageResponse:
        """The account's token usage (``GetAccountTokenUsageResponse``: a summary and
        daily buckets), or with ``thread_id`` that thread's estimated usage. Needs a
        ChatGPT login, like ``rate_limits()``."""
        params = {} if thread_id is None else {"threadId": thread_id}
        result: GetAccountTokenUsageResponse = await self._typed("account/usage/read", params)
        return result

    # -- files on the runtime's host ---------------------------------------------
    @property
    def fs(self) -> AsyncFiles:
        """The runtime host's file system: ``read_text``/``write_text``/``read_bytes``/
        ``write_bytes``, ``mkdir``, ``stat``, ``exists``, ``iterdir``, ``remove``,
        ``copy``, ``watch`` (absolute paths; not sandboxed; see ``AsyncFiles``)."""
        from .services.files import AsyncFiles

        return AsyncFiles(self._session)

    # -- commands without a turn -------------------------------------------------
    async def run_command(
        self,
        command: Sequence[str],
        *,
        cwd: str | None = None,
        env: Mapping[str, str | None] | None = None,
        input: bytes | str | None = None,
        timeout: float | None = None,
        sandbox: SandboxArg | None = None,
        check: bool = False,
        output_limit: int | None = None,
    ) -> CommandResult:
        """Run ``command`` (an argv) on the runtime's host, in its sandbox, without a
        thread or turn, and return the ``CommandResult`` (``returncode``, ``stdout``,
        ``stderr``), like ``subprocess.run(..., capture_output=True, text=True)``.

        ``input`` is written to stdin, then stdin is closed. ``timeout`` (seconds; ``None``:
        no limit) terminates the process and raises ``CommandTimeoutError`` (with the
        output so far). ``check=True`` raises ``CommandError`` for a non-zero status.
        ``sandbox`` defaults to the runtime's configured policy; ``cwd`` to its cwd;
        ``env`` entries override its environment (``None`` unsets a variable);
        ``output_limit`` caps each stream's captured bytes. A command that cannot start
        raises the ``OSError`` ``subprocess.run`` would: ``FileNotFoundError`` for a missing
        executable or ``cwd`` (``filename`` names which), ``PermissionError``, ..."""
        from .services.commands import run_process

        return await run_process(
            self._session,
            command,
            cwd=cwd,
            env=env,
            input=input,
            timeout=timeout,
            sandbox=sandbox,
            check=check,
            output_limit=output_limit,
        )

    async def start_command(
        self,
        command: Sequence[str],
        *,
        cwd: str | None = None,
        env: Mapping[str, str | None] | None = None,
        sandbox: SandboxArg | None = None,
        tty: bool = False,
        size: tuple[int, int] | None = None,
        output_limit: int | None = None,
    ) -> AsyncCommandProcess:
        """Start ``command`` (an argv) on the runtime's host and return the running
        ``AsyncCommandProcess``: ``output()`` streams its chunks, ``write()``/
        ``close_stdin()`` feed stdin, ``terminate()``, ``wait(timeout=...)``.
        ``tty=True`` runs it in a PTY of ``size`` ``(rows, cols)`` (``resize()``).
        Use it with ``async with``: leaving terminates a process still running."""
        from .services.commands import start_process

        return await start_process(
            self._session,
            command,
            cwd=cwd,
            env=env,
            sandbox=sandbox,
            stream_stdin=True,
            stream_output=True,
            tty=tty,
            size=size,
            output_limit=output_limit,
        )

    # -- code review ----------------------------------------------------------------
    async def review(
        self,
        *,
        cwd: str | None = None,
        base_branch: str | None = None,
        commit: str | None = None,
        commit_title: str | None = None,
        instructions: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
    ) -> TurnResult:
        """Review code in ``cwd`` (a git work tree; default: the runtime's cwd) on a new
        thread and return the review turn's ``TurnResult`` (``result.review``: the
        explanation and typed findings). The target is as in ``AsyncThread.review``:
        the uncommitted changes by default, or ``base_branch``, ``commit``,
        ``instructions``. To ask follow-up questions about the review, use
        ``thread_start`` and ``thread.review`` instead and keep the thread."""
        from .threads.review import review_target

        # the target is checked before a thread is made for it
        review_target(
            base_branch=base_branch,
            commit=commit,
            commit_title=commit_title,
            instructions=instructions,
        )
        thread = await self.thread_start(cwd=cwd, model=model)
        return await thread.review(
            base_branch=base_branch,
            commit=commit,
            commit_title=commit_title,
            instructions=instructions,
            timeout=timeout,
        )

    # -- threads -----------------------------------------------------------------
    async def _open_thread(
        self, method: str, thread_id: str | None, options: dict[str, Any]
    ) -> AsyncThread:
        """thread/start|resume|fork -> AsyncThread: the one path of their options."""
        check_cwd(options.get("cwd"))
        check_mapping_values(options.get("config"), "config")
        if self._hooks is not None or options.get("hooks") is not None:
            from ..hooks._install import install_hooks

            await install_hooks(self, self._hooks, options)  # into options["config"]
        params: dict[str, Any] = {} if thread_id is None else {"threadId": thread_id}
        params.update(approval_wire(options["approval_mode"]))
        params.update(wire_options(_OPENERS[method], options))
        include_turns = options.get("include_turns")
        if include_turns is not None:
            params["excludeTurns"] = not include_turns
        sandbox = thread_sandbox_wire(options["sandbox"])
        if sandbox is not None:
            params["sandbox"] = sandbox
        host = self._session.host
        toolset = host.toolset(options["tools"])
        if method == "thread/start" and toolset is not None and len(toolset):
            params["dynamicTools"] = wire_value(toolset.specs())
        thread = await self._thread_request(method, params)
        host.register_thread(thread.id, options["handlers"], toolset)
        return thread

    async def _thread_request(self, method: str, params: dict[str, Any]) -> AsyncThread:
        """Send a request that answers with a thread; remember what it tells."""
        from .threads.thread import AsyncThread

        result = await self._request(method, params)
        thread = result.get("thread") if isinstance(result, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("id"), str):
            raise TransportClosedError(f"{method} returned no thread: {result!r}")
        thread_id: str = thread["id"]
        self._session.sandboxes.remember_thread(thread_id, params, result)
        return AsyncThread(self._session, thread_id)

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
        """One page of stored threads (``ThreadListResponse``).

        ``.data`` holds the protocol's ``Thread`` records (the wire type from
        ``openai_codex_types``: ``id``, ``preview``, ``created_at``...), not
        ``openai_codex.Thread`` handles; open one with ``thread_resume(record.id)``.
        ``.next_cursor`` is the ``cursor`` of the next page (``None`` at the end).
        """
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
        result: ThreadListResponse = await self._typed("thread/list", params)
        return result

    async def thread_archive(self, thread_id: str) -> ThreadArchiveResponse:
        """Archive a stored thread (``ThreadArchiveResponse``)."""
        result: ThreadArchiveResponse = await self._typed("thread/archive", {"threadId": thread_id})
        self._session.forget_thread(thread_id)
        return result

    async def thread_delete(self, thread_id: str) -> ThreadDeleteResponse:
        """Delete a stored thread and its history for good (``thread_archive`` keeps it)."""
        result: ThreadDeleteResponse = await self._typed("thread/delete", {"threadId": thread_id})
        self._session.forget_thread(thread_id)
        return result

    async def loaded_threads(self) -> list[str]:
        """The ids of the threads the runtime has loaded in memory now (all pages of
        ``thread/loaded/list``; on a shared runtime, other clients' threads too)."""
        from .threads.history import pages

        return [
            tid async for tid in pages(self._session, "thread/loaded/list", {}, "loaded threads")
        ]

    async def thread_search(
        self,
        search_term: str,
        *,
        archived: bool | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        sort_direction: SortDirection | None = None,
        source_kinds: list[ThreadSourceKind] | None = None,
    ) -> ThreadSearchResponse:
        """One page of stored threads matching ``search_term`` (experimental in the
        runtime; ``ThreadSearchResponse``: ``data``, ``next_cursor``)."""
        from .arguments import check_text

        check_text(search_term, "search_term")
        if not search_term.strip():
            raise ValueError("search_term must not be empty: the runtime searches for some text")
        params = wire_params(
            search_term=search_term,
            archived=archived,
            cursor=cursor,
            limit=limit,
            sort_direction=sort_direction,
            source_kinds=source_kinds,
        )
        result: ThreadSearchResponse = await self._typed("thread/search", params)
        return result

    async def thread_unarchive(self, thread_id: str) -> AsyncThread:
        """Restore an archived thread."""
        return await self._thread_request("thread/unarchive", {"threadId": thread_id})

    async def thread_restore(
        self,
        thread_id: str,
        store: ThreadStore | SyncThreadStore,
        *,
        cwd: str | None = None,
        approval_mode: ApprovalModeArg | None = None,
        sandbox: SandboxArg | None = None,
        config: dict[str, Any] | None = None,
        handlers: ServerRequestHandlers | None = None,
        tools: ToolsArg = None,
    ) -> AsyncThread:
        """Bring a thread saved with ``thread.save(store)`` into this runtime and resume it.

        The rollout is written under this runtime's CODEX_HOME (another machine, container
        or worker than the one that ran it) and the thread is resumed: its next turn sends
        the model the whole conversation. A rollout here that already holds the stored one
        is kept. ``cwd`` replaces the working directory the thread was saved with (it must
        exist here); the other keywords are ``thread_resume``'s."""
        from ..stores._transfer import place_rollout

        await place_rollout(self, thread_id, store)
        return await self.thread_resume(
            thread_id,
            cwd=cwd,
            approval_mode=approval_mode,
            sandbox=sandbox,
            config=config,
            handlers=handlers,
            tools=tools,
        )


def session_of(codex: AsyncCodex) -> Session:
    """The session under ``codex`` (for the sync face and handles built from a client)."""
    return codex._session


__all__ = ["AsyncCodex", "session_of"]
