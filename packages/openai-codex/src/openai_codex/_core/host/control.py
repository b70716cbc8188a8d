"""The client's host control: handlers, tools, structured output and turn spans.

``AsyncCodex`` owns one :class:`HostControl` (made on first use): it answers server
requests through its dispatcher, keeps each thread's handlers and tools until the thread
is archived or the client closed, makes output schemas strict and parses structured
results, and owns the ``codex.turn`` spans of running turns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ...tracing import (
    activate,
    get_logger,
    mark_span_error,
    otel_available,
    set_span_attributes,
)
from ..turns.log import log_server_request

if TYPE_CHECKING:
    from typing import TypeAlias

    from ...tools import Tool, ToolSet
    from ..turns.results import TurnResult
    from .dispatch import ServerRequestDispatcher
    from .handler_types import HandlerFailure, ServerRequestHandlers

__all__ = [
    "HANDLER_FAILED_METHOD",
    "SERVER_REQUEST_ANSWERED_METHOD",
    "SERVER_REQUEST_METHOD",
    "HostControl",
]

logger = get_logger("host")

HANDLER_FAILED_METHOD = "openai_codex/handlerFailed"
"""Method of the synthetic notification put on a turn's stream when a handler failed.

Its params: ``threadId``, ``turnId``, ``request`` (the server-request method), ``reason``
(``exception``/``timeout``/``invalid_answer``/``invalid_params``), ``message`` and
``answer`` (the safe default that was sent instead)."""

SERVER_REQUEST_METHOD = "openai_codex/serverRequest"
"""Method of the synthetic notification put on a turn's stream when the runtime asks the
host something for that turn (an approval, a question), before the handler runs.

