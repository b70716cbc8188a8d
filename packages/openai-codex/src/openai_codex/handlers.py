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

import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, Union

import anyio
import anyio.to_thread
from pydantic import BaseModel, ValidationError

from .tracing import activate, get_logger, redact

if TYPE_CHECKING:
    from openai_codex_types import (
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
        FileChangeRequestApprovalParams,
        FileChangeRequestApprovalResponse,
        McpServerElicitationRequestParams,
        McpServerElicitationRequestResponse,
        PermissionsRequestApprovalParams,
        PermissionsRequestApprovalResponse,
        ToolRequestUserInputParams,
        ToolRequestUserInputResponse,
    )

    from .tools import Tool, ToolSet

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "ApprovalDecision",
    "ElicitationAction",
    "HandlerFailure",
    "ReviewDecisionName",
    "ServerRequestDispatcher",
    "ServerRequestHandlers",
    "UserInputAnswers",
    "default_answer",
]

logger = get_logger("handlers")

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
    file_change_approval: (
        Handler[FileChangeRequestApprovalParams, FileChangeApprovalAnswer] | None
    ) = None
    """``item/fileChange/requestApproval``; same short forms. Default ``decline``."""
    permissions_approval: (
        Handler[PermissionsRequestApprovalParams, PermissionsApprovalAnswer] | None
    ) = None
    """``item/permissions/requestApproval``; return the granted subset
    (``PermissionsRequestApprovalResponse``) or ``"decline"``. Default: grant nothing."""
    user_input: Handler[ToolRequestUserInputParams, UserInputAnswer] | None = None
    """``item/tool/requestUserInput``; short form ``{question_id: "answer" | ["a", "b"]}``.
    Default: no answers."""
    mcp_elicitation: Handler[McpServerElicitationRequestParams, ElicitationAnswer] | None = None
    """``mcpServer/elicitation/request``; short form ``"accept"``/``"decline"``/``"cancel"``.
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
    reason: Literal["exception", "timeout", "invalid_answer", "invalid_params"]
    message: str
    answer: Any
    """What was sent instead (the safe default)."""
    exception: BaseException | None = field(default=None, compare=False)


class _ErrorAnswer(Exception):
    """A default that is a JSON-RPC error rather than a result."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ------------------------------------------------------------------------- per-kind specs

_DENIED_REJECTION = "The host application declined this request (no handler accepted it)."


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
        raise _ErrorAnswer(-32603, message)

    return make


def _const(value: Any) -> Callable[[Mapping[str, Any]], Any]:
    return lambda _: value


def _wrap_decision(answer: Any) -> Any:
    if isinstance(answer, str):
        return {"decision": answer}
    return answer


def _wrap_legacy(answer: Any) -> Any:
    if answer == "denied":
        return {"decision": {"denied": {"rejection": _DENIED_REJECTION}}}
    if isinstance(answer, str):
        return {"decision": answer}
    return answer


def _wrap_permissions(answer: Any) -> Any:
    if answer == "decline":
        return {"permissions": {}, "scope": "turn"}
    return answer


def _wrap_user_input(answer: Any) -> Any:
    if isinstance(answer, Mapping):
        answers = answer.get("answers")
        if isinstance(answers, Mapping) and all(
            isinstance(v, Mapping) and "answers" in v for v in answers.values()
        ):
            return answer
        out: dict[str, Any] = {}
        for qid, value in answer.items():
            if isinstance(value, str):
                out[str(qid)] = {"answers": [value]}
            elif isinstance(value, Mapping):
                out[str(qid)] = value
            else:
                out[str(qid)] = {"answers": [str(v) for v in value]}
        return {"answers": out}
    return answer


def _wrap_elicitation(answer: Any) -> Any:
    if isinstance(answer, str):
        return {"action": answer}
    return answer


def _wrap_tool(answer: Any) -> Any:
    if isinstance(answer, str):
        return {"contentItems": [{"type": "inputText", "text": answer}], "success": True}
    return answer


