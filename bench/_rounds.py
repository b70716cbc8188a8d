"""The interleaved round scheduler and the medians over its samples.

Every round runs every metric for every client, one fresh worker process each; the order
of the clients rotates every round, so no client always runs first (or last) on a
machine whose load changes.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _clients import Client
from _worker_process import fastest_import, precompile, run_import, run_worker

# client name -> metric -> one result per round
Samples = dict[str, dict[str, list[dict[str, Any]]]]


def run_rounds(
    clients: list[Client],
    metrics: list[str],
    rounds: int,
    params: dict[str, Any],
    imports_per_round: int,
    write_home: Callable[[Path], None],
    workdir: Path,
    timeout: float,
    log: Callable[[str], None],
) -> Samples:
    samples: Samples = {c.name: {} for c in clients}
    for c in clients:  # bytecode for everything each client imports, once
        log(f"byte-compiling what {c.name} imports ...")
        precompile(c, timeout)
        run_import(c, timeout)
    for r in range(rounds):
        order = clients[r % len(clients) :] + clients[: r % len(clients)]
        for metric in metrics:
            for c in order:
                if metric == "import":
                    runs = [fastest_import(c, imports_per_round, timeout)]
                else:
                    runs = [run_worker(c, metric, params, write_home, workdir, timeout)]
                samples[c.name].setdefault(metric, []).extend(runs)
                for res in runs:
                    if "error" in res:
                        log(f"  round {r + 1} {metric:<12} {c.name:<9} ERROR {res['error']}")
                log(f"  round {r + 1} {metric:<12} {c.name:<9} {brief(runs[-1])}")
    return samples


def summarise(samples: Samples) -> dict[str, Any]:
    """Median of every numeric field per client and metric; errors counted."""
    out: dict[str, Any] = {}
    for client, by_metric in samples.items():
        out[client] = {}
        for metric, runs in by_metric.items():
            errors = [r["error"] for r in runs if "error" in r]
            good = [r for r in runs if "error" not in r]
            fields: dict[str, Any] = {"runs": len(runs), "errors": errors}
            keys = {k for r in good for k, v in r.items() if isinstance(v, (int, float))}
            for k in sorted(keys):
                vals = [r[k] for r in good if k in r]
                fields[k] = statistics.median(vals)
            out[client][metric] = fields
    return out


def brief(res: dict[str, Any]) -> str:
    """One worker result on one log line."""
    if "error" in res:
        return "ERROR"
    parts = []
    for k in ("import_s", "cold_start_s", "short_turn_s", "wall_s", "cpu_s"):
        if k in res:
            parts.append(f"{k}={res[k]:.4f}")
    if "throughput" in res:
        parts.append(f"{res['throughput']:,.0f}/s")
    if "peak_rss_mb" in res:
        parts.append(f"rss={res['peak_rss_mb']:.0f}MiB")
    return " ".join(parts)
