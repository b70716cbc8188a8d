"""The floor: the least a Python client can do to drive ``codex app-server``.

asyncio subprocess, ``json.loads`` per line, a dict of futures by request id, and
notifications routed to per-turn queues by turn id. No validation, no models, no
threads. Every SDK is measured against this.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import AsyncIterator
from typing import Any

_COMPLETED = "turn/completed"


def _turn_id_of(params: dict[str, Any]) -> str | None:
    tid = params.get("turnId")
    if tid is None:
        turn = params.get("turn")
        if isinstance(turn, dict):
            tid = turn.get("id")
    return tid


class FloorClient:
    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self._slots: asyncio.Semaphore | None = None
        self._argv = argv
        self._env = env
        self._ids = itertools.count()
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._turns: dict[str, asyncio.Queue[tuple[str, dict[str, Any]]]] = {}
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> dict[str, Any]:
        env = dict(os.environ)
        if self._env:
            env.update(self._env)
        self._proc = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            limit=64 * 1024 * 1024,  # longest line (a 20 MB reply); asyncio buffers at most 2x this
        )
        self._reader = asyncio.create_task(self._read())
        result = await self.request(
            "initialize",
            {
                "clientInfo": {"name": "floor", "title": "floor", "version": "0"},
                "capabilities": {"experimentalApi": True},
            },
        )
        await self._write({"method": "initialized"})
        return result  # type: ignore[no-any-return]

    async def _write(self, msg: dict[str, Any]) -> None:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(msg).encode() + b"\n")
        await self._proc.stdin.drain()

    async def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        # at most 32 requests in flight, as the SDK: the runtime refuses what overflows its
        # queue (-32001), and a client that sends hundreds at once loses turns
        if self._slots is None:
            self._slots = asyncio.Semaphore(32)
        async with self._slots:
            rid = next(self._ids)
            fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[rid] = fut
            await self._write({"id": rid, "method": method, "params": params or {}})
            return await fut

    async def _read(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        stdout = self._proc.stdout
        try:
            while True:
                line = await stdout.readline()
                if not line:
                    break
                msg = json.loads(line)
                method = msg.get("method")
                if method is None:
                    fut = self._pending.pop(msg["id"], None)
                    if fut is not None and not fut.done():
                        if "error" in msg:
                            fut.set_exception(RuntimeError(str(msg["error"])))
                        else:
                            fut.set_result(msg.get("result"))
                elif "id" in msg:
                    # A server request (approval etc.): the benchmark never triggers one.
                    await self._write(
                        {"id": msg["id"], "error": {"code": -32601, "message": "floor"}}
                    )
                else:
                    params = msg.get("params") or {}
                    tid = _turn_id_of(params)
                    if tid is not None:
                        q = self._turns.get(tid)
                        if q is None:
                            q = self._turns[tid] = asyncio.Queue()
                        q.put_nowait((method, params))
        finally:
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(RuntimeError("app-server exited"))
            self._pending.clear()

    async def thread_start(self) -> str:
        result = await self.request(
            "thread/start", {"approvalPolicy": "on-request", "approvalsReviewer": "auto_review"}
        )
        return result["thread"]["id"]  # type: ignore[no-any-return]

    async def turn_start(self, thread_id: str, text: str) -> str:
        result = await self.request(
            "turn/start",
            {"threadId": thread_id, "input": [{"type": "text", "text": text}]},
        )
        tid: str = result["turn"]["id"]
        self._turns.setdefault(tid, asyncio.Queue())
        return tid

    async def stream(self, turn_id: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        q = self._turns[turn_id]
        try:
            while True:
                method, params = await q.get()
                yield method, params
                if method == _COMPLETED:
                    return
        finally:
            self._turns.pop(turn_id, None)

    async def run(self, thread_id: str, text: str) -> str | None:
        """A turn's final agent message text (from item/completed), like the SDKs' run()."""
        turn_id = await self.turn_start(thread_id, text)
        final: str | None = None
        async for method, params in self.stream(turn_id):
            if method == "item/completed":
                item = params.get("item") or {}
                if item.get("type") == "agentMessage":
                    final = item.get("text")
            elif method == _COMPLETED and params["turn"].get("status") == "failed":
                raise RuntimeError(str(params["turn"].get("error")))
        return final

    async def close(self) -> None:
        if self._proc is None:
            return
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            await asyncio.wait_for(self._proc.wait(), 5)
        except asyncio.TimeoutError:
            self._proc.kill()
            await self._proc.wait()
        if self._reader is not None:
            await self._reader
        self._proc = None
