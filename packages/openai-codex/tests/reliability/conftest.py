"""Fixtures for the reliability tests (issue 27): the offline model, a work directory,
both anyio backends, and a way to stop the runtime (SIGSTOP) for a while."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.testing import OfflineModel


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as offline:
        yield offline


@pytest.fixture
def model_config(model: OfflineModel, tmp_path: Path) -> CodexConfig:
    workdir = tmp_path / "work"
    workdir.mkdir()
    return model.codex_config(cwd=str(workdir))


def runtime_pid(codex: AsyncCodex | Codex) -> int:
    """The pid of the client's spawned runtime (started clients only)."""
    inner: Any = getattr(codex, "_async", codex)
    conn = inner._session.connection
    assert conn is not None
    pid: int = conn.transport.pid
    return pid


@contextlib.contextmanager
def stopped(pid: int) -> Iterator[None]:
    """The runtime is stopped (SIGSTOP) inside the block and resumed after it."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)
