"""``Codex``: the synchronous client, a thin face over ``AsyncCodex``."""

from __future__ import annotations

import logging
import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._async_client import AsyncCodex
from ._config import CodexConfig
from ._portal import Portal
from ._presets import ApprovalMode, Sandbox
from ._sync_thread import ChatgptLoginHandle, DeviceCodeLoginHandle, Thread

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

    from ._host import ToolsArg
    from ._metadata import InitializeResponse
    from .handlers import ServerRequestHandlers

_log = logging.getLogger("openai_codex")


def _shutdown(portal: Portal, client: AsyncCodex) -> None:
    if portal.closed or portal.on_loop_thread():
        return
    try:
        portal.call(client.close)
    except Exception:  # closing must not mask the error that led here
        _log.debug("error while closing", exc_info=True)
    finally:
        portal.close()


class Codex:
    """Synchronous client for Codex: threads, turns, logins.

    Eager: the constructor starts the runtime and completes ``initialize``; if that
    fails, whatever was started is closed and the error is raised. Use it as a
    context manager (or call ``close()``).

    Internally it drives an ``AsyncCodex`` on one background event-loop thread.
    """

    def __init__(
        self, config: CodexConfig | None = None, *, handlers: ServerRequestHandlers | None = None
    ) -> None:
        self._async = AsyncCodex(config, handlers=handlers)
        self._portal = Portal()
        # Closes the runtime if the program forgets to: on garbage collection or at exit.
        self._finalizer = weakref.finalize(self, _shutdown, self._portal, self._async)
        try:
            self._portal.call_interruptible(self._async._ensure_started)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Codex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the runtime and the event-loop thread. Idempotent; never masks errors."""
        self._finalizer()

    @property
    def metadata(self) -> InitializeResponse:
        """What the runtime reported in ``initialize``."""
        return self._async.metadata

    @property
    def handlers(self) -> ServerRequestHandlers:
        """The client-wide server-request handlers (settable; see ``openai_codex.handlers``).

        Sync handlers run in a worker thread, so they may block (e.g. ask on the console).
        """
        return self._async.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        self._async.handlers = value

    # -- account -----------------------------------------------------------------
    def login_api_key(self, api_key: str) -> None:
        self._portal.call(self._async.login_api_key, api_key)

    def login_chatgpt(self) -> ChatgptLoginHandle:
        return ChatgptLoginHandle(self._portal, self._portal.call(self._async.login_chatgpt))

    def login_chatgpt_device_code(self) -> DeviceCodeLoginHandle:
        handle = self._portal.call(self._async.login_chatgpt_device_code)
        return DeviceCodeLoginHandle(self._portal, handle)

    def account(self, *, refresh_token: bool = False) -> GetAccountResponse:
        return self._portal.call(self._async.account, refresh_token=refresh_token)

    def logout(self) -> None:
        self._portal.call(self._async.logout)

    def models(self, *, include_hidden: bool = False) -> ModelListResponse:
        return self._portal.call(self._async.models, include_hidden=include_hidden)

    # -- threads -----------------------------------------------------------------
    def thread_start(
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
    ) -> Thread:
        """Start a new thread (``tools``: ``@tool`` functions; ``handlers``: this thread's)."""
        started = self._portal.call(
            self._async.thread_start,
            approval_mode=approval_mode,
            base_instructions=base_instructions,
            config=config,
            cwd=cwd,
            developer_instructions=developer_instructions,
            ephemeral=ephemeral,
            model=model,
            model_provider=model_provider,
            personality=personality,
            sandbox=sandbox,
            service_name=service_name,
            service_tier=service_tier,
            session_start_source=session_start_source,
            thread_source=thread_source,
            handlers=handlers,
            tools=tools,
        )
        return Thread(self, started.id)

    def thread_resume(
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
    ) -> Thread:
        """Resume a stored thread (``tools``: the functions answering its stored tool specs)."""
        resumed = self._portal.call(
            self._async.thread_resume,
            thread_id,
            approval_mode=approval_mode,
            base_instructions=base_instructions,
            config=config,
            cwd=cwd,
            developer_instructions=developer_instructions,
            include_turns=include_turns,
            model=model,
            model_provider=model_provider,
            personality=personality,
            sandbox=sandbox,
            service_tier=service_tier,
            handlers=handlers,
            tools=tools,
        )
        return Thread(self, resumed.id)

    def thread_fork(
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
    ) -> Thread:
        """Fork a thread into a new one with a copy of its history."""
        forked = self._portal.call(
            self._async.thread_fork,
            thread_id,
            approval_mode=approval_mode,
            base_instructions=base_instructions,
            config=config,
            cwd=cwd,
            developer_instructions=developer_instructions,
            ephemeral=ephemeral,
            include_turns=include_turns,
            model=model,
            model_provider=model_provider,
            sandbox=sandbox,
            service_tier=service_tier,
            thread_source=thread_source,
            handlers=handlers,
            tools=tools,
        )
        return Thread(self, forked.id)

    def thread_list(
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
        return self._portal.call(
            self._async.thread_list,
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

    def thread_archive(self, thread_id: str) -> ThreadArchiveResponse:
        return self._portal.call(self._async.thread_archive, thread_id)

    def thread_unarchive(self, thread_id: str) -> Thread:
        restored = self._portal.call(self._async.thread_unarchive, thread_id)
        return Thread(self, restored.id)
