"""Fixtures of the hooks tests: both async backends, an offline model per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openai_codex.testing import OfflineModel


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def model() -> Iterator[OfflineModel]:
    with OfflineModel() as m:
        yield m
