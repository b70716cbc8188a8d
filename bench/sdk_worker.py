# ruff: noqa: E402  (the clock starts before the imports: first_answer counts them)
"""Runs one measurement through an ``openai_codex`` SDK; prints one BENCH-RESULT line.

The same file drives both SDKs: the interpreter it runs in decides which ``openai_codex``
is imported (ours in the workspace venv, the published 0.163.0 in .bench/published).
Only the public API shared by both is used.
"""

from __future__ import annotations

import time

T_PROCESS = time.perf_counter()  # before the SDK's import (first_answer counts it)

import asyncio
import statistics
from typing import Any

from _measure import check, check_stream, combine, cpu_s, emit, now, parse_args
from _scale import SCALE_METRICS, Ops, measure_scale
from _script import expected_text, prompt

DELTA = "item/agentMessage/delta"


def _config(a: dict[str, Any]) -> Any:
    from openai_codex import CodexConfig

    return CodexConfig(codex_bin=a["codex_bin"], env={"CODEX_HOME": a["codex_home"]})


def sync_metric(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    from openai_codex import Codex

    cfg = _config(a)
    t0 = now()
    codex = Codex(cfg)
    cold = now() - t0
    try:
        thread = codex.thread_start()
        check(thread.run(prompt(3)).final_response == expected_text(3), "warm-up reply")
        if metric == "latency":
            turns = []
            for _ in range(a["short_turns"]):
                t = now()
                final = thread.run(prompt(3)).final_response
                turns.append(now() - t)
                check(final == expected_text(3), f"short reply {final!r}")
            return {"cold_start_s": cold, "short_turn_s": statistics.median(turns)}
        n = a["deltas"]
        if metric not in ("stream_sync", "run"):
            raise SystemExit(f"unknown metric {metric}")
        samples = []
        for _ in range(a["repeat"]):
            thread = codex.thread_start()
            c0, t0 = cpu_s(), now()
            if metric == "stream_sync":
                handle = thread.turn(prompt(n))
                parts: list[str] = []
                count = 0
                for ev in handle.stream():
                    count += 1
                    if ev.method == DELTA:
                        parts.append(ev.payload.delta)
                wall, cpu = now() - t0, cpu_s() - c0
                check_stream(parts, n)
                samples.append({"wall_s": wall, "cpu_s": cpu, "notifications": count, "deltas": n})
            else:
                final = thread.run(prompt(n)).final_response
                wall, cpu = now() - t0, cpu_s() - c0
                check(
                    final == expected_text(n), "run() final text differs from what the model sent"
                )
                samples.append({"wall_s": wall, "cpu_s": cpu, "deltas": n})
        return combine(samples)
    finally:
        codex.close()


async def async_metric(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    from openai_codex import AsyncCodex

    async with AsyncCodex(_config(a)) as codex:
        if metric == "stream_async":
            thread = await codex.thread_start()
            warm = await thread.run(prompt(3))
            check(warm.final_response == expected_text(3), "warm-up reply")
            n = a["deltas"]
            samples = []
            for _ in range(a["repeat"]):
                thread = await codex.thread_start()
                c0, t0 = cpu_s(), now()
                handle = await thread.turn(prompt(n))
                parts: list[str] = []
                count = 0
                async for ev in handle.stream():
                    count += 1
                    if ev.method == DELTA:
                        parts.append(ev.payload.delta)
                wall, cpu = now() - t0, cpu_s() - c0
                check_stream(parts, n)
                samples.append({"wall_s": wall, "cpu_s": cpu, "notifications": count, "deltas": n})
            return combine(samples)
        if metric == "concurrent":
            k, n = a["concurrency"], a["concurrent_deltas"]
            warm_thread = await codex.thread_start()
            warm = await warm_thread.run(prompt(3))
            check(warm.final_response == expected_text(3), "warm-up reply")
            samples = []
            for _ in range(a["repeat"]):
                threads = await asyncio.gather(*(codex.thread_start() for _ in range(k)))
                c0, t0 = cpu_s(), now()
                results = await asyncio.gather(*(t.run(prompt(n)) for t in threads))
                wall, cpu = now() - t0, cpu_s() - c0
                check(
                    all(r.final_response == expected_text(n) for r in results),
                    "a concurrent turn's text differs",
                )
                samples.append({"wall_s": wall, "cpu_s": cpu, "deltas": n * k})
            return combine(samples)
        raise SystemExit(f"unknown metric {metric}")


def _ops(a: dict[str, Any]) -> Ops:
    async def start() -> Any:
        from openai_codex import AsyncCodex

        codex = AsyncCodex(_config(a))
        await codex.__aenter__()
        return codex

    async def thread(codex: Any) -> Any:
        return await codex.thread_start()

    async def run(thread: Any, text: str) -> str | None:
        return (await thread.run(text)).final_response  # type: ignore[no-any-return]

    async def close(codex: Any) -> None:
        await codex.__aexit__(None, None, None)

    return Ops(start, thread, run, close)


if __name__ == "__main__":
    metric, args = parse_args()
    if metric in SCALE_METRICS:
        emit(asyncio.run(measure_scale(_ops(args), metric, args, T_PROCESS)))
    elif metric in ("stream_async", "concurrent"):
        emit(asyncio.run(async_metric(metric, args)))
    else:
        emit(sync_metric(metric, args))
