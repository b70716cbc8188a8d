"""Hook runs in the console renderer and in the INFO log (one line per run)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from openai_codex._core.turns.log import log_turn_event
from openai_codex.console._view import Print, TurnView


def completed(status: str, entries: list[dict[str, str]], ms: int = 7) -> dict[str, Any]:
    """A ``hook/completed`` as runtime 0.163.0 sends it (captured, ids shortened)."""
    return {
        "threadId": "thr",
        "turnId": "turn",
        "run": {
            "id": "pre-tool-use:0:/<session-flags>/config.toml:call_1",
            "eventName": "preToolUse",
            "handlerType": "command",
            "executionMode": "sync",
            "scope": "turn",
            "source": "sessionFlags",
            "sourcePath": "/<session-flags>/config.toml",
            "displayOrder": 0,
            "startedAt": 1796588724,
            "completedAt": 1796588724,
            "durationMs": ms,
            "status": status,
            "entries": entries,
        },
    }


def test_renderer_shows_each_hook_run() -> None:
    view = TurnView()
    (blocked,) = view.feed(
        "hook/completed", completed("blocked", [{"kind": "feedback", "text": "no rm -rf"}])
    )
    assert isinstance(blocked, Print)
    assert [(line.text, line.style) for line in blocked.lines] == [
        ("hook preToolUse: blocked (7 ms): no rm -rf", "yellow")
    ]
    (quiet,) = view.feed("hook/completed", completed("completed", [], ms=1500))
    assert isinstance(quiet, Print)
    assert [(line.text, line.style) for line in quiet.lines] == [
        ("hook preToolUse: completed (1.5 s)", "dim")
    ]


def test_info_log_has_one_line_per_hook_run(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="openai_codex.turns")
    log_turn_event("hook/started", {"turnId": "turn", "run": {"eventName": "preToolUse"}})
    log_turn_event(
        "hook/completed",
        completed(
            "blocked", [{"kind": "feedback", "text": "key sk-proj-abcdefghijklmnopqrstuv0123"}]
        ),
    )
    log_turn_event("hook/completed", completed("failed", [{"kind": "error", "text": "exit 1"}]))
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines[0][0] == "INFO"
    assert lines[0][1].startswith("turn turn: hook preToolUse blocked (7 ms): feedback: key ")
    assert "sk-proj-abcdefghijklmnopqrstuv0123" not in lines[0][1]  # redacted
    assert lines[1] == ("WARNING", "turn turn: hook preToolUse failed (7 ms): error: exit 1")
    assert len(lines) == 2
