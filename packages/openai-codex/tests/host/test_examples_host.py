"""The examples of docs/host-control.md run against the offline model and print what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "host"

EXPECTED: dict[str, list[str]] = {
    "handlers.py": [
        "touch approved.txt'\" because 'the task needs it' -> accept",
        "rm -rf build && touch declined.txt'\" because 'the task needs it' -> decline",
        "question 'colour': Which colour should the banner be? -> blue",
        "approved.txt exists: True",
        "declined.txt exists: False",
        'the model received: {"answers":{"colour":{"answers":["blue"]}}}',
    ],
    "tools.py": [
        "tools offered to the model: ['price_order', 'shout']",
        'tool output sent to the model: {"sku": "apple", "total": 2.0, "currency": "EUR"}',
        "tool output sent to the model: Tool 'price_order' failed: ValueError: unknown product 'kiwi'",
        "tool output sent to the model: DONE",
        "final answer: Four apples cost 2.0 EUR; kiwis are not sold.",
    ],
    "structured_output.py": [
        "verdict: ship it; first risk: no retry on 429 (2)",
        "schema sent: strict=True, required=['verdict', 'risks', 'follow_up']",
        "invalid output rejected, raw text kept: 'Looks fine to me!'",
    ],
    "observability.py": [
        "answer: Ticket 7 is a printer fire.",
        "span codex.tool_call (same trace: True)",
        "span codex.turn (same trace: True)",
        "runtime's model request continues our trace: True",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str) -> None:
    if name == "observability.py":
        pytest.importorskip("opentelemetry.sdk")
    env = dict(os.environ)
    env["OPENAI_CODEX_LOG"] = "debug"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=110,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    position = 0
    for expected in EXPECTED[name]:
        found = proc.stdout.find(expected, position)
        assert found >= 0, f"{expected!r} not in output (in order):\n{proc.stdout}"
        position = found + len(expected)
    # OPENAI_CODEX_LOG=debug turned the SDK's logs on
    assert "DEBUG openai_codex" in proc.stderr
