"""``run(timeout=T)`` and cancellation bound every phase, ``turn/start`` included (issue 27).

The runtime is stopped (SIGSTOP) before it can answer ``turn/start``; the call must come
back within T + 2 s, and the turn the runtime starts once resumed must be interrupted.
"""

from __future__ import annotations

import _thread
import threading
import time
from typing import Any

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, TurnTimeoutError
from openai_codex.testing import OfflineModel, Reply

from .conftest import runtime_pid, stopped

pytestmark = pytest.mark.anyio

WAIT = 60
SLACK = 2.0


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


class _Completions:
    """``turn/completed`` notifications of a client, with a way to wait for the next."""

    def __init__(self) -> None:
        self.turns: list[dict[str, Any]] = []
        self._event = threading.Event()

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        if method == "turn/completed":
            self.turns.append(params["turn"])
            self._event.set()

    def wait(self, count: int, seconds: float = 30) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.turns) < count and time.monotonic() < deadline:
            self._event.wait(0.05)
            self._event.clear()
        return [_status(turn["status"]) for turn in self.turns]


async def test_run_timeout_bounds_turn_start_on_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="late turn")
    completions = _Completions()
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            codex._session.router.add_listener(completions)
            thread = await codex.thread_start()
            with stopped(runtime_pid(codex)):
                started = time.monotonic()
                with pytest.raises(TurnTimeoutError, match="did not start within 2 s"):
                    await thread.run("late turn", timeout=2)
                elapsed = time.monotonic() - started
            assert 2 <= elapsed < 2 + SLACK, elapsed
            # resumed: the turn it starts now is interrupted as soon as it shows
            statuses = await anyio.to_thread.run_sync(completions.wait, 1)
            assert statuses == ["interrupted"]
            model.enqueue(Reply.text("fresh"), when="next")
            assert (await thread.run("next", timeout=30)).final_response == "fresh"
    model.release_hangs()


async def test_a_cancel_scope_bounds_turn_start_on_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="late turn")
    completions = _Completions()
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            codex._session.router.add_listener(completions)
            thread = await codex.thread_start()
            with stopped(runtime_pid(codex)):
                started = time.monotonic()
                with anyio.move_on_after(1) as scope:
                    await thread.run("late turn")
                elapsed = time.monotonic() - started
            assert scope.cancelled_caught
            assert elapsed < 1 + SLACK, elapsed
            statuses = await anyio.to_thread.run_sync(completions.wait, 1)
            assert statuses == ["interrupted"]
    model.release_hangs()


def test_sync_run_timeout_bounds_turn_start_on_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="late turn")
    completions = _Completions()
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        codex._async._session.router.add_listener(completions)
        with stopped(runtime_pid(codex)):
            started = time.monotonic()
            with pytest.raises(TurnTimeoutError):
                thread.run("late turn", timeout=2)
            elapsed = time.monotonic() - started
        assert 2 <= elapsed < 2 + SLACK, elapsed
        assert completions.wait(1) == ["interrupted"]
    model.release_hangs()


def test_ctrl_c_during_turn_start_on_a_stopped_runtime_is_prompt(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="late"), when="late turn")
    completions = _Completions()
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        codex._async._session.router.add_listener(completions)
        timer = threading.Timer(1.0, _thread.interrupt_main)
        with stopped(runtime_pid(codex)):
            started = time.monotonic()
            timer.start()
            try:
                with pytest.raises(KeyboardInterrupt):
                    thread.run("late turn")
            finally:
                timer.cancel()
            elapsed = time.monotonic() - started
        assert elapsed < 1 + SLACK, elapsed
        assert completions.wait(1) == ["interrupted"]
    model.release_hangs()


async def test_run_goal_timeout_bounds_the_start_on_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang(partial_text="pursuing"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with stopped(runtime_pid(codex)):
                started = time.monotonic()
                with pytest.raises(TurnTimeoutError, match="did not start within 2 s"):
                    await thread.run_goal("Keep going", timeout=2)
                elapsed = time.monotonic() - started
            assert 2 <= elapsed < 2 + SLACK, elapsed
            # resumed: no goal runs on unattended (none was set, or it was paused)
            goal = await thread.goal()
            assert goal is None or _status(goal.status) != "active"
    model.release_hangs()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_review_timeout_bounds_review_start_on_a_stopped_runtime(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.set_default(Reply.hang(partial_text="reviewing"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with stopped(runtime_pid(codex)):
                started = time.monotonic()
                with pytest.raises(TurnTimeoutError, match="did not start within 2 s"):
                    await thread.review(instructions="look for bugs", timeout=2)
                elapsed = time.monotonic() - started
            assert 2 <= elapsed < 2 + SLACK, elapsed
    model.release_hangs()
