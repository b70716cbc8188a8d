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
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PUBLISHED_VENV = ROOT / ".bench" / "published"
PUBLISHED_REQ = "openai-codex==0.163.0"
RESULT_MARK = "BENCH-RESULT "

sys.path.insert(0, str(BENCH))
from _script import expected_text, requested_deltas  # noqa: E402

METRICS = ("import", "latency", "stream_sync", "stream_async", "run", "concurrent")


@dataclass(frozen=True)
class Row:
    metric: str  # the worker metric that produces it
    key: str  # field in the worker result, or a derived name
    label: str
    unit: str
    scale: float  # display multiplier
    higher_is_better: bool
    target: float | None  # ratio to the floor
    target_text: str


ROWS = (
    Row("import", "import_s", "import time (fresh interpreter)", "ms", 1e3, False, 2.5, "≤ 2.5x"),
    Row("latency", "cold_start_s", "cold start to a ready client", "ms", 1e3, False, 1.1, "≤ 1.1x"),
    Row("latency", "short_turn_s", "short turn, warm client", "ms", 1e3, False, 1.1, "≤ 1.1x"),
    Row(
        "stream_sync",
        "throughput",
        "sync stream(): delta notifications/s",
        "/s",
        1,
        True,
        0.95,
        "≥ 0.95x",
    ),
    Row("stream_sync", "cpu_s", "sync stream(): Python CPU", "s", 1, False, 1.3, "≤ 1.3x"),
    Row(
        "stream_async",
        "throughput",
        "async stream(): delta notifications/s",
        "/s",
        1,
        True,
        0.95,
        "≥ 0.95x",
    ),
    Row("stream_async", "cpu_s", "async stream(): Python CPU", "s", 1, False, 1.3, "≤ 1.3x"),
    Row("run", "throughput", "run(): delta notifications/s", "/s", 1, True, 0.95, "≥ 0.95x"),
    Row("run", "cpu_s", "run(): Python CPU", "s", 1, False, 1.3, "≤ 1.3x"),
    Row("concurrent", "wall_s", "8 concurrent turns (AsyncCodex): wall", "s", 1, False, None, "—"),
    Row(
        "concurrent",
        "cpu_s",
        "8 concurrent turns (AsyncCodex): Python CPU",
        "s",
        1,
        False,
        1.5,
        "≤ 1.5x",
    ),
    Row(
        "run",
        "peak_rss_mb",
        "peak RSS (process after a 20k-delta run())",
        "MiB",
        1,
        False,
        1.6,
        "≤ 1.6x",
    ),
)


# -- clients -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    name: str
    python: str
    worker: Path
    import_stmt: str


