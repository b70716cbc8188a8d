"""openai_codex.console: a recorded turn rendered to a fixed-width terminal (TTY and not),
the same turn live through the real runtime, progress=True, the notebook reprs, and
import hygiene (``import openai_codex`` never loads rich)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from rich.console import Console
from rich.pretty import pretty_repr

from openai_codex import ApprovalMode, AsyncCodex, Codex, Sandbox, TurnFailedError
from openai_codex.console import TurnRenderer, render
from openai_codex.testing import OfflineModel, Reply

#: What the recorded turn shows, TTY or not (the live region is gone at the end).
EXPECTED = """\
> Make greet.py greet the world
thinking: Check the script before changing it.
Let me look at the script.
$ cat greet.py; exit 3
  print("hello")
  exit 3 · 8 ms
? approve changes to greet.py
  -> accept
edit greet.py
  @@ -1 +1 @@
  -print("hello")
  +print("hello, world")
tool add(a=2, b=3) -> 5
I changed greet.py to print a full greeting.
-- completed in 0.5 s · 1,285 tokens (1,230 in, 55 out)
"""

FAILED_TURN = Path(__file__).parents[1] / "testing" / "fixtures" / "failed_turn_notifications.jsonl"


def _without_timings(text: str) -> str:
    # (this machine's login shell runs `pyenv rehash`, which complains into a command's
    # output when another shell holds its lock: the host's noise, not the renderer's)
    text = re.sub(r"(?m)^ *pyenv: cannot rehash: .*\n", "", text)
    text = re.sub(r"\b\d+ ms\b", "N ms", text)
    return re.sub(r"\bin \d+\.\d s\b", "in N s", text)


class Clock:
    """A console clock the test moves: spinner frames and elapsed times are fixed."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _tty() -> tuple[Console, io.StringIO, Clock]:
    clock = Clock()
    out = io.StringIO()
    console = Console(
        file=out, force_terminal=True, width=80, get_time=clock, color_system="standard"
    )
    return console, out, clock


# -- the recorded turn -----------------------------------------------------------------------


def test_recorded_turn_as_plain_lines(scripted: Any) -> None:
    out = io.StringIO()
    renderer = TurnRenderer(file=out, cwd=scripted.PROJECT)
    assert renderer.plain  # a StringIO is not a terminal
    with renderer:
        for event in scripted.events():
            renderer.feed(event)
    assert out.getvalue() == EXPECTED
    assert "\x1b" not in out.getvalue()


def test_recorded_turn_on_a_terminal_shows_the_same_text_with_colours(
    scripted: Any, terminal_screen: Any
) -> None:
    console, out, clock = _tty()
    renderer = TurnRenderer(console, cwd=scripted.PROJECT, auto_refresh=False)
    assert not renderer.plain
    with renderer:
        for event in scripted.events():
            clock.now += 0.25
            renderer.feed(event)
    raw = out.getvalue()
    assert terminal_screen(raw) == EXPECTED
    assert "\x1b[32m" in raw  # green: an added diff line
    assert "\x1b[31m" in raw  # red: a removed diff line, the failing exit code


def _frames_until(scripted: Any, terminal_screen: Any, predicate: Any) -> str:
    """Feed the recording until ``predicate(method, params)``; the screen at that moment."""
    console, out, clock = _tty()
    renderer = TurnRenderer(console, cwd=scripted.PROJECT, auto_refresh=False)
    renderer.start()
    try:
        for method, params in scripted.events():
            clock.now += 0.5
            renderer.feed((method, params))
            if predicate(method, params):
                clock.now += 2.0
                renderer.refresh()
                shown: str = terminal_screen(out.getvalue())
                return shown
    finally:
        renderer.stop()
    raise AssertionError("the predicate never matched")


def test_live_region_while_a_command_runs(scripted: Any, terminal_screen: Any) -> None:
    shown = _frames_until(
        scripted,
        terminal_screen,
        lambda m, p: m == "item/started" and p["item"]["type"] == "commandExecution",
    )
    *_, command, spinner = shown.rstrip("\n").split("\n")
    assert command == "$ cat greet.py; exit 3"
    assert re.fullmatch(r"\S running cat greet\.py; exit 3 · \d+\.\d s", spinner)


def test_live_region_while_text_streams_and_while_waiting_for_approval(
    scripted: Any, terminal_screen: Any
) -> None:
    shown = _frames_until(
        scripted,
        terminal_screen,
        lambda m, p: m == "item/agentMessage/delta" and p["delta"].startswith("reet"),
    )
    *_, text, spinner = shown.rstrip("\n").split("\n")
    assert text == "I changed greet.py to"  # the screen keeps no trailing space
    assert re.fullmatch(r"\S writing · \d+\.\d s · 45 tokens", spinner)

    shown = _frames_until(scripted, terminal_screen, lambda m, p: m == "openai_codex/serverRequest")
    *_, question, spinner = shown.rstrip("\n").split("\n")
    assert question == "? approve changes to greet.py"
    assert re.fullmatch(r"\S waiting for approval · \d+\.\d s · 23 tokens", spinner)


def test_failed_turn_shows_the_runtime_error() -> None:
    out = io.StringIO()
    with TurnRenderer(file=out) as renderer:
        for line in FAILED_TURN.read_text().splitlines():
            event = json.loads(line)
            renderer.feed((event["method"], event["params"]))
    assert out.getvalue().endswith(
        "-- failed in 0.1 s\n"
        "   We\u2019re currently experiencing high demand, which may cause temporary errors.\n"
    )


