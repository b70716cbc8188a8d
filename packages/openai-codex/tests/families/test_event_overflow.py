"""Notification queues are bounded: a reader that falls behind gets what was kept, then
``NotificationOverflowError`` (never a silent gap, never unbounded memory)."""

from __future__ import annotations

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, Notification
from openai_codex._core.lowlevel import client as lowlevel
from openai_codex.errors import NotificationOverflowError


@pytest.mark.anyio
async def test_event_stream_ends_with_overflow_after_the_kept_events(
    model_config: CodexConfig,
) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            with pytest.raises(ValueError, match="max_buffered must be a positive int"):
                await codex.events(max_buffered=0)
            stream = await codex.events(max_buffered=3)
            bigger = await codex.events()
            await (await codex.thread_start()).run("hi")  # many more than 3 events
            kept = [await stream.next(timeout=5) for _ in range(3)]
            with pytest.raises(NotificationOverflowError, match="3 events were queued"):
                await stream.next(timeout=5)
            with pytest.raises(NotificationOverflowError):  # again, not a hang
                await stream.next(timeout=5)
            # an unbounded reader of the same client saw everything, in order
            seen = []
            while not seen or seen[-1] != "turn/completed":
                seen.append((await bigger.next(timeout=5)).method)
            assert seen[:3] == [ev.method for ev in kept]
            assert len(seen) > 3
            await stream.close()
            await bigger.close()


def test_lowlevel_notifications_of_no_turn_are_bounded(
    model_config: CodexConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lowlevel, "UNROUTED_LIMIT", 2)
    with Codex(model_config) as codex:
        for _ in range(4):  # each answers with a thread/started of no turn
            codex.thread_start()
        client = codex.client
        first = [client.next_notification(timeout=5) for _ in range(2)]
        assert all(isinstance(n, Notification) for n in first)
        with pytest.raises(NotificationOverflowError, match="2 notifications of no turn"):
            client.next_notification(timeout=5)
        monkeypatch.setattr(lowlevel, "UNROUTED_LIMIT", 10_000)
        # the next call subscribes afresh (recent unclaimed ones first) instead of failing
        again = client.next_notification(timeout=5)
        assert again.method == first[0].method