def ensure_published_venv(log: Callable[[str], None]) -> str | None:
    """The published SDK in its own venv under .bench/ (reused when present and matching)."""
    py = PUBLISHED_VENV / "bin" / "python"
    want = f"{sys.version_info.major}.{sys.version_info.minor}"
    if py.exists():
        probe = subprocess.run(
            [
                str(py),
                "-c",
                "import sys, importlib.metadata as m; "
                "print(f'{sys.version_info.major}.{sys.version_info.minor}', "
                "m.version('openai-codex'))",
            ],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.split() == [want, PUBLISHED_REQ.split("==")[1]]:
            return str(py)
        shutil.rmtree(PUBLISHED_VENV, ignore_errors=True)
    uv = shutil.which("uv")
    if uv is None:
        log("uv not found: the published SDK is skipped (pip install uv)")
        return None
    log(f"creating {PUBLISHED_VENV} with {PUBLISHED_REQ} ...")
    try:
        subprocess.run(
            [uv, "venv", "-q", "--python", sys.executable, str(PUBLISHED_VENV)], check=True
        )
        subprocess.run([uv, "pip", "install", "-q", "--python", str(py), PUBLISHED_REQ], check=True)
    except subprocess.CalledProcessError as exc:
        log(f"could not install {PUBLISHED_REQ} ({exc}): the published SDK is skipped")
        return None
    return str(py)


def make_clients(wanted: list[str], log: Callable[[str], None]) -> list[Client]:
    clients = []
    for name in wanted:
        if name == "floor":
            clients.append(Client("floor", sys.executable, BENCH / "floor_worker.py", "floor"))
        elif name == "transport":  # diagnostic: our transport with no facade
            clients.append(
                Client(
                    "transport",
                    sys.executable,
                    BENCH / "transport_worker.py",
                    "openai_codex_transport",
                )
            )
        elif name == "ours":
            clients.append(Client("ours", sys.executable, BENCH / "sdk_worker.py", "openai_codex"))
        elif name == "published":
            py = ensure_published_venv(log)
            if py is not None:
                clients.append(Client("published", py, BENCH / "sdk_worker.py", "openai_codex"))
        else:
            raise SystemExit(f"unknown client {name!r} (floor, transport, ours, published)")
    return clients


# -- the offline model -----------------------------------------------------------------------


@contextlib.contextmanager
def offline_model(
    log: Callable[[str], None], *, bench_mock: bool = False
) -> Iterator[Callable[[Path], None]]:
    """Serve the model; yields ``write_home(dir)`` which writes a CODEX_HOME pointing at it."""
    try:
        if bench_mock:
            raise ImportError
        from openai_codex.testing import OfflineModel, Reply
    except ImportError:
        from _mockmodel import MockModel, write_mock_home

        log("using bench/_mockmodel.py as the offline model")
        with MockModel() as mock:
            yield lambda d: write_mock_home(d, mock.base_url)
        return

    def respond(request: Any) -> Any:
        n = requested_deltas(request.last_user_text)
        return Reply.text(expected_text(n), deltas=n)

    with OfflineModel(default=respond) as model:

        def write_model_home(directory: Path) -> None:
            model.codex_home(directory)

        yield write_model_home


# -- running workers -------------------------------------------------------------------------


def run_import(client: Client, timeout: float) -> dict[str, Any]:
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "t = time.perf_counter()\n"
        f"import {client.import_stmt}\n"
        "t = time.perf_counter() - t\n"
        f"print({RESULT_MARK!r} + '{{\"import_s\": %r}}' % t)\n"
    )
    return _run([client.python, "-c", code], timeout, cwd=None)


# Byte-compile what a client imports from outside the (precompiled) standard library: its
# venv's site-packages, editable source trees and bench/. Without it, a machine with
# PYTHONDONTWRITEBYTECODE set (or a venv installed by uv, which does not compile) would
# compile those modules from source on every import, and import / cold start would
# measure the compiler.
_PRECOMPILE = """
import compileall, os, sys
base = tuple(os.path.realpath(p) for p in (sys.base_prefix, sys.base_exec_prefix))
for p in [*sys.path[1:], sys.argv[1]]:
    rp = os.path.realpath(p)
    if os.path.isdir(rp) and not rp.startswith(base):
        compileall.compile_dir(rp, quiet=2, workers=0)
"""


def precompile(client: Client, timeout: float) -> None:
    subprocess.run(
        [client.python, "-c", _PRECOMPILE, str(BENCH)],
        capture_output=True,
        timeout=timeout * 3,
        check=False,
    )


def _fastest_import(client: Client, n: int, timeout: float) -> dict[str, Any]:
    """``n`` fresh interpreters; the fastest import (least disturbed by other load)."""
    runs = [run_import(client, timeout) for _ in range(n)]
    errors = [r for r in runs if "error" in r]
    if errors:
        return errors[0]
    times = [float(r["import_s"]) for r in runs]
    return {"import_s": min(times), "imports": times}


def run_worker(
    client: Client,
    metric: str,
    params: dict[str, Any],
    write_home: Callable[[Path], None],
    workdir: Path,
    timeout: float,
    prefix: list[str] | None = None,
) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
    try:
        write_home(home)
        args = dict(params, codex_home=str(home))
        argv = [client.python, *(prefix or []), str(client.worker), metric, json.dumps(args)]
        return _run(argv, timeout, cwd=workdir)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _run(argv: list[str], timeout: float, cwd: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            if "wall_s" in result and "deltas" in result:
                result["throughput"] = result["deltas"] / result["wall_s"]
            return result
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}


