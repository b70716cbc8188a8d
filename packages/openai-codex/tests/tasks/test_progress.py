"""Progress: plain lines off a terminal, the rich live view on one."""

from __future__ import annotations

import io

from openai_codex.tasks import PlainProgress, RichProgress, TaskResult, Tokens, make_progress


def _result(task_id: str, status: str, tokens: int = 0) -> TaskResult:
    return TaskResult(
        id=task_id,
        status=status,  # type: ignore[arg-type]
        passed=status == "passed",
        duration_s=1.25,
        tokens=Tokens(total=tokens),
        error=None if status == "passed" else "the check exited 1",
    )


def test_plain_lines_for_a_pipe() -> None:
    out = io.StringIO()
    progress = make_progress("auto", out)
    assert isinstance(progress, PlainProgress)
    progress.start(3, [_result("old", "passed")], 2)
    progress.started("a")
    progress.finished(_result("a", "passed", 1234))
    progress.started("b")
    progress.finished(_result("b", "failed"))
    progress.stop()
    lines = out.getvalue().splitlines()
    assert lines == [
        "tasks: 3 in the set, 1 already done (resumed), at most 2 at once",
        "[2/3] passed    a · 1.2 s · 1,234 tokens",
        "[3/3] failed    b · 1.2 s · the check exited 1",
    ]


def test_rich_view_counts_and_lines() -> None:
    from rich.console import Console

    out = io.StringIO()
    progress = RichProgress(Console(file=out, force_terminal=True, width=100))
    progress.start(2, [], 2)
    progress.started("a")
    progress.started("b")
    progress.finished(_result("a", "passed", 10))
    progress.finished(_result("b", "timed_out"))
    progress.stop()
    text = out.getvalue()
    assert "passed    a" in text
    assert "timed_out b" in text
    assert "2/2 done · 0 running · 1 passed · 0 failed · 1 timed out · 10 tokens" in text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_picks_rich_on_a_terminal_and_none_is_silent() -> None:
    assert isinstance(make_progress("auto", _Terminal()), RichProgress)
    out = io.StringIO()
    quiet = make_progress("none", out)
    quiet.start(1, [], 1)
    quiet.finished(_result("a", "passed"))
    quiet.stop()
    assert out.getvalue() == ""
