"""pytest fixtures for the offline model.

Enable them in a ``conftest.py``::

    pytest_plugins = ["openai_codex.testing.pytest_plugin"]

Fixtures:

- ``offline_model``: a started :class:`~openai_codex.testing.OfflineModel`, closed after
  the test.
- ``offline_codex_config``: an ``openai_codex.CodexConfig`` for it, with ``CODEX_HOME``
  in the test's ``tmp_path`` (so the runtime's files are kept with the test's).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ._model import OfflineModel

if TYPE_CHECKING:
    from openai_codex import CodexConfig

__all__ = ["offline_codex_config", "offline_model"]


@pytest.fixture
def offline_model() -> Iterator[OfflineModel]:
    """A started offline model; queue replies with ``offline_model.enqueue(...)``."""
    with OfflineModel() as model:
        yield model


@pytest.fixture
def offline_codex_config(offline_model: OfflineModel, tmp_path: Path) -> CodexConfig:
    """A ``CodexConfig`` whose runtime talks to ``offline_model``."""
    return offline_model.codex_config(codex_home=tmp_path / "codex-home")
