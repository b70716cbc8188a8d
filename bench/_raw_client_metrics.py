"""The measurements of the two clients that speak the protocol with no facade: the floor
(floor_worker.py, asyncio) and our bare transport (transport_worker.py, anyio).

Both clients have the same four calls (:class:`RawClient`), so one script measures
them; only how concurrent turns are gathered differs (``gather``).
"""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from _measure import check, check_stream, combine, cpu_s, now
from _script import expected_text, prompt

DELTA = "item/agentMessage/delta"
# runs the awaitables concurrently; their results in order
Gather = Callable[[list[Awaitable[Any]]], Awaitable[list[Any]]]


class RawClient(Protocol):
    async def thread_start(self) -> str: ...

    async def turn_start(self, thread_id: str, text: str) -> str: ...

    def stream(self, turn_id: str) -> AsyncIterator[tuple[str, dict[str, Any]]]: ...

    async def run(self, thread_id: str, text: str) -> str | None: ...


async def measure(
    c: RawClient, metric: str, a: dict[str, Any], cold_start_s: float, gather: Gather
) -> dict[str, Any]:
    """One worker's measurement of ``metric`` on a started client."""
    if metric not in ("latency", "stream_sync", "stream_async", "run", "concurrent"):
        raise SystemExit(f"unknown metric {metric}")
    warm = await c.thread_start()
    check(await c.run(warm, prompt(3)) == expected_text(3), "warm-up reply")
    if metric == "latency":
        turns = []
        for _ in range(a["short_turns"]):
            t = now()
            final = await c.run(warm, prompt(3))
            turns.append(now() - t)
            check(final == expected_text(3), f"short reply {final!r}")
        return {"cold_start_s": cold_start_s, "short_turn_s": statistics.median(turns)}
    samples = []
    for _ in range(a["repeat"]):
        if metric == "concurrent":
            samples.append(await _concurrent(c, a["concurrency"], a["concurrent_deltas"], gather))
        else:
            samples.append(await _big_turn(c, metric, a["deltas"]))
    return combine(samples)


async def _big_turn(c: RawClient, metric: str, n: int) -> dict[str, Any]:
    thread = await c.thread_start()
    c0, t0 = cpu_s(), now()
    if metric == "run":
        final = await c.run(thread, prompt(n))
        wall, cpu = now() - t0, cpu_s() - c0
        check(final == expected_text(n), "run() final text differs from what the model sent")
        return {"wall_s": wall, "cpu_s": cpu, "deltas": n}
    turn_id = await c.turn_start(thread, prompt(n))
    parts: list[str] = []
    count = 0
    async for method, params in c.stream(turn_id):
        count += 1
        if method == DELTA:
            parts.append(params["delta"])
    wall, cpu = now() - t0, cpu_s() - c0
    check_stream(parts, n)
    return {"wall_s": wall, "cpu_s": cpu, "notifications": count, "deltas": n}


async def _concurrent(c: RawClient, k: int, n: int, gather: Gather) -> dict[str, Any]:
    threads = await gather([c.thread_start() for _ in range(k)])
    c0, t0 = cpu_s(), now()
    finals = await gather([c.run(t, prompt(n)) for t in threads])
    wall, cpu = now() - t0, cpu_s() - c0
    check(all(f == expected_text(n) for f in finals), "a concurrent turn's text differs")
    return {"wall_s": wall, "cpu_s": cpu, "deltas": n * k}
