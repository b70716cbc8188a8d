"""Fixtures for the facade tests: the offline model and a loopback-only CODEX_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel

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

[analytics]
enabled = false

[feedback]
enabled = false
"""


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
    home = tmp_path / "codex-home"
    home.mkdir()
    (home / "config.toml").write_text(LOOPBACK_CONFIG, encoding="utf-8")
    return CodexConfig(env={"CODEX_HOME": str(home)}, cwd=str(workdir))


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as offline:
        yield offline


@pytest.fixture
def model_config(model: OfflineModel, workdir: Path) -> CodexConfig:
    return model.codex_config(cwd=str(workdir))