# -- reporting -------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    runtime = ""
    with contextlib.suppress(Exception):
        import importlib.metadata as md

        runtime = md.version("openai-codex-cli-bin")
    load = ""
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return {
        "load_average": load,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "runtime": f"openai-codex-cli-bin {runtime}",
    }


def summarise(samples: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
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


def _fmt(value: float, unit: str) -> str:
    if unit == "/s":
        return f"{value:,.0f}"
    if unit in ("ms",):
        return f"{value:.1f}"
    if unit == "MiB":
        return f"{value:.1f}"
    return f"{value:.3f}"


def table(medians: dict[str, Any], clients: list[str]) -> tuple[str, list[dict[str, Any]]]:
    others = [c for c in clients if c != "floor"]
    head = ["metric", "floor"]
    for c in others:
        head += [c, f"{c} / floor"]
    head += ["target", "ours meets it"] if "ours" in others else ["target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows_json = []
    for row in ROWS:
        cells = [f"{row.label} ({row.unit})"]
        rj: dict[str, Any] = {"metric": row.label, "unit": row.unit, "target": row.target_text}
        floor_v = _value(medians, "floor", row)
        if floor_v is None and "floor" in medians and row.metric in medians["floor"]:
            cells.append("FAIL")
        else:
            cells.append("—" if floor_v is None else _fmt(floor_v * row.scale, row.unit))
        rj["floor"] = floor_v
        verdict = ""
        present = floor_v is not None
        for c in others:
            v = _value(medians, c, row)
            failed = c in medians and row.metric in medians[c] and v is None
            ratio = v / floor_v if (v is not None and floor_v) else None
            cells.append("FAIL" if failed else "—" if v is None else _fmt(v * row.scale, row.unit))
            cells.append("—" if ratio is None else f"{ratio:.2f}x")
            rj[c] = v
            rj[f"{c}_ratio"] = ratio
            present = present or v is not None
            if c == "ours" and row.target is not None:
                if ratio is None:
                    verdict = "FAIL" if failed else "—"
                else:
                    ok = ratio >= row.target if row.higher_is_better else ratio <= row.target
                    verdict = "yes" if ok else "**no**"
                rj["ours_meets_target"] = verdict == "yes"
        if not present:
            continue
        cells.append(row.target_text)
        if "ours" in others:
            cells.append(verdict)
        lines.append("| " + " | ".join(cells) + " |")
        rows_json.append(rj)
    return "\n".join(lines), rows_json


def _value(medians: dict[str, Any], client: str, row: Row) -> float | None:
    m = medians.get(client, {}).get(row.metric)
    if not m or m["errors"]:
        return None
    v = m.get(row.key)
    return float(v) if v is not None else None


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=None, help="rounds per metric (default 5)")
    ap.add_argument("--quick", action="store_true", help="1 round, 5,000-delta turns: a smoke run")
    ap.add_argument("--only", default=",".join(METRICS), help=f"comma list of {','.join(METRICS)}")
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
    for m in only:
        if m not in METRICS:
            raise SystemExit(f"unknown metric {m!r} ({', '.join(METRICS)})")

    import codex_cli_bin  # type: ignore[import-untyped]

    params["codex_bin"] = str(codex_cli_bin.bundled_codex_path())
    ns.out.mkdir(parents=True, exist_ok=True)

    if ns.profile:
        return profile(ns, params, log)
    if ns.import_profile:
        print(import_profile(ns.import_profile))
        return 0

    clients = make_clients([c.strip() for c in ns.clients.split(",") if c.strip()], log)
    names = [c.name for c in clients]
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {c: {} for c in names}
    started = time.monotonic()
    load_at_start = machine_info()["load_average"]
    workdir = Path(tempfile.mkdtemp(prefix="bench-cwd-"))
    try:
        with offline_model(log, bench_mock=ns.bench_mock) as write_home:
            for c in clients:  # bytecode for everything each client imports, once
                log(f"byte-compiling what {c.name} imports ...")
                precompile(c, ns.timeout)
                run_import(c, ns.timeout)
            for r in range(rounds):
                order = clients[r % len(clients) :] + clients[: r % len(clients)]
                for metric in only:
                    for c in order:
                        if metric == "import":
                            runs = [_fastest_import(c, imports_per_round, ns.timeout)]
                        else:
                            runs = [run_worker(c, metric, params, write_home, workdir, ns.timeout)]
                        samples[c.name].setdefault(metric, []).extend(runs)
                        for res in runs:
                            if "error" in res:
                                log(
                                    f"  round {r + 1} {metric:<12} {c.name:<9} ERROR {res['error']}"
                                )
                        log(f"  round {r + 1} {metric:<12} {c.name:<9} {_brief(runs[-1])}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started

    medians = summarise(samples)
    md, rows_json = table(medians, names)
    machine = machine_info()
    machine["load_average_at_start"] = load_at_start
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    header = (
        f"{rounds} round(s), medians; big turn {params['deltas']:,} deltas; "
        f"{params['concurrency']} concurrent turns of {params['concurrent_deltas']:,} deltas; "
        f"{params['repeat']} measured turns per worker; "
        f"{machine['cpu']}, {machine['cores']} cores, Python {machine['python']}, "
        f"{machine['runtime']}; {elapsed:.0f} s; load average "
        f"{load_at_start} at start, {machine['load_average']} at end"
    )
    report = f"{header}\n\n{md}\n"
    print(report)
    doc = {
        "when": stamp,
        "elapsed_s": elapsed,
        "machine": machine,
        "params": {k: v for k, v in params.items() if k != "codex_bin"},
        "rounds": rounds,
        "clients": names,
        "rows": rows_json,
        "medians": medians,
        "samples": samples,
    }
    for name in (f"bench-{stamp}", "latest"):
        (ns.out / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
        (ns.out / f"{name}.md").write_text(report)
    log(f"wrote {ns.out / f'bench-{stamp}.json'} and .md")
    if ns.write_doc is not None:
        write_doc(ns.write_doc, header, md, machine, stamp)
        log(f"updated {ns.write_doc}")
    failed = any(m["errors"] for by in medians.values() for m in by.values())
    return 1 if failed else 0


def _replace_block(text: str, name: str, body: str) -> str:
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        raise SystemExit(f"markers {begin} ... {end} not found")
    return text[: i + len(begin)] + "\n" + body.rstrip("\n") + "\n" + text[j:]


def write_doc(path: Path, header: str, md: str, machine: dict[str, Any], stamp: str) -> None:
    text = path.read_text()
    text = _replace_block(text, "TABLE", f"Run {stamp}: {header}\n\n{md}")
    lines = [
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; memory {machine['memory']}",
        f"- OS: {machine['os']}",
        f"- Python {machine['python']}; runtime {machine['runtime']}",
        f"- load average at start / end of the run: {machine['load_average_at_start']} / "
        f"{machine['load_average']} (a shared 2-core machine: other work was running)",
    ]
    text = _replace_block(text, "MACHINE", "\n".join(lines))
    path.write_text(text)


def _brief(res: dict[str, Any]) -> str:
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
            home = Path(tempfile.mkdtemp(prefix="bench-home-"))
            try:
                write_home(home)
                args = dict(params, codex_home=str(home))
                argv = [
                    *wrapper,
                    client.python,
                    *prefix,
                    str(client.worker),
                    metric,
                    json.dumps(args),
                ]
                res = _run(argv, ns.timeout * 3, cwd=workdir)
            finally:
                shutil.rmtree(home, ignore_errors=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"{tag}: {_brief(res)}")
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


if __name__ == "__main__":
    sys.exit(main())
