"""Fixtures for the thread-store tests: the offline model and two separate CODEX_HOMEs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as offline:
        yield offline


@pytest.fixture
def home_a(model: OfflineModel, tmp_path: Path, workdir: Path) -> CodexConfig:
    """The first machine: its own CODEX_HOME."""
    return model.codex_config(codex_home=tmp_path / "home-a", cwd=str(workdir))


@pytest.fixture
def home_b(model: OfflineModel, tmp_path: Path, workdir: Path) -> CodexConfig:
    """The second machine: another CODEX_HOME that has never seen the thread."""
    return model.codex_config(codex_home=tmp_path / "home-b", cwd=str(workdir))