Its params: ``threadId``, ``turnId``, ``request`` (the server-request method) and
``params`` (the request's raw params)."""

SERVER_REQUEST_ANSWERED_METHOD = "openai_codex/serverRequestAnswered"
"""Method of the synthetic notification put on the turn's stream once that request is
answered: ``threadId``, ``turnId``, ``request``, ``params`` and ``answer`` (what was sent)."""

#: what ``tools=`` takes: ``@tool`` functions and ``Tool`` objects, or a ``ToolSet`` (None: none)
ToolsArg: TypeAlias = "Sequence[Tool[Any] | Any] | ToolSet | None"


class HostControl:
    """Handlers, tools, structured output and turn spans of one client."""

    def __init__(
        self,
        push_to_turn: Callable[[str, str, dict[str, Any]], None],
        handlers: ServerRequestHandlers | None,
        *,
        item_of: Callable[[object], dict[str, Any] | None] | None = None,
    ) -> None:
        self._push_to_turn = push_to_turn
        self._item_of = item_of
        self._turn_spans: dict[str, Any] = {}
        # made on first use: a client whose threads have no handlers or tools and which
        # gets no server request never loads the dispatcher (first-turn latency)
        self._initial_handlers = handlers
        self._dispatcher: ServerRequestDispatcher | None = None

    @property
    def dispatcher(self) -> ServerRequestDispatcher:
        """The server-request dispatcher (handlers per client and thread, tools)."""
        dispatcher = self._dispatcher
        if dispatcher is None:
            from .dispatch import ServerRequestDispatcher

            dispatcher = self._dispatcher = ServerRequestDispatcher(
                self._initial_handlers,
                on_error=self._on_handler_failure,
                turn_span=self._turn_spans.get,
                item_of=self._item_of,
            )
            self._initial_handlers = None
        return dispatcher

    # -- handlers -------------------------------------------------------------------
    @property
    def handlers(self) -> ServerRequestHandlers:
        return self.dispatcher.handlers

    @handlers.setter
    def handlers(self, value: ServerRequestHandlers | None) -> None:
        if value is None:
            from .handler_types import ServerRequestHandlers

            value = ServerRequestHandlers()
        self.dispatcher.handlers = value

    async def answer_server_request(self, method: str, params: dict[str, Any]) -> Any:
        """Answer one server request; a turn's requests are shown on its stream (asked,
        then answered) and logged at INFO on ``openai_codex.turns``."""
        turn_id = params.get("turnId")
        if not isinstance(turn_id, str) or method == "item/tool/call":  # tools have items
            return await self.dispatcher.dispatch(method, params)
        event = {"threadId": params.get("threadId"), "turnId": turn_id, "request": method}
        event["params"] = params
        self._push_quietly(turn_id, SERVER_REQUEST_METHOD, event)
        answer = await self.dispatcher.dispatch(method, params)
        log_server_request(method, params, answer)
        self._push_quietly(turn_id, SERVER_REQUEST_ANSWERED_METHOD, {**event, "answer": answer})
        return answer

    def _push_quietly(self, turn_id: str, method: str, params: dict[str, Any]) -> None:
        try:
            self._push_to_turn(turn_id, method, params)
        except Exception:  # pragma: no cover - reporting must never break the answer
            logger.exception("could not put %s on the turn's stream", method)

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
            self._push_to_turn(failure.turn_id, HANDLER_FAILED_METHOD, params)
        except Exception:  # pragma: no cover - reporting must never break the answer
            logger.exception("could not report a handler failure on the turn's stream")

    # -- threads --------------------------------------------------------------------
    def toolset(self, tools: ToolsArg) -> ToolSet | None:
        """``tools`` as a :class:`ToolSet` (``None`` for none given)."""
        if tools is None:
            return None
        from ...tools import ToolSet

        return tools if isinstance(tools, ToolSet) else ToolSet(tools)

    def register_thread(
        self,
        thread_id: str,
        handlers: ServerRequestHandlers | None,
        toolset: ToolSet | None,
    ) -> None:
        """Give a thread its own handlers and tools (kept until :meth:`forget_thread`)."""
        if handlers is not None or toolset is not None:
            self.dispatcher.set_thread(thread_id, handlers=handlers, tools=toolset)

    def forget_thread(self, thread_id: str) -> None:
        """Release a thread's handlers and tools (it was archived)."""
        if self._dispatcher is not None:
            self._dispatcher.forget_thread(thread_id)

    def forget_threads(self) -> None:
        """Release every thread's handlers and tools (the client closed)."""
        if self._dispatcher is not None:
            self._dispatcher.forget_threads()

    # -- structured output ----------------------------------------------------------
    def output_schema_wire(self, output_schema: Any) -> Any:
        """The wire ``outputSchema`` for ``run(..., output_schema=...)`` (made strict)."""
        from ...structured import output_schema_for

        spec = output_schema_for(output_schema)
        return None if spec is None else spec.schema

    def finalize(self, output_schema: Any, result: TurnResult) -> TurnResult:
        """Set ``result.parsed`` for a turn run with ``output_schema`` (may raise
        ``StructuredOutputError``)."""
        from ...structured import StructuredOutputError, output_schema_for

        spec = output_schema_for(output_schema)
        if spec is None:
            return result

        try:
            parsed = spec.parse(result.final_response)
        except StructuredOutputError as exc:
            exc.result = result  # the turn's items, usage and id stay reachable
            raise
        return dataclasses.replace(result, parsed=parsed)

    # -- turn spans -----------------------------------------------------------------
    def start_turn_span(self, thread_id: str, params: dict[str, Any]) -> Any:
        """A started (not current) ``codex.turn`` span, or ``None`` without OpenTelemetry."""
        if not otel_available():
            return None
        from ...tracing import _tracer

        model = params.get("model")
        attributes: dict[str, Any] = {"codex.thread_id": thread_id}
        if isinstance(model, str):
            attributes["codex.model"] = model
        return _tracer().start_span("codex.turn", attributes=attributes)

    @contextmanager
    def use_span(self, span: Any) -> Iterator[None]:
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

    def attach_span(self, turn_id: str, span: Any) -> Any:
        """Record ``span`` as the turn's (handlers run inside it); returns it for the handle."""
        if span is None:
            return None
        set_span_attributes(span, turn_id=turn_id)
        self._turn_spans.setdefault(turn_id, span)
        return span

    def end_turn_span(self, turn_id: str, span: Any, params: dict[str, Any]) -> None:
        """End a turn's span with the turn's final status (from ``turn/completed``)."""
        if self._turn_spans.get(turn_id) is span:
            del self._turn_spans[turn_id]
        turn = params.get("turn") if isinstance(params, dict) else None
        status = turn.get("status") if isinstance(turn, dict) else None
        set_span_attributes(span, turn_status=status if isinstance(status, str) else None)
        if status == "failed":
            error = turn.get("error") if isinstance(turn, dict) else None
            message = error.get("message") if isinstance(error, dict) else None
            mark_span_error(span, str(message or "turn failed"))
        span.end()
