"""The console renderer's tests: a scripted turn with every kind of step, its recording,
and a small terminal emulator to read what a TTY would show."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_codex import ApprovalMode, Codex, Sandbox
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.testing import (
    FunctionCallOutput,
    MessageOutput,
    OfflineModel,
    ReasoningOutput,
    Reply,
    Usage,
)
from openai_codex.tools import tool

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED_TURN = FIXTURES / "recorded_turn.jsonl"
#: The scripted turn's working directory as the recording shows it.
PROJECT = "/work/project"
PROMPT = "Make greet.py greet the world"


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def script_turn(model: OfflineModel) -> None:
    """Queue the replies of a turn with reasoning, a failing command, an approved file
    change, a tool call and a streamed answer."""
    model.enqueue(
        Reply.outputs_of(
            [
                ReasoningOutput("Check the script before changing it.", deltas=2),
                MessageOutput("Let me look at the script.", phase="commentary"),
                FunctionCallOutput(
                    "exec_command",
                    json.dumps({"cmd": "cat greet.py; exit 3", "login": False}),
                    "call_cat",
                ),
            ]
        ),
        Reply.apply_patch(update={"greet.py": ('print("hello")', 'print("hello, world")')}),
        Reply.function_call("add", {"a": 2, "b": 3}, call_id="call_add"),
        Reply.text(
            "I changed greet.py to print a full greeting.",
            deltas=4,
            phase="final_answer",
            usage=Usage(input_tokens=1200, output_tokens=40),
        ),
    )


def start_scripted_turn(codex: Codex) -> Any:
    """Start the scripted turn (read-only sandbox, host approvals) and return its handle."""
    thread = codex.thread_start(
        approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, tools=[add]
    )
    return thread.turn(PROMPT)


def make_project(root: Path) -> Path:
    work = root / "project"
    work.mkdir()
    (work / "greet.py").write_text('print("hello")\n')
    return work


def accept_file_changes() -> ServerRequestHandlers:
    return ServerRequestHandlers(file_change_approval=lambda params: "accept")


def record(root: Path) -> list[dict[str, Any]]:
    """Run the scripted turn against the real runtime; its events, paths as PROJECT."""
    work = make_project(root)
    events: list[dict[str, Any]] = []
    with OfflineModel() as model:
        script_turn(model)
        with Codex(model.codex_config(cwd=str(work)), handlers=accept_file_changes()) as codex:
            for event in start_scripted_turn(codex).stream():
                events.append({"method": event.method, "params": event.params})
    text = json.dumps(events).replace(str(work), PROJECT)
    loaded: list[dict[str, Any]] = json.loads(text)
    return loaded


def recorded_events() -> Iterator[tuple[str, dict[str, Any]]]:
    for line in RECORDED_TURN.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        yield event["method"], event["params"]


# -- a terminal, as far as rich's live display uses one -------------------------------------

_CONTROL = re.compile(r"\x1b\[(?P<args>[0-9;?]*)(?P<cmd>[A-Za-z])|\r|\n|[^\x1b\r\n]+")


def screen(raw: str, width: int = 80) -> str:
    """The visible text after writing ``raw`` to a ``width``-column terminal.

    Understands what rich's live display writes: text, CR, LF, cursor up (``ESC[nA``),
    erase line (``ESC[2K``/``ESC[K``), colours and cursor visibility (ignored).
    """
    lines: list[list[str]] = [[]]
    row = col = 0
    for match in _CONTROL.finditer(raw):
        token = match.group(0)
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
            col = 0
            while len(lines) <= row:
                lines.append([])
        elif match.group("cmd"):
            cmd, args = match.group("cmd"), match.group("args")
            if cmd == "A":
                row = max(0, row - int(args or 1))
            elif cmd == "K":
                if args == "2":
                    lines[row] = []
                else:
                    del lines[row][col:]
            elif cmd == "G":
                col = int(args or 1) - 1
        else:
            for char in token:
                if col >= width:
                    row, col = row + 1, 0
                    while len(lines) <= row:
                        lines.append([])
                line = lines[row]
                while len(line) < col:
                    line.append(" ")
                if col < len(line):
                    line[col] = char
                else:
                    line.append(char)
                col += 1
    text = "\n".join("".join(line).rstrip() for line in lines)
    return text.rstrip("\n") + "\n"


class ScriptedTurn:
    """The scripted turn's helpers, for tests (``--import-mode=importlib``: no imports
    from conftest, so they come as a fixture)."""

    PROJECT = PROJECT
    PROMPT = PROMPT
    RECORDED_TURN = RECORDED_TURN
    add = add
    script = staticmethod(script_turn)
    start = staticmethod(start_scripted_turn)
    make_project = staticmethod(make_project)
    handlers = staticmethod(accept_file_changes)
    record = staticmethod(record)
    events = staticmethod(recorded_events)


@pytest.fixture
def scripted() -> ScriptedTurn:
    """Helpers to run or replay the scripted turn (see :class:`ScriptedTurn`)."""
    return ScriptedTurn()


@pytest.fixture
def terminal_screen() -> Any:
    """``screen(raw, width=80)``: the visible text of a terminal after ``raw``."""
    return screen