def test_renderer_refuses_unclear_options() -> None:
    with pytest.raises(TypeError, match="console= or file="):
        TurnRenderer(Console(file=io.StringIO()), file=io.StringIO())
    with pytest.raises(TypeError, match="plain must be"):
        TurnRenderer(plain="yes")  # type: ignore[arg-type]


# -- live turns through the real runtime -------------------------------------------------------


def test_render_a_live_sync_turn(tmp_path: Path, scripted: Any) -> None:
    if os.environ.get("CONSOLE_WRITE_FIXTURES"):
        events = scripted.record(tmp_path / "recording")
        scripted.RECORDED_TURN.write_text(
            "".join(json.dumps(e) + "\n" for e in events), encoding="utf-8"
        )
    work = scripted.make_project(tmp_path)
    out = io.StringIO()
    with OfflineModel() as model:
        scripted.script(model)
        with Codex(model.codex_config(cwd=str(work)), handlers=scripted.handlers()) as codex:
            result = render(scripted.start(codex), file=out, cwd=str(work))
    assert _without_timings(out.getvalue()) == _without_timings(EXPECTED)
    assert result.final_response == "I changed greet.py to print a full greeting."
    assert (work / "greet.py").read_text() == 'print("hello, world")\n'

    # the same steps in a notebook and in rich's pretty repr
    page = result._repr_html_()
    assert "<strong>Turn " in page
    assert '<span style="color:#1a7f37">  +print(&quot;hello, world&quot;)</span>' in page
    assert "tool add(a=2, b=3) -&gt; 5" in page
    markdown = result._repr_markdown_()
    assert markdown.startswith(f"**Turn {result.id}: completed**\n\nI changed greet.py")
    assert '$ cat greet.py; exit 3\n  print("hello")\n  exit 3' in _without_timings(markdown)
    pretty = pretty_repr(result)
    assert "status='completed'" in pretty
    assert "items=" in pretty
    assert "final_response='I changed greet.py to print a full greeting.'" in pretty


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_render_a_live_async_turn(tmp_path: Path, backend: str, scripted: Any) -> None:
    work = scripted.make_project(tmp_path)
    out = io.StringIO()

    async def main() -> str | None:
        with anyio.fail_after(60):
            async with OfflineModel() as model:
                scripted.script(model)
                config = model.codex_config(cwd=str(work))
                async with AsyncCodex(config, handlers=scripted.handlers()) as codex:
                    thread = await codex.thread_start(
                        approval_mode=ApprovalMode.host,
                        sandbox=Sandbox.read_only,
                        tools=[scripted.add],
                    )
                    handle = await thread.turn(scripted.PROMPT)
                    result = await render(handle, file=out, cwd=str(work))
                    return result.final_response

    assert anyio.run(main, backend=backend) == "I changed greet.py to print a full greeting."
    assert _without_timings(out.getvalue()) == _without_timings(EXPECTED)


def test_run_with_progress_prints_plain_lines_off_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.text("Hello there", deltas=3), Reply.error(500))
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start()
            result = thread.run("Say hello", progress=True)
            assert result.final_response == "Hello there"
            printed = capsys.readouterr().out
            assert _without_timings(printed).startswith(
                "> Say hello\nHello there\n-- completed in N s"
            )
            with pytest.raises(TurnFailedError):
                thread.run("Again", progress=True)
            assert "-- failed" in capsys.readouterr().out


# -- import hygiene and the fallback without rich ----------------------------------------------


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )


def test_importing_openai_codex_never_imports_rich() -> None:
    done = _python(
        "import sys, openai_codex\n"
        "from openai_codex import Codex, TurnResult\n"
        "import openai_codex.console\n"
        "assert not [m for m in sys.modules if m == 'rich' or m.startswith('rich.')], 'rich'\n"
        "print('ok')\n"
    )
    assert done.stdout == "ok\n", done.stderr


def test_without_rich_a_terminal_gets_plain_lines(tmp_path: Path) -> None:
    pytest.importorskip("pty")
    # A pseudo-terminal makes stdout a TTY; `rich` is made unimportable.
    code = (
        "import io, os, pty, sys\n"
        "sys.modules['rich'] = None\n"
        "from openai_codex.console import TurnRenderer\n"
        "main, child = pty.openpty()\n"
        "tty = os.fdopen(child, 'w')\n"
        "renderer = TurnRenderer(file=tty)\n"
        "print(tty.isatty(), renderer.plain)\n"
    )
    done = _python(code)
    assert done.stdout == "True True\n", done.stderr


def test_the_renderer_knows_the_clients_own_notification_methods() -> None:
    from openai_codex._core.host import control
    from openai_codex.console import _view

    assert _view.SERVER_REQUEST == control.SERVER_REQUEST_METHOD
    assert _view.SERVER_REQUEST_ANSWERED == control.SERVER_REQUEST_ANSWERED_METHOD
    assert _view.HANDLER_FAILED == control.HANDLER_FAILED_METHOD


def test_render_a_goal_as_one_logical_turn() -> None:
    out = io.StringIO()
    with OfflineModel() as model:
        model.enqueue(
            Reply.text("Working on it."), Reply.update_goal("complete"), Reply.text("All green.")
        )
        with Codex(model.codex_config()) as codex:
            handle = codex.thread_start().start_goal("Make the tests pass")
            result = render(handle, file=out)
    assert result.goal is not None
    lines = _without_timings(out.getvalue()).splitlines()
    assert lines[0] == "goal active · 0 tokens used: Make the tests pass"
    assert lines[1] == "Working on it."
    assert re.fullmatch(r"goal complete · \d+ tokens used", lines[2])
    assert lines[3] == "All green."
    assert re.fullmatch(r"-- completed in N s · \d+ tokens \(\d+ in, \d+ out\)", lines[4])
    assert len(lines) == 5
