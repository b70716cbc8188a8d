from __future__ import annotations

import logging
from typing import Any

import pytest

from openai_codex import tracing


def test_redact_masks_secrets_and_keeps_the_rest() -> None:
    value = {
        "type": "apiKey",
        "apiKey": "sk-123",
        "nested": [{"accessToken": "a", "idToken": "b", "Authorization": "Bearer x"}],
        "tokenUsage": {"inputTokens": 3},
        "text": "x" * 30,
    }
    out = tracing.redact(value, max_string=10)
    assert out["apiKey"] == tracing.REDACTED
    assert out["nested"][0] == {
        "accessToken": tracing.REDACTED,
        "idToken": tracing.REDACTED,
        "Authorization": tracing.REDACTED,
    }
    assert out["tokenUsage"] == {"inputTokens": 3}
    assert out["type"] == "apiKey"
    assert out["text"].startswith("x" * 10)
    assert "20 more chars" in out["text"]
    assert value["apiKey"] == "sk-123"  # the input is not modified


def test_env_var_turns_on_debug_output(capsys: pytest.CaptureFixture[str]) -> None:
    loggers = [logging.getLogger(n) for n in tracing.SDK_LOGGER_NAMES]
    saved = [(lg.level, list(lg.handlers)) for lg in loggers]
    try:
        assert tracing.configure_logging_from_env({}) is None
        assert tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": "debug"}) == logging.DEBUG
        assert tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": "debug"}) == logging.DEBUG
        for lg in loggers:
            assert lg.level == logging.DEBUG
            assert sum(1 for h in lg.handlers if h is tracing._env_handler) == 1
        tracing.get_logger("handlers").debug("hello %s", "there")
        assert "DEBUG openai_codex.handlers: hello there" in capsys.readouterr().err
        assert (
            tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": "warning"}) == logging.WARNING
        )
        tracing.get_logger("handlers").info("quiet")
        assert "quiet" not in capsys.readouterr().err
    finally:
        for lg, (level, handlers) in zip(loggers, saved, strict=True):
            lg.setLevel(level)
            lg.handlers[:] = handlers


def test_no_span_means_no_trace_context() -> None:
    assert tracing.current_trace_context() is None


def test_turn_span_sets_the_trace_context(span_exporter: Any) -> None:
    with tracing.turn_span(thread_id="th1", model="m") as span:
        ctx = tracing.current_trace_context()
        tracing.set_span_attributes(span, turn_id="tu1", status="completed")
    assert ctx is not None
    version, trace_id, span_id, flags = ctx["traceparent"].split("-")
    assert version == "00"
    assert flags == "01"  # only the level-1 sampled bit: the runtime ignores "03"
    assert len(trace_id) == 32
    assert len(span_id) == 16
    (finished,) = span_exporter.get_finished_spans()
    assert finished.name == "codex.turn"
    assert format(finished.context.trace_id, "032x") == trace_id
    assert format(finished.context.span_id, "016x") == span_id
    assert finished.attributes["codex.thread_id"] == "th1"
    assert finished.attributes["codex.turn_id"] == "tu1"
    assert tracing.current_trace_context() is None


def test_tool_span_records_errors(span_exporter: Any) -> None:
    with tracing.tool_span(tool="add", call_id="c1") as span:
        tracing.mark_span_error(span, "boom")
    (finished,) = span_exporter.get_finished_spans()
    assert finished.name == "codex.tool_call"
    assert finished.attributes["codex.tool.name"] == "add"
    assert finished.status.description == "boom"


def test_traceparent_flags_are_level_1() -> None:
    tid = "0af7651916cd43dd8448eb211c80319c"
    assert (
        tracing._level1_traceparent(f"00-{tid}-b7ad6b7169203331-03")
        == f"00-{tid}-b7ad6b7169203331-01"
    )
    assert (
        tracing._level1_traceparent(f"00-{tid}-b7ad6b7169203331-02")
        == f"00-{tid}-b7ad6b7169203331-00"
    )
    assert tracing._level1_traceparent("garbage") == "garbage"
    assert tracing._level1_traceparent(None) is None
