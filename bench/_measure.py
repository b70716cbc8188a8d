"""Measurement helpers shared by the worker processes (stdlib only: runs in every venv)."""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

from _script import expected_text

RESULT_MARK = "BENCH-RESULT "


def cpu_s() -> float:
    """This process's own CPU seconds (user + system, all its threads; not its children)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def status_mb(field: str) -> float | None:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``) in MiB; None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB.

    On Linux this is ``VmHWM`` from /proc/self/status: ``ru_maxrss`` would be wrong there,
    because exec carries the parent's high-water mark over into the child's ru_maxrss (a
    worker started by a 60 MiB parent would report at least 60 MiB).
    """
    peak = status_mb("VmHWM")
    if peak is not None:
        return peak
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / (1024 * 1024)


now = time.perf_counter


def emit(result: dict[str, Any]) -> None:
    result.setdefault("peak_rss_mb", peak_rss_mb())
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


def check(ok: bool, what: str) -> None:
    if not ok:
        raise SystemExit(f"check failed: {what}")


def check_stream(parts: list[str], n: int) -> None:
    """The streamed deltas are exactly the ``n`` pieces the model sent."""
    check(len(parts) == n, f"{len(parts)} deltas, expected {n}")
    check("".join(parts) == expected_text(n), "streamed text differs from what the model sent")


def parse_args() -> tuple[str, dict[str, Any]]:
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: {sys.argv[0]} METRIC ARGS_JSON")
    return sys.argv[1], json.loads(sys.argv[2])


def combine(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Several measured turns in one worker: the fastest wall time (the one least disturbed
    by other load on the machine) and the median CPU seconds; every sample is kept."""
    import statistics

    out = dict(samples[0])
    out["wall_s"] = min(s["wall_s"] for s in samples)
    out["cpu_s"] = statistics.median(s["cpu_s"] for s in samples)
    out["walls"] = [s["wall_s"] for s in samples]
    out["cpus"] = [s["cpu_s"] for s in samples]
    return out
