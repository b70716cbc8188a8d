"""Many requests, many clients: overload refusals are retried within the deadline, the
requests in flight are bounded per client, and first starts in a fresh CODEX_HOME take turns."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, ServerBusyError
from openai_codex.testing import OfflineModel

FAKE = Path(__file__).resolve().parents[3] / "openai-codex-transport/tests/fake_app_server.py"


def _fake_config(**fields: object) -> CodexConfig:
    return CodexConfig(launch_args_override=(sys.executable, str(FAKE)), **fields)  # type: ignore[arg-type]


def test_overload_refusals_are_sent_again(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex")
    with Codex(_fake_config()) as codex:
        # refused three times, then done: the caller sees only the answer
        assert codex.client.request("busy", {"key": "a", "times": 3}) == {"attempts": 4}
        retried = [r for r in caplog.records if "refused as overloaded" in r.getMessage()]
        assert len(retried) == 3


def test_overload_retries_stop_at_the_deadline() -> None:
    """Refused for good: the refusal itself is raised once the deadline allows no retry."""
    with Codex(_fake_config(request_timeout=0.5)) as codex:
        started = time.monotonic()
        with pytest.raises(ServerBusyError):
            codex.client.request("busy", {"key": "c", "times": 1000})
        assert time.monotonic() - started < 0.5 + 0.5
        assert codex.client.request("echo", 7) == 7  # the client is fine


def test_max_requests_in_flight_is_checked() -> None:
    with pytest.raises(ValueError, match="max_requests_in_flight must be a positive int"):
        CodexConfig(max_requests_in_flight=0)
    with pytest.raises(ValueError, match="max_requests_in_flight"):
        CodexConfig(max_requests_in_flight=2.5)  # type: ignore[arg-type]
    assert CodexConfig().max_requests_in_flight == 32
    assert "max_requests_in_flight=None" in repr(CodexConfig(max_requests_in_flight=None))


@pytest.mark.anyio
async def test_clients_starting_at_once_in_a_fresh_codex_home(tmp_path: Path) -> None:
    """Runtime 0.163.0 fails all but one of several first starts in one fresh home."""
    with OfflineModel() as model:
        config = model.codex_config(cwd=str(tmp_path), fresh_home=True)
        home = Path(config.env["CODEX_HOME"])  # type: ignore[index]
        assert not list(home.glob("state_*.sqlite"))
        ids: list[str] = []

        async def one() -> None:
            async with AsyncCodex(config) as codex:
                ids.append((await codex.thread_start()).id)

        with anyio.fail_after(120):
            async with anyio.create_task_group() as tg:
                for _ in range(8):
                    tg.start_soon(one)
        assert len(set(ids)) == 8
        assert list(home.glob("state_*.sqlite"))
