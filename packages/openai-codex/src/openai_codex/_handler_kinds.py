"""The server-request kinds and their fail-closed default answers.

One :class:`RequestKind` per server-to-client request method: which
:class:`~openai_codex.handlers.ServerRequestHandlers` field answers it, its params and
response models, the safe default sent when no handler answers (never an acceptance),
and the short-form coercion of a handler's answer (:mod:`._handler_answers`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._handler_answers import (
    DENIED_REJECTION,
    wrap_decision,
    wrap_elicitation,
    wrap_legacy,
    wrap_permissions,
    wrap_time,
    wrap_tool,
    wrap_user_input,
)

__all__ = [
    "KINDS",
    "SERVER_REQUEST_METHODS",
    "ErrorAnswer",
    "RequestKind",
    "default_answer",
    "to_rpc_error",
    "unsupported",
]


class ErrorAnswer(Exception):
    """A default that is a JSON-RPC error rather than a result."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def to_rpc_error(exc: ErrorAnswer) -> Exception:
    """The transport's ``JsonRpcError`` for an :class:`ErrorAnswer`."""
    from openai_codex_transport import JsonRpcError

    return JsonRpcError(exc.code, exc.message)


# ------------------------------------------------------------------ fail-closed defaults


def _now_response(_: Mapping[str, Any]) -> Any:
    return {"currentTimeAt": int(time.time())}


def _unknown_tool_response(params: Mapping[str, Any]) -> Any:
    name = params.get("tool")
    namespace = params.get("namespace")
    full = f"{namespace}.{name}" if namespace else name
    return {
        "contentItems": [
            {"type": "inputText", "text": f"No tool named {full!r} is registered with this client."}
        ],
        "success": False,
    }


def _error_default(message: str) -> Callable[[Mapping[str, Any]], Any]:
    def make(_: Mapping[str, Any]) -> Any:
        raise ErrorAnswer(-32603, message)

    return make


def _const(value: Any) -> Callable[[Mapping[str, Any]], Any]:
    return lambda _: value


def _decline() -> Callable[[Mapping[str, Any]], Any]:
    return _const({"decision": "decline"})


def _denied() -> Callable[[Mapping[str, Any]], Any]:
    return _const({"decision": {"denied": {"rejection": DENIED_REJECTION}}})


# ------------------------------------------------------------------------- the kinds


@dataclass(frozen=True)
class RequestKind:
    method: str
    """The wire method."""
    attr: str
    """The ``ServerRequestHandlers`` field that answers it."""
    params_model: str
    response_model: str
    default: Callable[[Mapping[str, Any]], Any]
    """The safe answer from the raw params (raises :class:`ErrorAnswer` for an error)."""
    wrap: Callable[[Any], Any] = lambda a: a
    """Short-form coercion of a handler's answer."""


KINDS: dict[str, RequestKind] = {
    k.method: k
    for k in (
        RequestKind(
            "item/commandExecution/requestApproval",
            "command_approval",
            "CommandExecutionRequestApprovalParams",
            "CommandExecutionRequestApprovalResponse",
            _decline(),
            wrap_decision,
        ),
        RequestKind(
            "item/fileChange/requestApproval",
            "file_change_approval",
            "FileChangeRequestApprovalParams",
            "FileChangeRequestApprovalResponse",
            _decline(),
            wrap_decision,
        ),
        RequestKind(
            "item/permissions/requestApproval",
            "permissions_approval",
            "PermissionsRequestApprovalParams",
            "PermissionsRequestApprovalResponse",
            _const({"permissions": {}, "scope": "turn"}),
            wrap_permissions,
        ),
        RequestKind(
            "item/tool/requestUserInput",
            "user_input",
            "ToolRequestUserInputParams",
            "ToolRequestUserInputResponse",
            _const({"answers": {}}),
            wrap_user_input,
        ),
        RequestKind(
            "mcpServer/elicitation/request",
            "mcp_elicitation",
            "McpServerElicitationRequestParams",
            "McpServerElicitationRequestResponse",
            _const({"action": "cancel"}),
            wrap_elicitation,
        ),
        RequestKind(
            "item/tool/call",
            "dynamic_tool_call",
            "DynamicToolCallParams",
            "DynamicToolCallResponse",
            _unknown_tool_response,
            wrap_tool,
        ),
        RequestKind(
            "account/chatgptAuthTokens/refresh",
            "chatgpt_auth_tokens_refresh",
            "ChatgptAuthTokensRefreshParams",
            "ChatgptAuthTokensRefreshResponse",
            _error_default("This client has no ChatGPT auth-token refresh handler."),
        ),
        RequestKind(
            "attestation/generate",
            "attestation",
            "AttestationGenerateParams",
            "AttestationGenerateResponse",
            _error_default("This client has no attestation handler."),
        ),
        RequestKind(
            "currentTime/read",
            "current_time",
            "CurrentTimeReadParams",
            "CurrentTimeReadResponse",
            _now_response,
            wrap_time,
        ),
        RequestKind(
            "execCommandApproval",
            "exec_command_approval",
            "ExecCommandApprovalParams",
            "ExecCommandApprovalResponse",
            _denied(),
            wrap_legacy,
        ),
        RequestKind(
            "applyPatchApproval",
            "apply_patch_approval",
            "ApplyPatchApprovalParams",
            "ApplyPatchApprovalResponse",
            _denied(),
            wrap_legacy,
        ),
    )
}

SERVER_REQUEST_METHODS: tuple[str, ...] = tuple(KINDS)
"""Every server-request method this module answers."""


def unsupported(method: str) -> ErrorAnswer:
    """The method-not-found answer to a server request no kind covers."""
    return ErrorAnswer(-32601, f"unsupported server request: {method}")


def default_answer(method: str, params: Mapping[str, Any] | None = None) -> Any:
    """The safe answer sent for ``method`` when no handler answers (see the module table).

    Raises :class:`openai_codex_transport.JsonRpcError` for kinds whose default is an error.
    """
    kind = KINDS.get(method)
    if kind is None:
        raise to_rpc_error(unsupported(method))
    try:
        return kind.default(params or {})
    except ErrorAnswer as exc:
        raise to_rpc_error(exc) from None
