"""``AsyncCodex``: the one implementation of the client (``Codex`` drives it)."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._client_core import ClientCore, ThreadParamsHook
from ._presets import ApprovalMode, Sandbox, approval_wire, thread_sandbox_wire
from ._wire import wire_params

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

    from ._async_thread import AsyncThread
    from ._host import ToolsArg
    from ._login import AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle
    from .handlers import ServerRequestHandlers

_log = logging.getLogger("openai_codex")


class AsyncCodex(ClientCore):
    """Async client for Codex: threads, turns, logins.

    Lazy: ``async with AsyncCodex()`` or the first awaited call starts the runtime
    and completes ``initialize`` (once, even under concurrent first calls).
    ``close()`` stops the runtime; a later call starts a new one. Works under
    asyncio and trio.
    """

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


__all__ = ["AsyncCodex", "ThreadParamsHook"]
