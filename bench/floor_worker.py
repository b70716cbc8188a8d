"""Runs one measurement with the floor client (bench/floor.py); prints one BENCH-RESULT line."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

from _measure import check, combine, cpu_s, emit, now, parse_args
from _script import expected_text, prompt
from floor import FloorClient


async def _stream_turn(c: FloorClient, thread_id: str, n: int) -> dict[str, Any]:
    c0, t0 = cpu_s(), now()
    turn_id = await c.turn_start(thread_id, prompt(n))
    parts: list[str] = []
    count = 0
    async for method, params in c.stream(turn_id):
        count += 1
        if method == "item/agentMessage/delta":
            parts.append(params["delta"])
    wall, cpu = now() - t0, cpu_s() - c0
    check(len(parts) == n, f"{len(parts)} deltas, expected {n}")
    check("".join(parts) == expected_text(n), "streamed text differs from what the model sent")
    return {"wall_s": wall, "cpu_s": cpu, "notifications": count, "deltas": n}


async def main(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    argv = [a["codex_bin"], "app-server", "--listen", "stdio://"]
    c = FloorClient(argv, {"CODEX_HOME": a["codex_home"]})
    t0 = now()
    await c.start()
    cold = now() - t0
    try:
        if metric == "latency":
            thread = await c.thread_start()
            check(await c.run(thread, prompt(3)) == expected_text(3), "warm-up reply")
            turns = []
            for _ in range(a["short_turns"]):
                t = now()
                final = await c.run(thread, prompt(3))
                turns.append(now() - t)
                check(final == expected_text(3), f"short reply {final!r}")
            return {"cold_start_s": cold, "short_turn_s": statistics.median(turns)}
        if metric in ("stream_sync", "stream_async", "run"):
            warm = await c.thread_start()
            check(await c.run(warm, prompt(3)) == expected_text(3), "warm-up reply")
            n = a["deltas"]
            samples = []
            for _ in range(a["repeat"]):
                thread = await c.thread_start()
                if metric != "run":
                    samples.append(await _stream_turn(c, thread, n))
                    continue
                c0, t0 = cpu_s(), now()
                final = await c.run(thread, prompt(n))
                wall, cpu = now() - t0, cpu_s() - c0
                check(
                    final == expected_text(n), "run() final text differs from what the model sent"
                )
                samples.append({"wall_s": wall, "cpu_s": cpu, "deltas": n})
            return combine(samples)
        if metric == "concurrent":
            k, n = a["concurrency"], a["concurrent_deltas"]
            warm = await c.thread_start()
            check(await c.run(warm, prompt(3)) == expected_text(3), "warm-up reply")
            samples = []
            for _ in range(a["repeat"]):
                threads = await asyncio.gather(*(c.thread_start() for _ in range(k)))
                c0, t0 = cpu_s(), now()
                finals = await asyncio.gather(*(c.run(t, prompt(n)) for t in threads))
                wall, cpu = now() - t0, cpu_s() - c0
                check(
                    all(f == expected_text(n) for f in finals), "a concurrent turn's text differs"
                )
                samples.append({"wall_s": wall, "cpu_s": cpu, "deltas": n * k})
            return combine(samples)
        raise SystemExit(f"unknown metric {metric}")
    finally:
        await c.close()


if __name__ == "__main__":
    metric, args = parse_args()
    emit(asyncio.run(main(metric, args)))
