"""The public handler types: :class:`ServerRequestHandlers`, :class:`HandlerFailure` and
the short answer forms each handler may return (see :mod:`openai_codex.handlers`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, Union

if TYPE_CHECKING:
    from openai_codex_types import (
        AnyMcpServerElicitationRequestParams,
        ApplyPatchApprovalParams,
        ApplyPatchApprovalResponse,
        AttestationGenerateParams,
        AttestationGenerateResponse,
        ChatgptAuthTokensRefreshParams,
        ChatgptAuthTokensRefreshResponse,
        CommandExecutionRequestApprovalParams,
        CommandExecutionRequestApprovalResponse,
        CurrentTimeReadParams,
        CurrentTimeReadResponse,
        DynamicToolCallParams,
        DynamicToolCallResponse,
        ExecCommandApprovalParams,
        ExecCommandApprovalResponse,
        FileChangeRequestApprovalResponse,
        McpServerElicitationRequestResponse,
        PermissionsRequestApprovalParams,
        PermissionsRequestApprovalResponse,
        ToolRequestUserInputParams,
        ToolRequestUserInputResponse,
    )

    from .approval_params import FileChangeApproval

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "ApprovalDecision",
    "ElicitationAction",
    "FailureReason",
    "HandlerFailure",
    "ReviewDecisionName",
    "ServerRequestHandlers",
    "UserInputAnswers",
]

DEFAULT_HANDLER_TIMEOUT = 300.0
"""Seconds a handler may take before the safe default is sent instead (per call)."""

T = TypeVar("T")
R = TypeVar("R")

MaybeAwaitable: TypeAlias = T | Awaitable[T]
Handler: TypeAlias = Callable[[T], MaybeAwaitable[R]]

ApprovalDecision = Literal["accept", "acceptForSession", "decline", "cancel"]
"""Short form of a command / file-change decision (``decline`` lets the agent go on,
``cancel`` also interrupts the turn)."""

ElicitationAction = Literal["accept", "decline", "cancel"]
"""Short form of an MCP elicitation answer (no content)."""

ReviewDecisionName = Literal["approved", "approved_for_session", "denied", "abort"]
"""Short form of a legacy ``execCommandApproval``/``applyPatchApproval`` decision."""

UserInputAnswers = Mapping[str, str | Sequence[str]]
"""Short form of a user-input answer: question id -> answer text(s)."""

WireAnswer = Mapping[str, Any]
"""Any answer may also be given as the response's wire JSON (camelCase keys); it is validated."""

CommandApprovalAnswer = Union[
    "CommandExecutionRequestApprovalResponse", ApprovalDecision, WireAnswer
]
FileChangeApprovalAnswer = Union["FileChangeRequestApprovalResponse", ApprovalDecision, WireAnswer]
PermissionsApprovalAnswer = Union[
    "PermissionsRequestApprovalResponse", Literal["decline"], WireAnswer
]
UserInputAnswer = Union["ToolRequestUserInputResponse", UserInputAnswers, WireAnswer]
ElicitationAnswer = Union["McpServerElicitationRequestResponse", ElicitationAction, WireAnswer]
ToolCallAnswer = Union["DynamicToolCallResponse", str, WireAnswer]
AuthTokensAnswer = Union["ChatgptAuthTokensRefreshResponse", WireAnswer]
AttestationAnswer = Union["AttestationGenerateResponse", WireAnswer]
CurrentTimeAnswer = Union["CurrentTimeReadResponse", int, WireAnswer]
LegacyApprovalAnswer = Union[
    "ExecCommandApprovalResponse", "ApplyPatchApprovalResponse", ReviewDecisionName, WireAnswer
]

FailureReason = Literal["exception", "timeout", "invalid_answer", "invalid_params"]
"""Why a handler's answer was replaced by the safe default."""


