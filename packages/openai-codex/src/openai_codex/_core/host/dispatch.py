"""The dispatcher: runs the right handler for each server request, with a timeout,
typed params, answer validation, the fail-closed fallback and logging.

Logs go to ``openai_codex.handlers`` (the public module's logger name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from pydantic import BaseModel, ValidationError

from openai_codex_transport.redaction import redact_text
from openai_codex_types import CodexUnion

from ...tracing import activate, get_logger, redact
from .closed_answer import unknown_value
from .handler_types import FailureReason, HandlerFailure, ServerRequestHandlers
from .kinds import KINDS, ErrorAnswer, RequestKind, to_rpc_error, unsupported
from .maybe_async import AbandonedCallsError, call_maybe_async

if TYPE_CHECKING:
    from ...tools import Tool, ToolSet

__all__ = ["ServerRequestDispatcher"]

logger = get_logger("handlers")


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
    ``item_of(item_id)`` may give the running item a request refers to (a file-change
    approval's handler then sees the item's changes: ``FileChangeApproval``).
    """

    def __init__(
        self,
        handlers: ServerRequestHandlers | None = None,
        *,
        on_error: Callable[[HandlerFailure], None] | None = None,
        turn_span: Callable[[str], Any] | None = None,
        item_of: Callable[[object], Mapping[str, Any] | None] | None = None,
    ) -> None:
        self.handlers = handlers if handlers is not None else ServerRequestHandlers()
        self.item_of = item_of
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
        from ...tools import ToolSet

        entry = self._threads.setdefault(thread_id, _ThreadEntry())
        if handlers is not None:
            entry.handlers = handlers
        if tools is not None:
            entry.tools = tools if isinstance(tools, ToolSet) else ToolSet(tools)

    def forget_thread(self, thread_id: str) -> None:
        """Drop ``thread_id``'s handlers and tools."""
        self._threads.pop(thread_id, None)

    def forget_threads(self) -> None:
        """Drop every thread's handlers and tools."""
        self._threads.clear()

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
        kind = KINDS.get(method)
        if kind is None:
            logger.warning("unsupported server request %s; answering method-not-found", method)
            raise to_rpc_error(unsupported(method))
        raw = params if isinstance(params, Mapping) else {}
        thread_id, turn_id = _thread_and_turn(raw)
        logger.debug("server request %s: %s", method, redact(raw))
        parent = self.turn_span(turn_id) if self.turn_span is not None and turn_id else None
        try:
            with activate(parent):
                answer = await self._answer(kind, raw, thread_id, turn_id)
        except ErrorAnswer as exc:
            logger.debug("server request %s answered with error %s", method, exc.message)
            raise to_rpc_error(exc) from None
        logger.debug("server request %s answered: %s", method, redact(answer))
        return answer

    async def _answer(
        self, kind: RequestKind, raw: Mapping[str, Any], thread_id: str | None, turn_id: str | None
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
        kind: RequestKind,
        handler: Callable[[Any], Any],
        limit: float | None,
        raw: Mapping[str, Any],
        thread_id: str | None,
        turn_id: str | None,
    ) -> Any:
        try:
            typed: Any
            if kind.attr == "file_change_approval":
                from .approval_params import file_change_approval

                item = self.item_of(raw.get("itemId")) if self.item_of is not None else None
                typed = file_change_approval(raw, item)
            else:
                typed = kind.params_model.model_validate(raw)
            if isinstance(typed, CodexUnion):  # a union of params: the handler sees its variant
                typed = typed.root
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
                f"handler {kind.attr}: {exc}"
                if isinstance(exc, AbandonedCallsError)
                else f"handler {kind.attr} gave no answer within {limit} s",
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
            unknown = unknown_value(kind.response_model.model_validate(wire))
            if unknown is not None:  # open enums are for input; answers are closed
                raise ValueError(f"{unknown} is not a value of the protocol")
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
        kind: RequestKind,
        raw: Mapping[str, Any],
        thread_id: str | None,
        turn_id: str | None,
        reason: FailureReason,
        message: str,
        exc: BaseException | None,
    ) -> Any:
        error_answer: ErrorAnswer | None = None
        try:
            answer = kind.default(raw)
        except ErrorAnswer as err:
            error_answer = err
            answer = {"error": {"code": err.code, "message": err.message}}
        # the user's handler failed: WARNING, one redacted line; an exception's traceback
        # at DEBUG. The handlerFailed event carries the redacted text too.
        message = redact_text(message)
        logger.warning(
            "%s (thread %s, turn %s); sending the safe default %s",
            message,
            thread_id,
            turn_id,
            redact(answer),
        )
        if reason == "exception" and exc is not None:
            from ...tools import _redacted_traceback

            logger.debug("handler %s traceback:\n%s", kind.attr, _redacted_traceback(exc))
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
