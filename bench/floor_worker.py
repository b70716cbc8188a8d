"""Runs one measurement with the floor client (bench/floor.py); prints one BENCH-RESULT line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from _measure import emit, now, parse_args
from _raw_client_metrics import measure
from floor import FloorClient


async def _gather(aws: list[Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*aws))


async def main(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    argv = [a["codex_bin"], "app-server", "--listen", "stdio://"]
    c = FloorClient(argv, {"CODEX_HOME": a["codex_home"]})
    t0 = now()
    await c.start()
    cold = now() - t0
    try:
        return await measure(c, metric, a, cold, _gather)
    finally:
        await c.close()


if __name__ == "__main__":
    metric, args = parse_args()
    emit(asyncio.run(main(metric, args)))
