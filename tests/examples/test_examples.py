"""Every example in examples/ runs against the offline model and prints what it promises."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Each example, with lines (substrings) its output must contain, in order.
EXPECTED: dict[str, list[str]] = {
    "demo.py": [
        "runtime: codex ",
        "offline model (loopback)",
        "thread:  ",
        "> greet.py only says hello.",
        "thinking: Read greet.py first",
        "$ cat greet.py\n",
        "  exit 0 · ",
        "? approve changes to greet.py\n  -> accept\n",
        'edit greet.py\n  @@ -1 +1 @@\n  -print("hello")\n  +print("hello, world")\n',
        "$ python3 greet.py\n  hello, world\n  exit 0 · ",
        "greet.py now prints `hello, world`; I ran it to check.\n",
        "-- completed in ",
        " tokens (",
        'greet.py is now: print("hello, world")',
    ],
    "hooks_sync.py": [
        "hook: denied 'rm -rf build'",
        "audit: 'echo cleaned' -> 'cleaned'",
        "stop hook: asked the model to double-check",
        "final answer: Double-checked: nothing was deleted.",
    ],
    "hooks_async.py": [
        "hook: denied 'rm -rf build'",
        "audit: 'echo cleaned' -> 'cleaned'",
        "stop hook: asked the model to double-check",
        "final answer: Double-checked: nothing was deleted.",
    ],
    "quickstart_sync.py": ["Offline model reply to: Say hello", ": completed, "],
    "quickstart_async.py": ["Offline model reply to: Say hello", ": completed, "],
    "streaming_sync.py": [
        "Streaming means you see the answer",
        "[item completed: agentMessage]",
        "deltas received: 8",
    ],
    "streaming_async.py": [
        "Streaming means you see the answer",
        "[turn completed]",
        "deltas received: 8",
    ],
    "multi_turn_sync.py": [
        "Noted: your favourite colour is green.",
        "You told me your favourite colour is green.",
        "has 2 turns",
    ],
    "multi_turn_async.py": [
        "Noted: your favourite colour is green.",
        "You told me your favourite colour is green.",
        "has 2 turns",
    ],
    "resume_sync.py": [
        "first client, thread ",
        "stored threads: [",
        "second client, thread ",
        "Which word did I ask you to remember?",
        "forked into thread ",
    ],
    "resume_async.py": [
        "first client, thread ",
        "second client, thread ",
        "Which word did I ask you to remember?",
    ],
    "thread_store_sync.py": [
        "machine A: Noted: the word is 'pineapple'.",
        "saved thread ",
        "stored threads: ['",
        "machine B, same thread ",
        "You asked me to remember 'pineapple'.",
        "the thread has 2 turns on machine B",
    ],
    "thread_store_async.py": [
        "machine A: Noted: the word is 'pineapple'.",
        "saved thread ",
        "machine B, same thread ",
        "You asked me to remember 'pineapple'.",
    ],
    "concurrency_sync.py": [
        "rivers: Offline model reply to: One fact about rivers",
        "mountains: Offline model reply to: One fact about mountains",
        "deserts: Offline model reply to: One fact about deserts",
    ],
    "concurrency_async.py": [
        "rivers: Offline model reply to: One fact about rivers",
        "mountains: Offline model reply to: One fact about mountains",
        "deserts: Offline model reply to: One fact about deserts",
    ],
    "steer_interrupt_sync.py": [
        "agent: The end: a one-sentence story, as you asked.",
        "steered turn: completed",
        "agent started: '1, 2, 3, 4, 5, '; interrupting",
        "interrupted turn: interrupted",
    ],
    "steer_interrupt_async.py": [
        "agent: The end: a one-sentence story, as you asked.",
        "steered turn: completed",
        "agent started: '1, 2, 3, 4, 5, '; interrupting",
        "interrupted turn: interrupted",
    ],
    "images_sync.py": ["Offline model: I received your question and two images."],
    "images_async.py": ["Offline model: I received your question and two images."],
    "goals_sync.py": [
        "goal: 'Write two haiku about rivers.' -> complete",
        "agent: Haiku one: rivers bend, the stones stay.",
        "agent: Both haiku are written.",
        "goal: 'Catalogue the whole library.' -> budgetLimited (6600 of 5000 tokens)",
        "agent started: 'Sorting the photos by year: 1998, '; interrupting",
        "goal turn: interrupted",
        "goal now: paused",
        "resumed: The photos are sorted. -> complete",
    ],
    "goals_async.py": [
        "goal: 'Write two haiku about rivers.' -> complete",
        "agent: Haiku one: rivers bend, the stones stay.",
        "agent: Both haiku are written.",
        "goal: 'Catalogue the whole library.' -> budgetLimited (6600 of 5000 tokens)",
        "agent started: 'Sorting the photos by year: 1998, '; interrupting",
        "goal turn: interrupted",
        "goal now: paused",
        "resumed: The photos are sorted. -> complete",
    ],
    "runtime_tools_sync.py": [
        "exit 0: hello from the runtime",
        "notes.txt: remember the milk",
        "listing: [",
        "notes.txt",
        "Streaming a short answer.\n4 deltas",
        "turn tokens: ",
        "thread tokens: ",
        "turns, newest first: 2",
    ],
    "runtime_tools_async.py": [
        "[stdout] typed into stdin",
        "exit 0",
        "changed: ['watched.txt']",
        "Text, as it streams.",
    ],
    "errors_retry_sync.py": [
        "attempt 1 failed: ",
        "attempt 2 succeeded: Offline model reply to: Say hello.",
        "thread_resume refused: ",
    ],
    "errors_retry_async.py": [
        "attempt 1 failed: ",
        "attempt 2 succeeded: Offline model reply to: Say hello.",
        "thread_resume refused: ",
    ],
}


def test_every_example_is_covered() -> None:
    scripts = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(EXPECTED)


#: lines whose place among the others is not fixed (a process's two streams race)
UNORDERED = {
    "runtime_tools_async.py": ["[stderr] done"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_offline(name: str, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("CODEX_HOME", None)  # the example must bring its own (the offline model's)
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    # (this machine's login shell runs `pyenv rehash`, which complains into a command's
    # output when another shell holds its lock: the host's noise, not the example's)
    output = re.sub(r"(?m)^ *pyenv: cannot rehash: .*\n", "", completed.stdout)
    position = 0
    for anywhere in UNORDERED.get(name, ()):  # stdout and stderr chunks race each other
        assert anywhere in output, f"{anywhere!r} missing from the output of {name}:\n{output}"
    for expected in EXPECTED[name]:
        found = output.find(expected, position)
        assert found >= 0, f"{expected!r} missing (in order) from the output of {name}:\n{output}"
        position = found + len(expected)
