"""MCP servers as the runtime sees them: status, reload, OAuth login, tool calls and
resource reads (``McpMethods``, a mixin of ``AsyncCodex``; ``call_mcp_tool`` is on
``AsyncThread`` as ``ThreadMcpMethods``). Start-up progress arrives as
``mcpServer/startupStatus/updated`` events (``codex.events(...)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..arguments import check_text

if TYPE_CHECKING:
    from openai_codex_types import (
        McpResourceReadResponse,
        McpServerOauthLoginResponse,
        McpServerRefreshResponse,
        McpServerStatus,
        McpServerStatusDetail,
        McpServerToolCallResponse,
    )


class McpMethods:
    """The client's MCP methods (implemented on ``AsyncCodex``)."""

    __slots__ = ()

    async def _typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError

    async def mcp_servers(
        self,
        *,
        thread_id: str | None = None,
        detail: McpServerStatusDetail | None = None,
        server_name: str | None = None,
    ) -> list[McpServerStatus]:
        """Every configured MCP server's status (``McpServerStatus``: ``name``,
        ``runtime_status``, ``auth_status``, ``tools``, ``resources``, ``server_info``),
        all pages; for ``thread_id``'s configuration when given."""
        params: dict[str, Any] = {}
        if thread_id is not None:
            params["threadId"] = thread_id
        if detail is not None:
            params["detail"] = getattr(detail, "value", detail)
        if server_name is not None:
            check_text(server_name, "server_name")
            params["serverName"] = server_name
        servers: list[McpServerStatus] = []
        cursor: str | None = None
        while True:
            page = await self._typed(
                "mcpServerStatus/list", params if cursor is None else {**params, "cursor": cursor}
            )
            servers.extend(page.data)
            if page.next_cursor is None or not page.data or page.next_cursor == cursor:
                return servers
            cursor = page.next_cursor

    async def reload_mcp_servers(self) -> McpServerRefreshResponse:
        """Reload the MCP server configuration (after editing ``mcp_servers`` in the
        config); loaded threads pick the new servers up."""
        result: McpServerRefreshResponse = await self._typed("config/mcpServer/reload")
        return result

    async def mcp_oauth_login(
        self,
        name: str,
        *,
        scopes: list[str] | None = None,
        thread_id: str | None = None,
        timeout: float | None = None,
    ) -> McpServerOauthLoginResponse:
        """Start the OAuth login of MCP server ``name`` (``authorization_url`` to open);
        completion arrives as an ``mcpServer/oauthLogin/completed`` event."""
        check_text(name, "name")
        params: dict[str, Any] = {"name": name}
        if scopes is not None:
            params["scopes"] = list(scopes)
        if thread_id is not None:
            params["threadId"] = thread_id
        if timeout is not None:
            from ..arguments import check_seconds

            seconds = check_seconds(timeout)
            if seconds is not None:
                params["timeoutSecs"] = max(1, round(seconds))
        result: McpServerOauthLoginResponse = await self._typed("mcpServer/oauth/login", params)
        return result

    async def read_mcp_resource(
        self, server: str, uri: str, *, thread_id: str | None = None
    ) -> McpResourceReadResponse:
        """Read resource ``uri`` of MCP server ``server`` (``McpResourceReadResponse``:
        ``contents``)."""
        check_text(server, "server")
        check_text(uri, "uri")
        params: dict[str, Any] = {"server": server, "uri": uri}
        if thread_id is not None:
            params["threadId"] = thread_id
        result: McpResourceReadResponse = await self._typed("mcpServer/resource/read", params)
        return result


class ThreadMcpMethods:
    """The thread's MCP method (implemented on ``AsyncThread``)."""

    __slots__ = ()

    id: str

    async def _typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError

    async def call_mcp_tool(
        self, server: str, tool: str, arguments: dict[str, Any] | None = None
    ) -> McpServerToolCallResponse:
        """Call ``tool`` of MCP server ``server`` with ``arguments`` as this thread would,
        without a turn (``McpServerToolCallResponse``: ``content``,
        ``structured_content``, ``is_error``)."""
        check_text(server, "server")
        check_text(tool, "tool")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"arguments must be a dict; got {type(arguments).__name__}")
        params: dict[str, Any] = {"threadId": self.id, "server": server, "tool": tool}
        if arguments is not None:
            params["arguments"] = arguments
        result: McpServerToolCallResponse = await self._typed("mcpServer/tool/call", params)
        return result
