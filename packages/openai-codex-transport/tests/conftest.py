"""Fixtures: both anyio backends, a fresh loopback-only CODEX_HOME, the real runtime's argv."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest

from openai_codex_transport import app_server_argv, resolve_codex_binary

HERE = Path(__file__).parent
FAKE_SERVER = HERE / "fake_app_server.py"

# No model call is ever made by these tests; the provider points at a closed loopback port.
LOOPBACK_CONFIG = """\
model = "mock-model"
model_provider = "mock"
web_search = "disabled"
check_for_update_on_startup = false

[model_providers.mock]
name = "mock"
base_url = "http://127.0.0.1:9/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

# Start-up work that would otherwise try to reach public hosts (plugin sync, updates).
[features]
plugins = false
apps = false
remote_plugin = false
plugin_sharing = false
in_app_updates = false

[analytics]
enabled = false

[feedback]
enabled = false
"""

CLIENT_INFO = {"name": "transport_tests", "title": "Transport tests", "version": "0.0.0"}


@pytest.fixture(
    params=[
        pytest.param("asyncio", id="asyncio"),
        pytest.param("trio", id="trio"),
    ]
)
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def codex_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh CODEX_HOME whose model provider is loopback-only (never the default)."""
    home = tmp_path_factory.mktemp("codex-home")
    (home / "config.toml").write_text(LOOPBACK_CONFIG)
    return home


@pytest.fixture
def codex_env(codex_home: Path) -> dict[str, str | None]:
    return {"CODEX_HOME": str(codex_home), "RUST_LOG": "warn", "OPENAI_API_KEY": None}


@pytest.fixture(scope="session")
def codex_binary() -> tuple[str, str | None]:
    return resolve_codex_binary(None)


@pytest.fixture
def codex_argv(codex_binary: tuple[str, str | None]) -> list[str]:
    return app_server_argv(codex_binary[0])


@pytest.fixture
def init_params() -> dict[str, Any]:
    """``initialize`` params the runtime accepts."""
    return {"clientInfo": dict(CLIENT_INFO), "capabilities": {"experimentalApi": True}}


def _fake_argv(*args: str) -> list[str]:
    return [sys.executable, str(FAKE_SERVER), *args]


@pytest.fixture
def fake_argv() -> Callable[..., list[str]]:
    """``fake_argv(*flags)``: argv running the scripted fake app-server with this interpreter."""
    return _fake_argv


async def _stop_child(pid: int) -> None:
    """SIGSTOP the child ``pid`` and return once it has really stopped.

    ``kill()`` only queues the stop. In a multi-threaded process (the runtime's tokio workers)
    the other threads keep running until the thread that took the signal has started the
    group stop; on a loaded machine that is long enough for them to read a request and answer
    it. The parent is told when the whole group has stopped: ``waitid(WSTOPPED)``, with
    ``WNOWAIT`` so the report stays for anyone else.
    """
    os.kill(pid, signal.SIGSTOP)
    wait_stopped = partial(os.waitid, os.P_PID, pid, os.WSTOPPED | os.WNOWAIT)
    with anyio.fail_after(10):
        await anyio.to_thread.run_sync(wait_stopped, abandon_on_cancel=True)


@pytest.fixture
def stop_child() -> Callable[[int], Awaitable[None]]:
    """``await stop_child(pid)``: SIGSTOP a child and wait until it is stopped for sure."""
    return _stop_child


@pytest.fixture(autouse=True)
def _no_leaked_children() -> Iterator[None]:
    """Every test must reap what it started (no zombies, no stray children)."""
    yield
    children = _child_pids()
    assert not children, f"test left child processes behind: {children}"


def _child_pids() -> list[int]:
    try:
        text = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]