@dataclass(frozen=True)
class ServerRequestHandlers:
    """One optional callable per server-request kind; ``None`` means the safe default.

    Each callable takes the typed params and returns the typed response model or the
    short form noted below (sync or async)::

        def approve_ls(p: CommandExecutionRequestApprovalParams) -> ApprovalDecision:
            return "accept" if (p.command or "").startswith("ls") else "decline"

        codex = AsyncCodex(handlers=ServerRequestHandlers(command_approval=approve_ls))

    A thread may carry its own ``ServerRequestHandlers``: its non-``None`` fields win over
    the client's, field by field (use :meth:`merged_over`).
    """

    command_approval: (
        Handler[CommandExecutionRequestApprovalParams, CommandApprovalAnswer] | None
    ) = None
    """``item/commandExecution/requestApproval``; short form ``"accept"``, ``"acceptForSession"``,
    ``"decline"``, ``"cancel"``. Default ``decline``."""
    file_change_approval: Handler[FileChangeApproval, FileChangeApprovalAnswer] | None = None
    """``item/fileChange/requestApproval``; same short forms. Default ``decline``. The params
    are a ``FileChangeApproval``: the request's fields plus the item's ``changes`` (each
    ``path``, ``kind``, ``diff``), ``paths`` and the whole ``diff``."""
    permissions_approval: (
        Handler[PermissionsRequestApprovalParams, PermissionsApprovalAnswer] | None
    ) = None
    """``item/permissions/requestApproval``; return the granted subset
    (``PermissionsRequestApprovalResponse``) or ``"decline"``. Default: grant nothing."""
    user_input: Handler[ToolRequestUserInputParams, UserInputAnswer] | None = None
    """``item/tool/requestUserInput``; short form ``{question_id: "answer" | ["a", "b"]}``.
    Default: no answers."""
    mcp_elicitation: Handler[AnyMcpServerElicitationRequestParams, ElicitationAnswer] | None = None
    """``mcpServer/elicitation/request``: the params are the concrete mode (form, url, ...:
    ``FormMcpServerElicitationRequestParams``, ...); short form ``"accept"``/``"decline"``/``"cancel"``.
    Default ``cancel``."""
    dynamic_tool_call: Handler[DynamicToolCallParams, ToolCallAnswer] | None = None
    """``item/tool/call`` for a tool no ``@tool`` registered on the thread handles; a ``str``
    is a successful text result. Default: a failed result naming the unknown tool."""
    chatgpt_auth_tokens_refresh: (
        Handler[ChatgptAuthTokensRefreshParams, AuthTokensAnswer] | None
    ) = None
    """``account/chatgptAuthTokens/refresh``. Default: a JSON-RPC error (refresh fails)."""
    attestation: Handler[AttestationGenerateParams, AttestationAnswer] | None = None
    """``attestation/generate``. Default: a JSON-RPC error."""
    current_time: Handler[CurrentTimeReadParams, CurrentTimeAnswer] | None = None
    """``currentTime/read``; an ``int`` is unix seconds. Default: the host clock."""
    exec_command_approval: Handler[ExecCommandApprovalParams, LegacyApprovalAnswer] | None = None
    """Legacy ``execCommandApproval``; short form ``"approved"``, ``"approved_for_session"``,
    ``"denied"``, ``"abort"``. Default ``denied``."""
    apply_patch_approval: Handler[ApplyPatchApprovalParams, LegacyApprovalAnswer] | None = None
    """Legacy ``applyPatchApproval``; same short forms. Default ``denied``."""
    timeout: float | None = DEFAULT_HANDLER_TIMEOUT
    """Seconds one call may take; past it the safe default is sent. ``None``: no limit."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "timeout":
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
                ):
                    raise TypeError(
                        f"ServerRequestHandlers(timeout=...) takes seconds > 0 or None; "
                        f"got {value!r}"
                    )
            elif value is not None and not callable(value):
                raise TypeError(
                    f"ServerRequestHandlers({f.name}=...) takes a callable (or None), not "
                    f"{type(value).__name__} {value!r}; to give the same answer every time, "
                    f"pass a function: {f.name}=lambda params: {value!r}"
                )

    def merged_over(self, base: ServerRequestHandlers | None) -> ServerRequestHandlers:
        """``self``'s handlers where set, else ``base``'s (``self``'s timeout wins)."""
        if base is None:
            return self
        updates = {
            f.name: getattr(base, f.name)
            for f in fields(self)
            if f.name != "timeout" and getattr(self, f.name) is None
        }
        return replace(self, **updates)


@dataclass(frozen=True)
class HandlerFailure:
    """A handler that raised, timed out or answered invalidly; the safe default was sent."""

    method: str
    thread_id: str | None
    turn_id: str | None
    reason: FailureReason
    message: str
    answer: Any
    """What was sent instead (the safe default)."""
    exception: BaseException | None = field(default=None, compare=False)
