"""Fixtures for the facade tests: the offline model and a loopback-only CODEX_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel, write_codex_home

#: A base URL nothing listens on: the loopback runtime never reaches a model.
UNREACHABLE_MODEL_URL = "http://127.0.0.1:9/v1"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def loopback_config(tmp_path: Path, workdir: Path) -> CodexConfig:
    """A runtime that never reaches a model (for calls that make no model request)."""
    home = write_codex_home(tmp_path / "codex-home", UNREACHABLE_MODEL_URL)
    return CodexConfig(env={"CODEX_HOME": str(home)}, cwd=str(workdir))


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as offline:
        yield offline


@pytest.fixture
def model_config(model: OfflineModel, workdir: Path) -> CodexConfig:
    return model.codex_config(cwd=str(workdir))
