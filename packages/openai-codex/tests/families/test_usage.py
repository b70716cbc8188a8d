"""Usage: per-turn vs thread tokens on TurnResult, events outside turns, a token budget."""

from __future__ import annotations

import dataclasses

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, InvalidRequestError
from openai_codex.events import AccountRateLimitsUpdatedEvent, ThreadTokenUsageUpdatedEvent
from openai_codex.testing import OfflineModel, Reply, Usage


def test_turn_usage_is_the_sum_of_its_model_calls(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(
        Reply.text("first", usage=Usage(100, 10)),
        dataclasses.replace(Reply.shell("echo hi"), usage=Usage(200, 20, cached_input_tokens=50)),
        Reply.text("second", usage=Usage(300, 30)),
    )
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        first = thread.run("one")
        assert first.turn_usage is not None
        assert first.turn_usage.total_tokens == 110
        second = thread.run("two")  # two model calls: the shell call, then the answer
        assert second.turn_usage is not None
        assert second.usage is not None
        assert second.thread_usage is not None
        assert second.usage.last.total_tokens == 330  # the last call only
        assert second.turn_usage.total_tokens == 220 + 330
        assert second.turn_usage.input_tokens == 500
        assert second.turn_usage.cached_input_tokens == 50
        assert second.thread_usage.total_tokens == 110 + 220 + 330
        with pytest.raises(InvalidRequestError, match="authentication required"):
            codex.rate_limits()
        with pytest.raises(InvalidRequestError, match="authentication required"):
            codex.account_usage(thread_id=thread.id)


def test_a_client_side_token_budget_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    budget = 1_000
    model.enqueue(
        dataclasses.replace(Reply.shell("echo step"), usage=Usage(1_500, 50)),
        Reply.hang(),
    )
    with Codex(model_config) as codex:
        handle = codex.thread_start().turn("a long task")
        for ev in handle.stream():
            if (
                ev.method == "thread/tokenUsage/updated"
                and ev.payload.token_usage.total.total_tokens > budget
            ):
                handle.interrupt()
        result = handle.run()
        assert result.status.value == "interrupted"
        assert result.thread_usage is not None
        assert result.thread_usage.total_tokens == 1_550


@pytest.mark.anyio
async def test_events_outside_turns_async(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("hi", usage=Usage(7, 3)))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            async with await codex.events(
                "account/rateLimits/updated", "thread/tokenUsage/updated", thread_id=None
            ) as stream:
                await thread.run("hello")
                seen = [await stream.next(timeout=10), await stream.next(timeout=10)]
                kinds = {type(ev) for ev in seen}
                assert kinds == {AccountRateLimitsUpdatedEvent, ThreadTokenUsageUpdatedEvent}
                usage = next(ev for ev in seen if isinstance(ev, ThreadTokenUsageUpdatedEvent))
                assert usage.payload.token_usage.total.total_tokens == 10
                with pytest.raises(TimeoutError):
                    await stream.next(timeout=0.2)
            with pytest.raises(StopAsyncIteration):
                await stream.next()
            only_other = await codex.events("thread/tokenUsage/updated", thread_id="other-thread")
            model.enqueue(Reply.text("again"))
            await thread.run("again")
            with pytest.raises(TimeoutError):
                await only_other.next(timeout=0.2)
            await only_other.close()


def test_events_sync(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("hi"))
    with Codex(model_config) as codex:
        stream = codex.events("turn/completed")
        codex.thread_start().run("x")
        with stream:
            ev = next(iter(stream))
            assert ev.method == "turn/completed"
            assert ev.payload.turn.status.value == "completed"
        assert list(stream) == []


def test_rate_limit_figures_from_the_model_service(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    """The runtime reads the service's rate-limit headers into ``account/rateLimits/updated``."""
    model.enqueue(
        Reply.text("hi").with_headers(
            {
                "x-codex-primary-used-percent": "42.5",
                "x-codex-primary-window-minutes": "300",
                "x-codex-primary-reset-at": "1798761600",
                "x-codex-secondary-used-percent": "7",
                "x-codex-secondary-window-minutes": "10080",
            }
        )
    )
    with Codex(model_config) as codex, codex.events("account/rateLimits/updated") as stream:
        codex.thread_start().run("hello")
        windows = None
        while windows is None or windows.primary is None:
            event = stream.next(timeout=10)
            assert isinstance(event, AccountRateLimitsUpdatedEvent)
            windows = event.payload.rate_limits
        assert windows.primary.used_percent == 43  # whole percents, rounded
        assert windows.primary.resets_at == 1798761600
        assert windows.primary.window_duration_mins == 300
        assert windows.secondary is not None
        assert windows.secondary.used_percent == 7
        assert windows.secondary.window_duration_mins == 10080


def test_reply_headers_are_checked() -> None:
    with pytest.raises(TypeError, match="header"):
        Reply.text("hi").with_headers({"x-a": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="line breaks"):
        Reply.text("hi").with_headers({"x-a": "1\r\nx-b: 2"})
