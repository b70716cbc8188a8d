"""Profiling helpers: one worker under py-spy or cProfile (--profile), and where a
module's import time goes (--import-profile)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _clients import BENCH, make_clients
from _offline_model import offline_model
from _rounds import brief
from _worker_process import METRICS, run_worker


def profile(ns: argparse.Namespace, params: dict[str, Any], log: Callable[[str], None]) -> int:
    metric: str = ns.profile
    if metric not in METRICS or metric == "import":
        raise SystemExit(f"--profile takes one of {', '.join(METRICS[1:])}")
    clients = make_clients([ns.profile_client], log)
    if not clients:
        return 1
    client = clients[0]
    tag = f"{client.name}-{metric}"
    if ns.profiler == "cprofile":
        stats = ns.out / f"profile-{tag}.pstats"
        prefix = ["-m", "cProfile", "-o", str(stats)]
        wrapper: list[str] = []
    else:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if not Path(spy).exists():
            raise SystemExit("py-spy not found: pip install py-spy (or --profiler cprofile)")
        stats = ns.out / f"profile-{tag}.collapsed"
        prefix = []
        wrapper = [spy, "record", "--gil", "-r", "500", "-f", "raw", "-o", str(stats), "--"]
    workdir = Path(tempfile.mkdtemp(prefix="bench-cwd-"))
    try:
        with offline_model(log, bench_mock=ns.bench_mock) as write_home:
            res = run_worker(
                client, metric, params, write_home, workdir, ns.timeout * 3, prefix, wrapper
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"{tag}: {brief(res)}")
    if "error" in res:
        return 1
    if ns.profiler == "cprofile":
        import pstats

        p = pstats.Stats(str(stats))
        p.sort_stats("tottime").print_stats(30)
        p.sort_stats("cumulative").print_stats(30)
        log(f"wrote {stats} (cProfile sees the main thread only; py-spy sees every thread)")
    else:
        print(summarise_collapsed(stats))
        log(f"wrote {stats} (collapsed stacks: flamegraph.pl or speedscope read it)")
    return 0


def import_profile(module: str, runs: int = 7, top: int = 30) -> str:
    """Self and cumulative import time per module, the minimum over ``runs`` interpreters."""
    self_us: dict[str, int] = {}
    cum_us: dict[str, int] = {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=BENCH,  # so that `floor` is importable too
        )
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_s, cum_s, name = line[len("import time:") :].split("|", 2)
            key = name.strip()
            if key not in self_us:
                self_us[key], cum_us[key] = int(self_s), int(cum_s)
            else:
                self_us[key] = min(self_us[key], int(self_s))
                cum_us[key] = min(cum_us[key], int(cum_s))
    total = cum_us.get(module, sum(self_us.values()))
    by_pkg: dict[str, int] = {}
    for key, us in self_us.items():
        pkg = key.split(".")[0]
        by_pkg[pkg] = by_pkg.get(pkg, 0) + us
    out = [f"import {module}: {total / 1e3:.1f} ms (min of {runs}; -X importtime adds overhead)"]
    out.append(f"\n-- top {top} top-level packages by self time --")
    for pkg, us in sorted(by_pkg.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"{us / 1e3:8.1f} ms  {pkg}")
    out.append(f"\n-- top {top} modules by cumulative time --")
    for key, us in sorted(cum_us.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"{us / 1e3:8.1f} ms  {key}  (self {self_us[key] / 1e3:.1f})")
    return "\n".join(out)


def summarise_collapsed(path: Path, top: int = 30) -> str:
    """Self and inclusive sample counts per function from py-spy's collapsed stacks."""
    self_n: dict[str, int] = {}
    incl_n: dict[str, int] = {}
    total = 0
    importing = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [f for f in stack.split(";") if not f.startswith(("thread", "process"))]
        if not frames:
            continue
        if any(f.startswith("_find_and_load ") for f in frames):
            importing += n  # module imports: reported apart from the hot path
            continue
        self_n[frames[-1]] = self_n.get(frames[-1], 0) + n
        for f in set(frames):
            incl_n[f] = incl_n.get(f, 0) + n
    out = [f"{total} samples, {importing} of them in module imports (left out below)"]
    for title, table_ in (("self", self_n), ("inclusive", incl_n)):
        out.append(f"\n-- top {top} by {title} samples --")
        for f, n in sorted(table_.items(), key=lambda kv: -kv[1])[:top]:
            out.append(f"{n:7d} {100 * n / max(total, 1):5.1f}%  {f}")
    return "\n".join(out)
