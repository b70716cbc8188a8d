"""The client's own overload retries are the user's to set (issue 25): ``max_retries``
(0 disables), and ``retry_on_overload(fn, max_attempts=N)`` sends exactly N requests.

The runtime's overload refusal (-32001) comes from the scripted fake app-server: its
``busy`` method refuses the first ``times`` requests of a key and then answers how many
it received with that key.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, ServerBusyError, retry_on_overload

FAKE = Path(__file__).resolve().parents[3] / "openai-codex-transport/tests/fake_app_server.py"
ARGV = (sys.executable, str(FAKE))


def _sent(codex: Codex, key: str) -> int:
    """How many requests with ``key`` the fake received before this one."""
    answer = codex.client.request("busy", {"key": key, "times": 0})
    return int(answer["attempts"]) - 1


@pytest.mark.parametrize(("max_retries", "sent"), [(0, 1), (2, 3)])
def test_max_retries_bounds_the_clients_own_retries(max_retries: int, sent: int) -> None:
    with Codex(launch_args_override=ARGV, max_retries=max_retries) as codex:
        with pytest.raises(ServerBusyError):
            codex.client.request("busy", {"key": "k", "times": 100})
        assert _sent(codex, "k") == sent


def test_retry_on_overload_sends_exactly_max_attempts() -> None:
    with Codex(CodexConfig(launch_args_override=ARGV)) as codex:  # default max_retries=9
        with pytest.raises(ServerBusyError):
            retry_on_overload(
                lambda: codex.client.request("busy", {"key": "r", "times": 100}),
                max_attempts=2,
                initial_delay_s=0.01,
            )
        assert _sent(codex, "r") == 2
        # outside retry_on_overload the client retries again: refused 3 times, then answered
        assert codex.client.request("busy", {"key": "after", "times": 3}) == {"attempts": 4}


@pytest.mark.anyio
async def test_async_retry_on_overload_sends_exactly_max_attempts() -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(launch_args_override=ARGV) as codex:
            with pytest.raises(ServerBusyError):
                await retry_on_overload(
                    lambda: codex.client.request("busy", {"key": "a", "times": 100}),
                    max_attempts=3,
                    initial_delay_s=0.01,
                )
            answer = await codex.client.request("busy", {"key": "a", "times": 0})
    assert answer == {"attempts": 4}


@pytest.mark.parametrize("bad", [-1, True, 1.5, None])
def test_max_retries_is_checked(bad: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        CodexConfig(max_retries=bad)  # type: ignore[arg-type]
    assert CodexConfig(max_retries=0).max_retries == 0
    assert "max_retries=9" in repr(CodexConfig())
