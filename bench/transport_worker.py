"""Diagnostic client: our transport (``openai_codex_transport``) with no facade on top.

Routes notifications by turn id from ``on_notification`` into per-turn unbounded anyio
memory streams, the least a facade on this transport can do. Comparing it with the floor
and with our SDK splits our cost between the transport and the facade. Not in the default
client list (``--clients floor,transport,ours,published`` adds it).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import AsyncIterator
from typing import Any

import anyio
from _measure import check, combine, cpu_s, emit, now, parse_args
from _script import expected_text, prompt
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from openai_codex_transport import JsonRpcConnection, StdioTransport

Pair = tuple[str, dict[str, Any]]


class TransportClient:
    def __init__(self, a: dict[str, Any]) -> None:
        self._a = a
        self._turns: dict[
            str, tuple[MemoryObjectSendStream[Pair], MemoryObjectReceiveStream[Pair]]
        ] = {}

    def _route(self, method: str, params: dict[str, Any]) -> None:
        tid = params.get("turnId")
        if tid is None:
            turn = params.get("turn")
            tid = turn.get("id") if isinstance(turn, dict) else None
        if tid is not None:
            pair = self._turns.get(tid)
            if pair is None:
                pair = self._turns[tid] = anyio.create_memory_object_stream[Pair](math.inf)
            pair[0].send_nowait((method, params))

    async def start(self) -> None:
        argv = [self._a["codex_bin"], "app-server", "--listen", "stdio://"]
        transport = await StdioTransport.spawn(argv, env={"CODEX_HOME": self._a["codex_home"]})
        self.conn = JsonRpcConnection(transport, on_notification=self._route)
        await self.conn.start()
        await self.conn.request(
            "initialize",
            {
                "clientInfo": {"name": "bench", "title": "bench", "version": "0"},
                "capabilities": {"experimentalApi": True},
            },
        )
        await self.conn.notify("initialized")

    async def thread_start(self) -> str:
        r = await self.conn.request(
            "thread/start", {"approvalPolicy": "on-request", "approvalsReviewer": "auto_review"}
        )
        return str(r["thread"]["id"])

    async def turn_start(self, thread_id: str, text: str) -> str:
        r = await self.conn.request(
            "turn/start", {"threadId": thread_id, "input": [{"type": "text", "text": text}]}
        )
        tid = str(r["turn"]["id"])
        if tid not in self._turns:
            self._turns[tid] = anyio.create_memory_object_stream[Pair](math.inf)
        return tid

    async def stream(self, turn_id: str) -> AsyncIterator[Pair]:
        receive = self._turns[turn_id][1]
        try:
            while True:
                method, params = await receive.receive()
                yield method, params
                if method == "turn/completed":
                    return
        finally:
            self._turns.pop(turn_id, None)

    async def run(self, thread_id: str, text: str) -> str | None:
        turn_id = await self.turn_start(thread_id, text)
        final = None
        async for method, params in self.stream(turn_id):
            if method == "item/completed" and params["item"].get("type") == "agentMessage":
                final = params["item"].get("text")
        return final


async def _concurrent(c: TransportClient, k: int, n: int) -> dict[str, Any]:
    threads: list[str] = []

    async def new_thread() -> None:
        threads.append(await c.thread_start())

    async with anyio.create_task_group() as tg:
        for _ in range(k):
            tg.start_soon(new_thread)
    finals: list[str | None] = []

    async def one(t: str) -> None:
        finals.append(await c.run(t, prompt(n)))

    c0, t0 = cpu_s(), now()
    async with anyio.create_task_group() as tg:
        for t in threads:
            tg.start_soon(one, t)
    wall, cpu = now() - t0, cpu_s() - c0
    check(all(f == expected_text(n) for f in finals), "a concurrent turn's text differs")
    return {"wall_s": wall, "cpu_s": cpu, "deltas": n * k}


async def _big_turn(c: TransportClient, metric: str, n: int) -> dict[str, Any]:
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
        if method == "item/agentMessage/delta":
            parts.append(params["delta"])
    wall, cpu = now() - t0, cpu_s() - c0
    check(len(parts) == n and "".join(parts) == expected_text(n), "streamed text differs")
    return {"wall_s": wall, "cpu_s": cpu, "notifications": count, "deltas": n}


async def main(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    c = TransportClient(a)
    t0 = now()
    await c.start()
    cold = now() - t0
    try:
        warm = await c.thread_start()
        check(await c.run(warm, prompt(3)) == expected_text(3), "warm-up reply")
        if metric == "latency":
            turns = []
            for _ in range(a["short_turns"]):
                t = now()
                final = await c.run(warm, prompt(3))
                turns.append(now() - t)
                check(final == expected_text(3), f"short reply {final!r}")
            return {"cold_start_s": cold, "short_turn_s": statistics.median(turns)}
        samples = []
        for _ in range(a["repeat"]):
            if metric == "concurrent":
                samples.append(await _concurrent(c, a["concurrency"], a["concurrent_deltas"]))
            else:
                samples.append(await _big_turn(c, metric, a["deltas"]))
        return combine(samples)
    finally:
        await c.conn.aclose()


if __name__ == "__main__":
    metric, args = parse_args()
    emit(anyio.run(main, metric, args))
