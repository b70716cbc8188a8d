"""Typed, fail-closed answers to the runtime's server-to-client requests.

The runtime asks the client things while a turn runs: may this command run, may this
file change be applied, what does the user answer to this question, run this dynamic
tool, ... :class:`ServerRequestHandlers` holds one optional callable per kind. Each
callable receives the typed params model from :mod:`openai_codex_types` and returns a
typed answer (the response model, or the short form listed per field). Callables may be
sync or async; sync ones run in a worker thread so a handler that blocks (say, on
``input()``) never stops the client from reading other messages.

Without a handler the answer is the safe one, never an acceptance:

=====================================  ===========================================
request (wire method)                  default answer
=====================================  ===========================================
item/commandExecution/requestApproval  ``{"decision": "decline"}``
item/fileChange/requestApproval        ``{"decision": "decline"}``
item/permissions/requestApproval       ``{"permissions": {}, "scope": "turn"}`` (grants nothing)
item/tool/requestUserInput             ``{"answers": {}}`` (no answer to any question)
mcpServer/elicitation/request          ``{"action": "cancel"}``
item/tool/call                         the registered ``@tool``; else ``success: false``
account/chatgptAuthTokens/refresh      JSON-RPC error -32603 (no tokens are invented)
attestation/generate                   JSON-RPC error -32603 (no token is invented)
currentTime/read                       the host clock (harmless; nothing is granted)
execCommandApproval (legacy)           ``{"decision": {"denied": {"rejection": ...}}}``
applyPatchApproval (legacy)            ``{"decision": {"denied": {"rejection": ...}}}``
anything else                          JSON-RPC error -32601 (method not found)
=====================================  ===========================================

A handler that raises, returns something that is not a valid answer, or runs past its
``timeout`` yields that same default; the failure is logged on ``openai_codex.handlers``
and reported through the dispatcher's ``on_error`` callback with a :class:`HandlerFailure`
(the client puts it on the turn's stream as an ``openai_codex/handlerFailed``
notification); the client keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._core.host.handler_types import (
    DEFAULT_HANDLER_TIMEOUT,
    ApprovalDecision,
    ElicitationAction,
    HandlerFailure,
    ReviewDecisionName,
    ServerRequestHandlers,
    UserInputAnswers,
)

if TYPE_CHECKING:
    from ._core.host.approval_params import FileChangeApproval

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "FileChangeApproval",
    "ApprovalDecision",
    "ElicitationAction",
    "HandlerFailure",
    "ReviewDecisionName",
    "ServerRequestHandlers",
    "UserInputAnswers",
]


def __getattr__(name: str) -> Any:
    # FileChangeApproval is a pydantic model: loaded on first use, not with this module
    if name == "FileChangeApproval":
        from ._core.host.approval_params import FileChangeApproval

        return FileChangeApproval
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
