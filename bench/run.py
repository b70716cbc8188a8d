"""Benchmarks: this SDK against the plain-Python floor and the published SDK, in one run.

    nox -s bench                       # full run: 5 rounds, 5-8 minutes on 2 cores
    nox -s bench -- --quick            # one round, smaller turns: a smoke run
    nox -s bench -- --rounds 3 --only stream_sync,run
    python bench/run.py --profile stream_async      # py-spy our SDK on one metric
    python bench/run.py --import-profile openai_codex

Every measurement runs in a fresh worker process (``floor_worker.py`` for the floor,
``sdk_worker.py`` for both SDKs), so CPU seconds and peak RSS are that Python process's
own. All three clients drive the same runtime binary against the same offline model,
served from this process (``openai_codex.testing.OfflineModel``). Rounds are interleaved
across the clients (the order rotates every round) and medians are reported. Each worker
checks its result (the streamed text is exactly what the model sent) and a failed check
is reported as a failure, never as a time. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"

# The pieces: _clients.py (the clients, the published SDK's venv), _offline_model.py,
# _worker_process.py (one measurement in a fresh worker process), _rounds.py (interleaved
# rounds, medians), _report.py (table, JSON/markdown files, --write-doc), _profiling.py
# (--profile, --import-profile). The workers: floor_worker.py and transport_worker.py
# (both through _raw_client_metrics.py) and sdk_worker.py; _measure.py and _script.py
# are shared by the workers.
sys.path.insert(0, str(BENCH))
from _clients import make_clients  # noqa: E402
from _offline_model import offline_model  # noqa: E402
from _profiling import import_profile, profile  # noqa: E402
from _report import machine_info, publish  # noqa: E402
from _rounds import run_rounds  # noqa: E402
from _worker_process import METRICS  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=None, help="rounds per metric (default 5)")
    ap.add_argument("--quick", action="store_true", help="1 round, 5,000-delta turns: a smoke run")
    ap.add_argument(
        "--only",
        default=",".join((*METRICS, "hooks")),
        help=f"comma list of {','.join(METRICS)},hooks (hooks: our hook round trip alone)",
    )
    ap.add_argument("--clients", default="floor,ours,published")
    ap.add_argument("--deltas", type=int, default=None, help="deltas in the big turn (20000)")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--concurrent-deltas", type=int, default=None, help="per turn (2500)")
    ap.add_argument("--short-turns", type=int, default=None, help="timed short turns per worker")
    ap.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="big/concurrent turns per worker (3): fastest wall, median CPU",
    )
    ap.add_argument(
        "--imports",
        type=int,
        default=None,
        help="interpreters per round for import (3): the fastest counts",
    )
    ap.add_argument("--timeout", type=float, default=180.0, help="per worker process (s)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument(
        "--profile",
        metavar="METRIC",
        help="run only our SDK's worker for METRIC under a profiler; write the stats to --out",
    )
    ap.add_argument(
        "--profiler",
        choices=("py-spy", "cprofile"),
        default="py-spy",
        help="py-spy (sampling, every thread; pip install py-spy) or cprofile (main thread)",
    )
    ap.add_argument(
        "--profile-client", default="ours", help="which client --profile runs (ours, published)"
    )
    ap.add_argument(
        "--bench-mock",
        action="store_true",
        help="serve the model from bench/_mockmodel.py instead of openai_codex.testing",
    )
    ap.add_argument(
        "--import-profile",
        metavar="MODULE",
        help="-X importtime of MODULE in fresh interpreters (min of 7): where import time goes",
    )
    ap.add_argument(
        "--write-doc",
        type=Path,
        metavar="MD",
        help="also replace the table and machine blocks of MD (docs/performance.md)",
    )
    ap.add_argument("--quiet", action="store_true")
    ns = ap.parse_args()

    def log(msg: str) -> None:
        if not ns.quiet:
            print(msg, file=sys.stderr, flush=True)

    rounds = ns.rounds if ns.rounds is not None else (1 if ns.quick else 5)
    params = {
        "deltas": ns.deltas or (5000 if ns.quick else 20000),
        "concurrency": ns.concurrency,
        "concurrent_deltas": ns.concurrent_deltas or (500 if ns.quick else 2500),
        "short_turns": ns.short_turns or (3 if ns.quick else 5),
        "repeat": ns.repeat or (1 if ns.quick else 3),
    }
    imports_per_round = ns.imports or (1 if ns.quick else 3)
    only = [m.strip() for m in ns.only.split(",") if m.strip()]
    hooks = "hooks" in only  # ours only: measured after the compared metrics
    only = [m for m in only if m != "hooks"]
    for m in only:
        if m not in METRICS:
            raise SystemExit(f"unknown metric {m!r} ({', '.join(METRICS)},hooks)")

    import codex_cli_bin  # type: ignore[import-untyped]

    params["codex_bin"] = str(codex_cli_bin.bundled_codex_path())
    ns.out.mkdir(parents=True, exist_ok=True)

    if ns.profile:
        return profile(ns, params, log)
    if ns.import_profile:
        print(import_profile(ns.import_profile))
        return 0

    if not only:
        return hook_figures(ns.out, quick=ns.quick, log=log)
    clients = make_clients([c.strip() for c in ns.clients.split(",") if c.strip()], log)
    started = time.monotonic()
    load_at_start = machine_info()["load_average"]
    workdir = Path(tempfile.mkdtemp(prefix="bench-cwd-"))
    try:
        with offline_model(log, bench_mock=ns.bench_mock) as write_home:
            samples = run_rounds(
                clients,
                only,
                rounds,
                params,
                imports_per_round,
                write_home,
                workdir,
                ns.timeout,
                log,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started
    names = [c.name for c in clients]
    ok = publish(samples, names, params, rounds, elapsed, load_at_start, ns.out, ns.write_doc, log)
    if hooks and hook_figures(ns.out, quick=ns.quick, log=log) != 0:
        ok = False
    return 0 if ok else 1


def hook_figures(out: Path, *, quick: bool, log: Callable[[str], None]) -> int:
    """The cost of one Python hook round trip (bench/hook_roundtrip.py), printed and saved."""
    import json

    from hook_roundtrip import measure, report

    log("hooks: relay round trips and a real turn with a pre_tool_use hook")
    result = measure(calls=10 if quick else 40, turn_calls=3 if quick else 10)
    print(report(result))
    (out / "hook_roundtrip.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
