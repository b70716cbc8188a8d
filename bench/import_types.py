"""Import cost of openai_codex_types against the floor, `from pydantic import BaseModel`.

    python bench/import_types.py [--runs 21]

Each sample is a fresh interpreter (`python -c ...`, timed inside the child with
perf_counter around the statement, so interpreter start-up is excluded). The two statements
alternate run by run so that machine load hits both alike; the medians and their ratio are
printed. The issue's bar is ratio <= 1.5.

Also reported (same method, not part of the bar): the first use of a model, i.e. importing
TurnCompletedNotification and validating one turn/completed payload, and the registry import.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TIMER = """
import time
_t0 = time.perf_counter()
{stmt}
_t1 = time.perf_counter()
print((_t1 - _t0) * 1e3)
"""

TURN_COMPLETED = {
    "threadId": "thr_1",
    "turn": {
        "id": "turn_1",
        "status": "completed",
        "error": None,
        "startedAt": 1700000000,
        "completedAt": 1700000003,
        "durationMs": 3000,
        "items": [
            {"type": "userMessage", "id": "i0", "content": [{"type": "text", "text": "hi"}]},
            {"type": "reasoning", "id": "i1", "summary": ["thinking"], "content": []},
            {
                "type": "agentMessage",
                "id": "i2",
                "text": "Hello!",
                "phase": "final_answer",
            },
        ],
    },
}

CASES = {
    "pydantic": "from pydantic import BaseModel",
    "types": "import openai_codex_types",
    "types+registry": "import openai_codex_types.registry",
    "first-use": (
        "from openai_codex_types import TurnCompletedNotification\n"
        f"TurnCompletedNotification.model_validate({TURN_COMPLETED!r})"
    ),
}


def sample(stmt: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(stmt=stmt)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    for stmt in CASES.values():  # warm the bytecode caches
        sample(stmt)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, stmt in CASES.items():
            times[name].append(sample(stmt))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["types"] / medians["pydantic"]
    if args.json:
        print(json.dumps({"medians_ms": medians, "ratio": ratio, "runs": args.runs}))
    else:
        for name, value in medians.items():
            print(f"{name:>15}: {value:7.1f} ms (median of {args.runs})")
        print(f"ratio import openai_codex_types / from pydantic import BaseModel: {ratio:.2f}")
        print("bar: <= 1.5 -> " + ("OK" if ratio <= 1.5 else "TOO SLOW"))
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