def _wrap_time(answer: Any) -> Any:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return {"currentTimeAt": int(answer)}
    return answer


@dataclass(frozen=True)
class _Kind:
    method: str
    attr: str
    params_model: str
    response_model: str
    default: Callable[[Mapping[str, Any]], Any]
    wrap: Callable[[Any], Any] = lambda a: a


_KINDS: dict[str, _Kind] = {
    k.method: k
    for k in (
        _Kind(
            "item/commandExecution/requestApproval",
            "command_approval",
            "CommandExecutionRequestApprovalParams",
            "CommandExecutionRequestApprovalResponse",
            _const({"decision": "decline"}),
            _wrap_decision,
        ),
        _Kind(
            "item/fileChange/requestApproval",
            "file_change_approval",
            "FileChangeRequestApprovalParams",
            "FileChangeRequestApprovalResponse",
            _const({"decision": "decline"}),
            _wrap_decision,
        ),
        _Kind(
            "item/permissions/requestApproval",
            "permissions_approval",
            "PermissionsRequestApprovalParams",
            "PermissionsRequestApprovalResponse",
            _const({"permissions": {}, "scope": "turn"}),
            _wrap_permissions,
        ),
        _Kind(
            "item/tool/requestUserInput",
            "user_input",
            "ToolRequestUserInputParams",
            "ToolRequestUserInputResponse",
            _const({"answers": {}}),
            _wrap_user_input,
        ),
        _Kind(
            "mcpServer/elicitation/request",
            "mcp_elicitation",
            "McpServerElicitationRequestParams",
            "McpServerElicitationRequestResponse",
            _const({"action": "cancel"}),
            _wrap_elicitation,
        ),
        _Kind(
            "item/tool/call",
            "dynamic_tool_call",
            "DynamicToolCallParams",
            "DynamicToolCallResponse",
            _unknown_tool_response,
            _wrap_tool,
        ),
        _Kind(
            "account/chatgptAuthTokens/refresh",
            "chatgpt_auth_tokens_refresh",
            "ChatgptAuthTokensRefreshParams",
            "ChatgptAuthTokensRefreshResponse",
            _error_default("This client has no ChatGPT auth-token refresh handler."),
        ),
        _Kind(
            "attestation/generate",
            "attestation",
            "AttestationGenerateParams",
            "AttestationGenerateResponse",
            _error_default("This client has no attestation handler."),
        ),
        _Kind(
            "currentTime/read",
            "current_time",
            "CurrentTimeReadParams",
            "CurrentTimeReadResponse",
            _now_response,
            _wrap_time,
        ),
        _Kind(
            "execCommandApproval",
            "exec_command_approval",
            "ExecCommandApprovalParams",
            "ExecCommandApprovalResponse",
            _const({"decision": {"denied": {"rejection": _DENIED_REJECTION}}}),
            _wrap_legacy,
        ),
        _Kind(
            "applyPatchApproval",
            "apply_patch_approval",
            "ApplyPatchApprovalParams",
            "ApplyPatchApprovalResponse",
            _const({"decision": {"denied": {"rejection": _DENIED_REJECTION}}}),
            _wrap_legacy,
        ),
    )
}

SERVER_REQUEST_METHODS: tuple[str, ...] = tuple(_KINDS)
"""Every server-request method this module answers."""


def default_answer(method: str, params: Mapping[str, Any] | None = None) -> Any:
    """The safe answer sent for ``method`` when no handler answers (see the module table).

    Raises :class:`openai_codex_transport.JsonRpcError` for kinds whose default is an error.
    """
    kind = _KINDS.get(method)
    if kind is None:
        raise _to_rpc_error(_ErrorAnswer(-32601, f"unsupported server request: {method}"))
    try:
        return kind.default(params or {})
    except _ErrorAnswer as exc:
        raise _to_rpc_error(exc) from None


def _to_rpc_error(exc: _ErrorAnswer) -> Exception:
    from openai_codex_transport import JsonRpcError

    return JsonRpcError(exc.code, exc.message)


