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


PROBE_COUNT_SCRIPT = r"""
import sys

attempts = []

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            attempts.append(name)
            raise ImportError("opentelemetry is blocked in this test")

sys.meta_path.insert(0, Block())
from openai_codex import tracing

assert all(tracing.current_trace_context() is None for _ in range(1000))
before_probe = len(attempts)
assert tracing.otel_available() is False
after_probe = len(attempts)
assert all(tracing.current_trace_context() is None for _ in range(1000))
print(before_probe, after_probe, len(attempts))
"""


def test_trace_context_without_opentelemetry_never_retries_the_import() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", PROBE_COUNT_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    before_probe, after_probe, total = map(int, proc.stdout.split())
    assert before_probe == 0  # nothing imported opentelemetry: no import attempt at all
    assert after_probe == 1  # the one probe
    assert total == 1  # 1000 more requests: still that one attempt


def test_trace_context_does_not_import_opentelemetry_for_the_application() -> None:
    import subprocess
    import sys

    pytest.importorskip("opentelemetry.trace")
    script = (
        "import sys\n"
        "from openai_codex import tracing\n"
        "assert tracing.current_trace_context() is None\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "[]"
