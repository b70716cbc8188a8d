"""The cost of one Python hook round trip (``nox -s bench`` runs it; or run this file).

    python bench/hook_roundtrip.py [--calls 40] [--turn-calls 10]

Three figures, medians (and p90) in milliseconds:

- ``python_start``: ``python -I -S -c pass``, the floor of any Python relay;
- ``relay_round_trip``: what the runtime pays per matching event, measured from here: spawn
  the relay with a ``PreToolUse`` payload on stdin, the relay connects to a live
  ``HookServer``, the hook function (``return None``) answers, the relay writes and exits;
- ``runtime_hook``: the ``durationMs`` the runtime itself reports in ``hook/completed``
  for a ``pre_tool_use`` hook during real turns (shell calls from the offline model).

Target (issue 32): a round trip <= 30 ms on the bench machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import anyio

PAYLOAD = {
    "session_id": "bench",
    "turn_id": "bench-turn",
    "cwd": "/",
    "hook_event_name": "PreToolUse",
    "model": "offline-model",
    "permission_mode": "default",
    "transcript_path": None,
    "tool_name": "Bash",
    "tool_input": {"command": "echo hi"},
    "tool_use_id": "call_bench",
}


def _summary(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p90_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.9))], 2),
        "min_ms": round(ms[0], 2),
        "n": len(ms),
    }


async def _relay_round_trips(calls: int) -> tuple[list[float], list[float]]:
    from openai_codex.hooks import Hooks
    from openai_codex.hooks._server import RELAY_PATH, HookServer

    hooks = Hooks()
    hooks.on("pre_tool_use", lambda event: None)
    (registration,) = hooks
    server = HookServer()
    await server.start()
    try:
        server.relay_hook(registration)
        argv = [sys.executable, "-I", "-S", str(RELAY_PATH), str(server.directory), "0", "30"]
        argv.append("PreToolUse")
        stdin = json.dumps(PAYLOAD).encode()
        starts, trips = [], []
        for _ in range(calls):
            t = time.perf_counter()
            await anyio.run_process([sys.executable, "-I", "-S", "-c", "pass"])
            starts.append(time.perf_counter() - t)
            t = time.perf_counter()
            done = await anyio.run_process(argv, input=stdin)
            trips.append(time.perf_counter() - t)
            if done.returncode != 0 or done.stdout:
                raise SystemExit(f"relay answered {done.returncode} {done.stdout!r}")
        if server.calls != calls:
            raise SystemExit(f"the server answered {server.calls} of {calls} relays")
        return starts, trips
    finally:
        await server.aclose()


def _runtime_hook_durations(turn_calls: int) -> list[float]:
    from openai_codex import Codex
    from openai_codex.hooks import Hooks
    from openai_codex.testing import OfflineModel, Reply

    hooks = Hooks()
    hooks.on("pre_tool_use", lambda event: None)
    durations: list[float] = []
    with OfflineModel() as model:
        replies = [
            Reply.shell("true", call_id=f"call_{i}", yield_time_ms=30_000)
            for i in range(turn_calls)
        ]
        model.enqueue(*replies, Reply.text("done"))
        with Codex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
            thread = codex.thread_start()
            turn = thread.turn("run the commands")
            for event in turn.stream():
                if event.method == "hook/completed":
                    ms = event.payload.run.duration_ms
                    if ms is not None:
                        durations.append(ms / 1000)
    if len(durations) != turn_calls:
        raise SystemExit(f"saw {len(durations)} hook runs for {turn_calls} tool calls")
    return durations


def measure(calls: int = 40, turn_calls: int = 10) -> dict[str, Any]:
    """All three figures (see the module docstring)."""
    starts, trips = anyio.run(_relay_round_trips, calls)
    return {
        "python_start": _summary(starts),
        "relay_round_trip": _summary(trips),
        "runtime_hook": _summary(_runtime_hook_durations(turn_calls)),
        "target_ms": 30,
    }


def report(result: dict[str, Any]) -> str:
    lines = ["hook round trip (ms)        median    p90    min    n"]
    for name in ("python_start", "relay_round_trip", "runtime_hook"):
        r = result[name]
        lines.append(
            f"  {name:<24}{r['median_ms']:>8.1f}{r['p90_ms']:>7.1f}{r['min_ms']:>7.1f}{r['n']:>5}"
        )
    met = result["relay_round_trip"]["median_ms"] <= result["target_ms"]
    lines.append(f"  target <= {result['target_ms']} ms: {'met' if met else 'MISSED'}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--calls", type=int, default=40, help="relay round trips")
    ap.add_argument("--turn-calls", type=int, default=10, help="tool calls in the real turn")
    ap.add_argument("--out", type=Path, default=None, help="also write the figures as JSON")
    ns = ap.parse_args()
    result = measure(ns.calls, ns.turn_calls)
    print(report(result))
    if ns.out is not None:
        ns.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
