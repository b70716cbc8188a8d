"""Fixtures for the runtime families: the offline model, and a runtime served on a socket.

``serve("unix")``/``serve("ws")`` run ``codex app-server --listen ...`` as its own process
(the way one runtime is shared by several Python processes) and give its URL; the
runtime talks to the test's offline model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel

from ._served import ServedRuntime


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
def model_config(model: OfflineModel, workdir: Path) -> CodexConfig:
    return model.codex_config(cwd=str(workdir))


@pytest.fixture
def serve(
    model: OfflineModel, workdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., ServedRuntime]]:
    """``serve("unix"|"ws", extra_args=[...], socket_path=...)``: a runtime served on a socket for this test."""
    started: list[ServedRuntime] = []

    def start(
        kind: str, extra_args: list[str] | None = None, socket_path: Path | None = None
    ) -> ServedRuntime:
        # a short directory: Unix socket paths are limited to ~100 bytes
        path = socket_path or tmp_path_factory.mktemp("s", numbered=True) / "codex.sock"
        served = ServedRuntime(kind, model.env(), workdir, path, list(extra_args or []))
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()
