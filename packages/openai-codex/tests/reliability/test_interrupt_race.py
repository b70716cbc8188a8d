"""``interrupt()`` works from the moment ``turn()`` returns (issue 27).

The runtime refuses ``turn/interrupt`` ("no active turn") between its ``turn/start`` answer
and the turn's ``turn/started``; with a reply that takes seconds, the published
turn-controls flow (``turn()`` then at once ``interrupt()``) must end the turn
``interrupted`` every time. An instant reply would hide the race (the turn ends first).
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio

RUNS = 20
#: a reply that streams for about 3 s
SLOW = Reply.text("one two three four five six ", deltas=6, delay=0.5)


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


async def test_interrupt_right_after_turn_start(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(SLOW)
    with anyio.fail_after(120):
        async with AsyncCodex(model_config) as codex:
            started = time.monotonic()
            for _ in range(RUNS):
                thread = await codex.thread_start()  # a fresh thread each time
                handle = await thread.turn("count slowly")
                answer = await handle.interrupt()
                assert answer.model_dump(exclude_none=True) == {}
                result = await handle.run(timeout=10)
                assert _status(result.status) == "interrupted"
            # each interrupt took effect long before the 3 s reply could finish
            assert time.monotonic() - started < RUNS * 2.0
            assert codex._session.active is not None
            assert len(codex._session.active) == 0


async def test_close_right_after_turn_start_interrupts_the_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(SLOW)
    completed: list[str] = []
    with anyio.fail_after(60):
        codex = AsyncCodex(model_config)
        await codex.__aenter__()
        try:
            codex._session.router.add_listener(
                lambda method, params: completed.append(_status(params["turn"]["status"]))
                if method == "turn/completed"
                else None
            )
            thread = await codex.thread_start()
            await thread.turn("count slowly")
        finally:
            started = time.monotonic()
            await codex.close()
            elapsed = time.monotonic() - started
    assert completed == ["interrupted"]
    assert elapsed < 2.0, elapsed


def test_sync_interrupt_right_after_turn_start(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(SLOW)
    with Codex(model_config) as codex:
        for _ in range(RUNS):
            thread = codex.thread_start()
            handle = thread.turn("count slowly")
            handle.interrupt()
            assert _status(handle.run(timeout=10).status) == "interrupted"