@functools.lru_cache(maxsize=64)
def _model(name: str) -> type[BaseModel] | None:
    try:
        import openai_codex_types
    except ImportError:  # pragma: no cover - the facade depends on it
        return None
    model = getattr(openai_codex_types, name, None)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model
    return None


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def _thread_and_turn(params: Any) -> tuple[str | None, str | None]:
    if not isinstance(params, Mapping):
        return None, None
    thread = params.get("threadId") or params.get("conversationId")
    turn = params.get("turnId")
    return (
        thread if isinstance(thread, str) else None,
        turn if isinstance(turn, str) else None,
    )


async def call_maybe_async(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn``: a coroutine function is awaited; a plain function runs in a worker
    thread (so it may block); an awaitable it returns is awaited too."""
    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - callable objects with async __call__
    ):
        return await fn(*args)
    result = await anyio.to_thread.run_sync(functools.partial(fn, *args), abandon_on_cancel=True)
    if inspect.isawaitable(result):
        return await result
    return result


@dataclass
class _ThreadEntry:
    handlers: ServerRequestHandlers | None = None
    tools: ToolSet | None = None


class ServerRequestDispatcher:
    """Answers every server-to-client request; plug it in as the connection's ``on_request``.

    ``handlers`` are the client-wide handlers; :meth:`set_thread` adds per-thread handlers
    (merged over the client's) and the thread's ``@tool`` functions. ``on_error`` is called
    (synchronously, must not block) with a :class:`HandlerFailure` each time a default was
    sent because a handler failed. ``turn_span(turn_id)`` may give the OpenTelemetry span of
    that turn: handlers and tools then run inside it (their spans become its children).
    """

    def __init__(
        self,
        handlers: ServerRequestHandlers | None = None,
        *,
        on_error: Callable[[HandlerFailure], None] | None = None,
        turn_span: Callable[[str], Any] | None = None,
    ) -> None:
        self.handlers = handlers if handlers is not None else ServerRequestHandlers()
        self.on_error = on_error
        self.turn_span = turn_span
        self._threads: dict[str, _ThreadEntry] = {}

    # -- registration ---------------------------------------------------------------
    def set_thread(
        self,
        thread_id: str,
        *,
        handlers: ServerRequestHandlers | None = None,
        tools: Sequence[Tool[Any]] | ToolSet | None = None,
    ) -> None:
        """Give ``thread_id`` its own handlers and/or tools (``None`` keeps what it has)."""
        from .tools import ToolSet

        entry = self._threads.setdefault(thread_id, _ThreadEntry())
        if handlers is not None:
            entry.handlers = handlers
        if tools is not None:
            entry.tools = tools if isinstance(tools, ToolSet) else ToolSet(tools)

    def forget_thread(self, thread_id: str) -> None:
        self._threads.pop(thread_id, None)

    def thread_tools(self, thread_id: str) -> ToolSet | None:
        entry = self._threads.get(thread_id)
        return entry.tools if entry else None

    def handlers_for(self, thread_id: str | None) -> ServerRequestHandlers:
        entry = self._threads.get(thread_id) if thread_id else None
        if entry is not None and entry.handlers is not None:
            return entry.handlers.merged_over(self.handlers)
        return self.handlers

    # -- dispatch -------------------------------------------------------------------
    async def __call__(self, method: str, params: Any) -> Any:
        return await self.dispatch(method, params)

    async def dispatch(self, method: str, params: Any) -> Any:
        """The JSON result for one server request (raises ``JsonRpcError`` for error answers)."""
        kind = _KINDS.get(method)
        if kind is None:
            logger.warning("unsupported server request %s; answering method-not-found", method)
            raise _to_rpc_error(_ErrorAnswer(-32601, f"unsupported server request: {method}"))
        raw = params if isinstance(params, Mapping) else {}
        thread_id, turn_id = _thread_and_turn(raw)
        logger.debug("server request %s: %s", method, redact(raw))
        parent = self.turn_span(turn_id) if self.turn_span is not None and turn_id else None
        try:
            with activate(parent):
                answer = await self._answer(kind, raw, thread_id, turn_id)
        except _ErrorAnswer as exc:
            logger.debug("server request %s answered with error %s", method, exc.message)
            raise _to_rpc_error(exc) from None
        logger.debug("server request %s answered: %s", method, redact(answer))
        return answer

    async def _answer(
        self, kind: _Kind, raw: Mapping[str, Any], thread_id: str | None, turn_id: str | None
    ) -> Any:
        if kind.attr == "dynamic_tool_call":
            entry = self._threads.get(thread_id) if thread_id else None
            if entry is not None and entry.tools is not None:
                tool = entry.tools.find(raw.get("tool"), raw.get("namespace"))
                if tool is not None:
                    limit = self.handlers_for(thread_id).timeout
                    return await entry.tools.call(tool, raw, limit=limit)
        handlers = self.handlers_for(thread_id)
        handler = getattr(handlers, kind.attr)
        if handler is None:
            return kind.default(raw)
        return await self._run_handler(kind, handler, handlers.timeout, raw, thread_id, turn_id)

    async def _run_handler(
        self,
        kind: _Kind,
        handler: Callable[[Any], Any],
        limit: float | None,
        raw: Mapping[str, Any],
        thread_id: str | None,
        turn_id: str | None,
    ) -> Any:
        params_model = _model(kind.params_model)
        typed: Any = raw
        if params_model is not None:
            try:
                typed = params_model.model_validate(raw)
            except ValidationError as exc:
                return self._fail(kind, raw, thread_id, turn_id, "invalid_params", str(exc), exc)
        try:
            with anyio.fail_after(limit):
                answer = await call_maybe_async(handler, typed)
        except TimeoutError as exc:
            return self._fail(
                kind,
                raw,
                thread_id,
                turn_id,
                "timeout",
                f"handler {kind.attr} gave no answer within {limit} s",
                exc,
            )
        except Exception as exc:
            return self._fail(
                kind,
                raw,
                thread_id,
                turn_id,
                "exception",
                f"handler {kind.attr} raised {type(exc).__name__}: {exc}",
                exc,
            )
        try:
            wire = _dump(kind.wrap(_dump(answer)))
            response_model = _model(kind.response_model)
            if response_model is not None:
                response_model.model_validate(wire)
            elif not isinstance(wire, Mapping):
                raise TypeError(f"expected a mapping, got {type(wire).__name__}")
        except (ValidationError, TypeError, ValueError) as exc:
            return self._fail(
                kind,
                raw,
                thread_id,
                turn_id,
                "invalid_answer",
                f"handler {kind.attr} returned an invalid answer {answer!r}: {exc}",
                exc,
            )
        return wire

    def _fail(
        self,
        kind: _Kind,
        raw: Mapping[str, Any],
        thread_id: str | None,
        turn_id: str | None,
        reason: Literal["exception", "timeout", "invalid_answer", "invalid_params"],
        message: str,
        exc: BaseException | None,
    ) -> Any:
        error_answer: _ErrorAnswer | None = None
        try:
            answer = kind.default(raw)
        except _ErrorAnswer as err:
            error_answer = err
            answer = {"error": {"code": err.code, "message": err.message}}
        logger.error(
            "%s (thread %s, turn %s); sending the safe default %s",
            message,
            thread_id,
            turn_id,
            redact(answer),
            exc_info=exc if reason == "exception" else None,
        )
        if self.on_error is not None:
            failure = HandlerFailure(
                method=kind.method,
                thread_id=thread_id,
                turn_id=turn_id,
                reason=reason,
                message=message,
                answer=answer,
                exception=exc,
            )
            try:
                self.on_error(failure)
            except Exception:  # pragma: no cover - a broken observer must not break answers
                logger.exception("on_error observer raised")
        if error_answer is not None:
            raise error_answer
        return answer
