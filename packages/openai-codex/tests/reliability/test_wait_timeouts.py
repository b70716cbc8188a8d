"""Every wait with ``timeout=`` raises ``WaitTimeoutError`` saying what it waited for and
how long: a ``TimeoutError`` inside ``CodexError``, never a bare ``TimeoutError('')``."""

from __future__ import annotations

import pickle

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, CodexError, WaitTimeoutError
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio


def _check(caught: pytest.ExceptionInfo[WaitTimeoutError], what: str) -> None:
    err = caught.value
    assert isinstance(err, TimeoutError)
    assert isinstance(err, CodexError)
    assert what in str(err)
    assert "0.2 s" in str(err)
    assert err.timeout == 0.2
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err)


async def _drain(codex: AsyncCodex) -> None:
    """Read the start-up notifications until none comes within 0.2 s."""
    while True:
        await codex.client.next_notification(timeout=0.2)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_waits_name_what_and_how_long(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="busy"))
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            with pytest.raises(WaitTimeoutError) as caught:
                await _drain(codex)
            _check(caught, "notification")
            stream = await codex.events("account/rateLimits/updated")
            with pytest.raises(WaitTimeoutError) as caught:
                await stream.next(timeout=0.2)
            _check(caught, "event")
            thread = await codex.thread_start()
            handle = await thread.turn("hang")
            with pytest.raises(WaitTimeoutError) as caught:
                await codex.client.wait_for_turn_completed(handle.id, timeout=0.2)
            _check(caught, f"turn/completed of turn {handle.id}")
            await handle.interrupt()
            login = await codex.login_chatgpt()
            with pytest.raises(WaitTimeoutError) as caught:
                await login.wait(timeout=0.2)
            _check(caught, "account/login/completed")
            await login.cancel()
    model.release_hangs()


def test_sync_waits_name_what_and_how_long(model_config: CodexConfig) -> None:
    with Codex(model_config) as codex:
        login = codex.login_chatgpt()
        with pytest.raises(WaitTimeoutError) as caught:
            login.wait(timeout=0.2)
        _check(caught, "account/login/completed")
        login.cancel()
        stream = codex.events("account/rateLimits/updated")
        with pytest.raises(WaitTimeoutError) as caught:
            stream.next(timeout=0.2)
        _check(caught, "event")
