"""Enum options take their string values, typed as Literals; output_schema types turn()."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from pydantic import BaseModel

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.testing import OfflineModel, Reply

ROOT = Path(__file__).resolve().parents[4]
SAMPLES = Path(__file__).parent / "samples"


class City(BaseModel):
    city: str


@pytest.mark.anyio
async def test_string_values_reach_the_wire_and_turn_parses(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("a"), Reply.text('{"city": "Paris"}'))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start(personality="pragmatic")
            await thread.run("q", effort="high", summary="concise")
            handle = await thread.turn("where?", output_schema=City, effort="low")
            result = await handle.run()
    assert model.requests[0].body["reasoning"] == {"effort": "high", "summary": "concise"}
    assert model.requests[1].body["reasoning"]["effort"] == "low"
    assert result.parsed == City(city="Paris")


def test_sync_turn_with_output_schema_parses(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text('{"city": "Rome"}'))
    with Codex(model_config) as codex:
        result = codex.thread_start().turn("where?", output_schema=City, effort="medium").run()
    assert result.parsed == City(city="Rome")
    assert model.requests[0].body["reasoning"]["effort"] == "medium"


def test_mypy_accepts_string_options_and_types_turn_results() -> None:
    """mypy --strict: the ``ok`` sample passes (``run(..., output_schema=M, effort="high")``
    and ``turn(..., output_schema=M).run()`` are ``TurnResult[M]``; narrowing on
    ``item.type``), the ``typo`` sample fails on its marked line."""
    ok, typo = (
        (SAMPLES / n).relative_to(ROOT) for n in ("string_options_ok.py", "string_options_typo.py")
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(ok), str(typo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stdout.splitlines()
    assert not [line for line in lines if line.startswith(str(ok))], proc.stdout
    bad = next(
        i for i, t in enumerate((ROOT / typo).read_text().splitlines(), 1) if "BAD-EFFORT" in t
    )
    assert any(line.startswith(f"{typo}:{bad}: error: No overload variant") for line in lines), (
        proc.stdout
    )
    assert proc.returncode == 1
