"""The server-request kinds and their fail-closed default answers.

One :class:`RequestKind` per server-to-client request method: which
:class:`~openai_codex.handlers.ServerRequestHandlers` field answers it, its params and
response models, the safe default sent when no handler answers (never an acceptance),
and the short-form coercion of a handler's answer (:mod:`.answers`). The params and
response models come from ``openai_codex_types.registry``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openai_codex_types import registry

from .answers import (
    DENIED_REJECTION,
    wrap_decision,
    wrap_elicitation,
    wrap_legacy,
    wrap_permissions,
    wrap_time,
    wrap_tool,
    wrap_user_input,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from openai_codex_types.registry import ServerRequestSpec

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
    default: Callable[[Mapping[str, Any]], Any]
    """The safe answer from the raw params (raises :class:`ErrorAnswer` for an error)."""
    wrap: Callable[[Any], Any] = lambda a: a
    """Short-form coercion of a handler's answer."""

    @property
    def params_model(self) -> type[BaseModel]:
        """The params model, from the generated registry."""
        return _spec(self.method).params_model

    @property
    def response_model(self) -> type[BaseModel]:
        """The response model, from the generated registry."""
        return _spec(self.method).response_model


def _spec(method: str) -> ServerRequestSpec:
    spec = registry.server_request(method)
    if spec is None:  # pragma: no cover - checked by the tests against the registry
        raise KeyError(f"{method!r} is not a server request of the pinned runtime's schema")
    return spec


KINDS: dict[str, RequestKind] = {
    k.method: k
    for k in (
        RequestKind(
            "item/commandExecution/requestApproval",
            "command_approval",
            _decline(),
            wrap_decision,
        ),
        RequestKind(
            "item/fileChange/requestApproval",
            "file_change_approval",
            _decline(),
            wrap_decision,
        ),
        RequestKind(
            "item/permissions/requestApproval",
            "permissions_approval",
            _const({"permissions": {}, "scope": "turn"}),
            wrap_permissions,
        ),
        RequestKind(
            "item/tool/requestUserInput",
            "user_input",
            _const({"answers": {}}),
            wrap_user_input,
        ),
        RequestKind(
            "mcpServer/elicitation/request",
            "mcp_elicitation",
            _const({"action": "cancel"}),
            wrap_elicitation,
        ),
        RequestKind(
            "item/tool/call",
            "dynamic_tool_call",
            _unknown_tool_response,
            wrap_tool,
        ),
        RequestKind(
            "account/chatgptAuthTokens/refresh",
            "chatgpt_auth_tokens_refresh",
            _error_default("This client has no ChatGPT auth-token refresh handler."),
        ),
        RequestKind(
            "attestation/generate",
            "attestation",
            _error_default("This client has no attestation handler."),
        ),
        RequestKind(
            "currentTime/read",
            "current_time",
            _now_response,
            wrap_time,
        ),
        RequestKind(
            "execCommandApproval",
            "exec_command_approval",
            _denied(),
            wrap_legacy,
        ),
        RequestKind(
            "applyPatchApproval",
            "apply_patch_approval",
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
