"""Diagnostic client: our transport (``openai_codex_transport``) with no facade on top.

Routes notifications by turn id from ``on_notification`` into per-turn unbounded anyio
memory streams, the least a facade on this transport can do. Comparing it with the floor
and with our SDK splits our cost between the transport and the facade. Not in the default
client list (``--clients floor,transport,ours,published`` adds it).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import anyio
from _measure import emit, now, parse_args
from _raw_client_metrics import measure
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


async def _gather(aws: list[Awaitable[Any]]) -> list[Any]:
    results: list[Any] = [None] * len(aws)

    async def one(i: int, aw: Awaitable[Any]) -> None:
        results[i] = await aw

    async with anyio.create_task_group() as tg:
        for i, aw in enumerate(aws):
            tg.start_soon(one, i, aw)
    return results


async def main(metric: str, a: dict[str, Any]) -> dict[str, Any]:
    c = TransportClient(a)
    t0 = now()
    await c.start()
    cold = now() - t0
    try:
        return await measure(c, metric, a, cold, _gather)
    finally:
        await c.conn.aclose()


if __name__ == "__main__":
    metric, args = parse_args()
    emit(anyio.run(main, metric, args))
