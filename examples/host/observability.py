"""Observability: SDK debug logs, and OpenTelemetry traces the runtime joins.

    OPENAI_CODEX_LOG=debug python examples/host/observability.py

- ``OPENAI_CODEX_LOG=debug`` (or ``info``...) prints the SDK's logs (loggers
  ``openai_codex.*``, ``openai_codex_transport``) on stderr; secrets are redacted.
- With OpenTelemetry installed (``pip install 'openai-codex[otel]' opentelemetry-sdk``),
  every turn gets a ``codex.turn`` span and every ``@tool`` call a ``codex.tool_call`` span,
  and each request carries the current trace context in the JSON-RPC ``trace`` member. A
  runtime whose own tracing is on (``[otel] trace_exporter`` in its config) then continues
  your trace: its spans, and the ``traceparent`` header of its model requests, carry your
  trace id. Here the runtime exports to the loopback offline model (any OTLP/HTTP collector
  in real life), which also lets us show the header it sent to the model.
"""

from __future__ import annotations

import sys

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from openai_codex import Codex
from openai_codex.testing import OfflineModel, Reply
from openai_codex.tools import tool


@tool
def lookup_ticket(ticket_id: int) -> str:
    """Look up a support ticket."""
    return f"ticket {ticket_id}: printer on fire"


def main() -> int:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    tracer = trace.get_tracer("helpdesk-app")

    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call("lookup_ticket", {"ticket_id": 7}),
            Reply.text("Ticket 7 is a printer fire."),
        )
        runtime_tracing = (
            "otel.trace_exporter={otlp-http={endpoint="
            f'"http://127.0.0.1:{model.port}/v1/traces", protocol="json"}}}}'
        )
        config = model.codex_config(config_overrides=(runtime_tracing,))
        with tracer.start_as_current_span("handle-ticket") as root, Codex(config) as codex:
            thread = codex.thread_start(tools=[lookup_ticket])
            result = thread.run("What is ticket 7 about?")
        print(f"answer: {result.final_response}")
        trace_id = format(root.get_span_context().trace_id, "032x")
        print(f"our trace id: {trace_id}")
        for span in exporter.get_finished_spans():
            same = format(span.context.trace_id, "032x") == trace_id
            print(f"span {span.name} (same trace: {same})")
        header = model.response_requests[0].headers.get("traceparent", "")
        print(f"runtime's model request continues our trace: {trace_id in header}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
