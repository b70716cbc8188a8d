"""Clients starting in a fresh CODEX_HOME over 0-300 ms never collide (issue 27).

Runtime 0.163.0 writes its state file 15-40 ms after the spawn but answers ``initialize``
only at 120-170 ms; a start in that gap used to skip the first-start lock and fail.
"""

from __future__ import annotations

import time
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex
from openai_codex.testing import OfflineModel

CLIENTS = 64
SPREAD_S = 0.3


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_64_staggered_starts_on_a_fresh_home(tmp_path: Path) -> None:
    with OfflineModel() as model:
        config = model.codex_config(cwd=str(tmp_path), fresh_home=True)
        home = Path(config.env["CODEX_HOME"])  # type: ignore[index]
        assert not list(home.glob("state_*.sqlite"))
        failures: list[BaseException] = []
        started: list[float] = []
        origin = time.monotonic()

        async def one(n: int) -> None:
            await anyio.sleep(SPREAD_S * n / (CLIENTS - 1))  # the stagger, not a sync
            started.append(time.monotonic() - origin)
            try:
                async with AsyncCodex(config) as codex:
                    await codex.models()
            except Exception as exc:
                failures.append(exc)

        with anyio.fail_after(240):
            async with anyio.create_task_group() as tg:
                for n in range(CLIENTS):
                    tg.start_soon(one, n)
        assert failures == []
        assert len(started) == CLIENTS
        assert max(started) - min(started) >= SPREAD_S * 0.9
        assert list(home.glob("state_*.sqlite"))
