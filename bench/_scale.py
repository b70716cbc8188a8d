"""The workloads users run at scale, for every client (stdlib + asyncio only).

Each takes ``ops``: four async callables every client provides (``start`` makes a ready
client, ``thread``/``run``/``close`` take that client), so the floor, our SDK and the
published SDK do the same work: the same requests against the same runtime and model.

- ``first_answer``: from the worker's first line (before the client's import) to the
  first turn's answer, in a fresh process: import + start + thread + one short turn.
- ``sequential``: short turns one after another on one thread: CPU and wall per turn.
- ``scale``: ``k`` short turns at once on one client, on threads made beforehand (not
  timed); turns that fail are counted, not raised.
- ``clients16``: 16 clients in one process at once, each a thread and 4 short turns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from _measure import check, cpu_s, now, status_mb
from _script import big_prompt, big_text, expected_text, prompt

SHORT = prompt(3)
ANSWER = expected_text(3)


@dataclass
class Ops:
    start: Callable[[], Awaitable[Any]]
    thread: Callable[[Any], Awaitable[Any]]
    run: Callable[[Any, str], Awaitable[str | None]]
    close: Callable[[Any], Awaitable[None]]


def children_cpu_s() -> float:
    """CPU seconds of this process's reaped children (the runtimes it closed)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


async def first_answer(ops: Ops, t_process: float) -> dict[str, Any]:
    t0 = now()
    client = await ops.start()
    cold = now() - t0
    try:
        t1 = now()
        thread = await ops.thread(client)
        final = await ops.run(thread, SHORT)
        done = now()
        check(final == ANSWER, f"first answer {final!r}")
    finally:
        await ops.close(client)
    return {
        "first_answer_s": done - t_process,
        "first_turn_s": done - t1,
        "cold_start_s": cold,
        "runtime_cpu_s": children_cpu_s(),
    }


async def sequential(ops: Ops, turns: int) -> dict[str, Any]:
    client = await ops.start()
    try:
        thread = await ops.thread(client)
        check(await ops.run(thread, SHORT) == ANSWER, "warm-up reply")
        c0, t0 = cpu_s(), now()
        for _ in range(turns):
            check(await ops.run(thread, SHORT) == ANSWER, "short reply")
        wall, cpu = now() - t0, cpu_s() - c0
    finally:
        await ops.close(client)
    return {
        "cpu_per_turn_s": cpu / turns,
        "wall_per_turn_s": wall / turns,
        "runtime_cpu_s": children_cpu_s(),
    }


async def scale(ops: Ops, k: int) -> dict[str, Any]:
    client = await ops.start()
    try:
        threads: list[Any] = []
        while len(threads) < k:  # beforehand, 16 at a time, untimed
            batch = min(16, k - len(threads))
            threads += await asyncio.gather(*(ops.thread(client) for _ in range(batch)))
        check(await ops.run(threads[0], SHORT) == ANSWER, "warm-up reply")
        c0, t0 = cpu_s(), now()
        finals = await asyncio.gather(*(ops.run(t, SHORT) for t in threads), return_exceptions=True)
        wall, cpu = now() - t0, cpu_s() - c0
    finally:
        await ops.close(client)
    failed = [f for f in finals if isinstance(f, BaseException)]
    wrong = [f for f in finals if not isinstance(f, BaseException) and f != ANSWER]
    check(not wrong, f"{len(wrong)} concurrent turns answered wrongly")
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "failed": len(failed),
        "failure": repr(failed[0])[:200] if failed else "",
        "runtime_cpu_s": children_cpu_s(),
    }


async def clients16(ops: Ops) -> dict[str, Any]:
    # one start first, untimed: runtime 0.163.0 fails all but one of several first starts
    # in a fresh CODEX_HOME (our SDK takes turns; the floor and the published SDK do not)
    await ops.close(await ops.start())

    async def one() -> None:
        client = await ops.start()
        try:
            thread = await ops.thread(client)
            for _ in range(4):
                check(await ops.run(thread, SHORT) == ANSWER, "short reply")
        finally:
            await ops.close(client)

    c0, t0 = cpu_s(), now()
    await asyncio.gather(*(one() for _ in range(16)))
    return {"wall_s": now() - t0, "cpu_s": cpu_s() - c0, "runtime_cpu_s": children_cpu_s()}


def _status_mb(field: str) -> float:
    value = status_mb(field)
    if value is None:
        raise SystemExit(f"no {field} in /proc/self/status (the big_reply workload needs Linux)")
    return value


def _reset_peak() -> None:
    """Reset the peak resident size (VmHWM) to the current one (Linux)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


async def big_reply(ops: Ops, megabytes: int) -> dict[str, Any]:
    """One reply of ``megabytes`` MiB: the memory it takes while it arrives (peak over the
    resident size before the turn, per MiB of payload) and what stays once it is dropped."""
    import gc

    expected = big_text(megabytes)
    client = await ops.start()
    try:
        thread = await ops.thread(client)
        check(await ops.run(thread, SHORT) == ANSWER, "warm-up reply")
        gc.collect()
        _reset_peak()
        before = _status_mb("VmRSS")
        final = await ops.run(thread, big_prompt(megabytes))
        check(final == expected, "the big reply differs from what the model sent")
        peak = _status_mb("VmHWM")
        del final
        gc.collect()
        after = _status_mb("VmRSS")
    finally:
        await ops.close(client)
    return {
        "payload_mb": float(megabytes),
        "peak_over_payload": (peak - before) / megabytes,
        "retained_mb": after - before,
    }


async def measure_scale(
    ops: Ops, metric: str, a: dict[str, Any], t_process: float
) -> dict[str, Any]:
    if metric == "first_answer":
        return await first_answer(ops, t_process)
    if metric == "sequential":
        return await sequential(ops, a.get("sequential_turns", 20))
    if metric == "scale64":
        return await scale(ops, 64)
    if metric == "scale256":
        return await scale(ops, 256)
    if metric == "clients16":
        return await clients16(ops)
    if metric == "big_reply":
        return await big_reply(ops, a.get("big_megabytes", 20))
    raise SystemExit(f"unknown metric {metric}")


SCALE_METRICS = ("first_answer", "sequential", "scale64", "scale256", "clients16", "big_reply")
