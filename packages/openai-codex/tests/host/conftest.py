"""Shared fixtures of the host-control tests (handlers, tools, structured output, tracing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_PROVIDER: dict[str, Any] = {}


@pytest.fixture
def span_exporter() -> Iterator[Any]:
    """An in-memory OpenTelemetry exporter on a global tracer provider (set once per process)."""
    sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
    export = pytest.importorskip("opentelemetry.sdk.trace.export")
    in_memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")
    from opentelemetry import trace

    if "exporter" not in _PROVIDER:
        exporter = in_memory.InMemorySpanExporter()
        provider = sdk_trace.TracerProvider()
        provider.add_span_processor(export.SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        _PROVIDER["exporter"] = exporter
        _PROVIDER["provider"] = provider
    if trace.get_tracer_provider() is not _PROVIDER["provider"]:
        pytest.skip("another test installed a different global tracer provider")
    exporter = _PROVIDER["exporter"]
    exporter.clear()
    yield exporter
    exporter.clear()
