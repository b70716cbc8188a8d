"""The client's host-control state: handlers, tools, structured output and turn spans.

``AsyncCodex`` owns one :class:`HostControl`; its seams (``_answer_server_request``,
``_output_schema_wire``, ``_finalize_result``, thread start/resume/fork, turn start) call
into it, so the facade files only carry one-line hooks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .handlers import HandlerFailure, ServerRequestDispatcher, ServerRequestHandlers
from .structured import output_schema_for
from .tools import Tool, ToolSet
from .tracing import (
    activate,
    configure_logging_from_env,
    get_logger,
    mark_span_error,
    otel_available,
    set_span_attributes,
)

if TYPE_CHECKING:
    from ._async_client import AsyncCodex
    from ._async_thread import AsyncTurnHandle
    from ._results import TurnResult

__all__ = ["HANDLER_FAILED_METHOD", "HostControl"]

logger = get_logger("host")

HANDLER_FAILED_METHOD = "openai_codex/handlerFailed"
"""Method of the synthetic notification put on a turn's stream when a handler failed.

Its params: ``threadId``, ``turnId``, ``request`` (the server-request method), ``reason``
(``exception``/``timeout``/``invalid_answer``/``invalid_params``), ``message`` and
``answer`` (the safe default that was sent instead)."""

ToolsArg = Sequence["Tool[Any] | Any"] | ToolSet | None


class HostControl:
    def __init__(self, codex: AsyncCodex, handlers: ServerRequestHandlers | None) -> None:
        configure_logging_from_env()
        self._codex = codex
        self._turn_spans: dict[str, Any] = {}
        self.dispatcher = ServerRequestDispatcher(
            handlers, on_error=self._on_handler_failure, turn_span=self._turn_spans.get
        )

    # -- handlers -------------------------------------------------------------------
    @property
    def handlers(self) -> ServerRequestHandlers:
        return self.dispatcher.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        self.dispatcher.handlers = value if value is not None else ServerRequestHandlers()

    def _on_handler_failure(self, failure: HandlerFailure) -> None:
        if failure.turn_id is None:
            return
        params = {
            "threadId": failure.thread_id,
            "turnId": failure.turn_id,
            "request": failure.method,
            "reason": failure.reason,
            "message": failure.message,
            "answer": failure.answer,
        }
        try:
            self._codex._router.push_to_turn(failure.turn_id, HANDLER_FAILED_METHOD, params)
        except Exception:  # pragma: no cover - reporting must never break the answer
            logger.exception("could not report a handler failure on the turn's stream")

    # -- threads --------------------------------------------------------------------
    @staticmethod
    def toolset(tools: ToolsArg) -> ToolSet | None:
        if tools is None:
            return None
        return tools if isinstance(tools, ToolSet) else ToolSet(tools)

    @staticmethod
    def dynamic_tools_extra(toolset: ToolSet | None) -> dict[str, Any] | None:
        """``extra`` for ``_open_thread``: the ``dynamicTools`` specs (thread/start only)."""
        if toolset is None or len(toolset) == 0:
            return None
        return {"dynamicTools": toolset.specs()}

    def register_thread(
        self,
        thread_id: str,
        handlers: ServerRequestHandlers | None,
        toolset: ToolSet | None,
    ) -> None:
        if handlers is not None or toolset is not None:
            self.dispatcher.set_thread(thread_id, handlers=handlers, tools=toolset)

    # -- structured output ----------------------------------------------------------
    @staticmethod
    def output_schema_wire(output_schema: Any) -> Any:
        spec = output_schema_for(output_schema)
        return None if spec is None else spec.schema

    @staticmethod
    def finalize(handle: AsyncTurnHandle, result: TurnResult) -> TurnResult:
        """Set ``result.parsed`` for a turn run with ``output_schema`` (may raise
        ``StructuredOutputError``)."""
        spec = output_schema_for(getattr(handle, "_output_schema", None))
        if spec is None:
            return result
        return dataclasses.replace(result, parsed=spec.parse(result.final_response))

    # -- turn spans -----------------------------------------------------------------
    @staticmethod
    def start_turn_span(thread_id: str, params: dict[str, Any]) -> Any:
        """A started (not current) ``codex.turn`` span, or ``None`` without OpenTelemetry."""
        if not otel_available():
            return None
        from .tracing import _tracer

        model = params.get("model")
        attributes: dict[str, Any] = {"codex.thread_id": thread_id}
        if isinstance(model, str):
            attributes["codex.model"] = model
        return _tracer().start_span("codex.turn", attributes=attributes)

    @staticmethod
    @contextmanager
    def use_span(span: Any) -> Iterator[None]:
        """Make ``span`` current (so requests carry its trace context); on an error the
        span is marked failed and ended."""
        if span is None:
            yield
            return
        try:
            with activate(span):
                yield
        except BaseException as exc:
            mark_span_error(span, f"{type(exc).__name__}: {exc}")
            span.end()
            raise

    def attach_span(self, handle: AsyncTurnHandle, span: Any) -> None:
        if span is None:
            return
        set_span_attributes(span, turn_id=handle.id)
        handle._host_span = span  # type: ignore[attr-defined]
        self._turn_spans.setdefault(handle.id, span)

    def turn_completed(self, handle: AsyncTurnHandle, params: dict[str, Any]) -> None:
        """End the handle's turn span with the turn's final status."""
        span = getattr(handle, "_host_span", None)
        if span is None:
            return
        handle._host_span = None  # type: ignore[attr-defined]
        if self._turn_spans.get(handle.id) is span:
            del self._turn_spans[handle.id]
        turn = params.get("turn") if isinstance(params, dict) else None
        status = turn.get("status") if isinstance(turn, dict) else None
        set_span_attributes(span, turn_status=status if isinstance(status, str) else None)
        if status == "failed":
            error = turn.get("error") if isinstance(turn, dict) else None
            message = error.get("message") if isinstance(error, dict) else None
            mark_span_error(span, str(message or "turn failed"))
        span.end()
