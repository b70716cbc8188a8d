"""Runs one measurement with the floor client (bench/floor.py); prints one BENCH-RESULT line."""
# ruff: noqa: E402  (the clock starts before the imports: first_answer counts them)

from __future__ import annotations

import time

T_PROCESS = time.perf_counter()  # before the client's imports (first_answer counts them)

import asyncio
from collections.abc import Awaitable
from typing import Any

from _measure import emit, now, parse_args
from _scale import SCALE_METRICS, Ops, measure_scale


async def _gather(aws: list[Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*aws))


def _ops(a: dict[str, Any]) -> Ops:
    from floor import FloorClient

    argv = [a["codex_bin"], "app-server", "--listen", "stdio://"]

    async def start() -> FloorClient:
        c = FloorClient(argv, {"CODEX_HOME": a["codex_home"]})
        await c.start()
        return c

    async def thread(c: FloorClient) -> tuple[FloorClient, str]:
        return c, await c.thread_start()

    async def run(t: tuple[FloorClient, str], text: str) -> str | None:
        return await t[0].run(t[1], text)

    async def close(c: FloorClient) -> None:
        await c.close()

    return Ops(start, thread, run, close)


async def main(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    if metric in SCALE_METRICS:
        return await measure_scale(_ops(a), metric, a, T_PROCESS)
    from _raw_client_metrics import measure
    from floor import FloorClient

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
