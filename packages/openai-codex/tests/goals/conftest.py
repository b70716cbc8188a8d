"""Fixtures for the goal tests: the offline model, a work directory, the backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel


@pytest.fixture
def anyio_backend() -> str:
    """asyncio unless a test parametrizes ``anyio_backend`` (where the backend matters)."""
    return "asyncio"


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as offline:
        yield offline


@pytest.fixture
def model_config(model: OfflineModel, tmp_path: Path) -> CodexConfig:
    workdir = tmp_path / "work"
    workdir.mkdir()
    return model.codex_config(cwd=str(workdir))
