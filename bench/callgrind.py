"""Instructions per streamed delta, counted by valgrind's callgrind (deterministic, unlike CPU time).

    .nox/bench/bin/python bench/callgrind.py [--clients ours,floor] [--only stream_async,stream_sync]
        [--deltas 500,3000] [--keep DIR]

For each client and metric, the usual worker (``sdk_worker.py``/``floor_worker.py``) runs one
streamed turn under ``valgrind --tool=callgrind --trace-children=no`` twice, with two delta
counts; the offline model and the runtime are outside the counted process. Only the measured
turn is counted (the second of two, as ``nox -s bench`` takes the median of three: the first pays
for first uses), between the worker's two ``cpu_s()`` calls, on the calling thread and on a
sync client's event-loop thread: the worker runs through a shim that makes ``cpu_s`` toggle
callgrind's collection (a two-line C helper built with ``cc`` from ``valgrind/callgrind.h``). Without a C compiler the whole process
is counted instead (start-up and imports cancel out of the per-delta figure, not of the turn).

Printed: instructions per delta (the difference of the two counts over the difference of the
delta counts: what every further delta costs) and per delta of the bigger turn as a whole (with
the turn's fixed costs, as ``nox -s bench`` divides its CPU seconds). ``--keep DIR`` keeps the
``callgrind.out`` files for ``callgrind_annotate`` (C functions only: the interpreter's frames
are not named).

Batches are bigger under valgrind than in a normal run (the slowed process reads what the
runtime wrote meanwhile), so per-read costs weigh less here than in ``nox -s bench``; with
``--pace S`` the model sends a delta every S seconds, so each read gets one (the other end:
per-read costs counted once per delta).
"""

from __future__ import annotations

import argparse
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from _clients import make_clients  # noqa: E402
from _offline_model import offline_model  # noqa: E402
from _worker_process import run_worker  # noqa: E402

_TOTAL = re.compile(r"^(?:summary|totals):\s+(\d+)", re.MULTILINE)
_TOGGLE_C = """
#include <valgrind/callgrind.h>
void toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""


def build_toggle(directory: Path) -> Path | None:
    """A shared library whose ``toggle()`` switches callgrind's collection; None if no cc."""
    cc = shutil.which("cc")
    if cc is None or not Path("/usr/include/valgrind/callgrind.h").exists():
        return None
    src, lib = directory / "toggle.c", directory / "toggle.so"
    src.write_text(_TOGGLE_C)
    done = subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(lib), str(src)], check=False)
    return lib if done.returncode == 0 else None


def shim(toggle_lib: str, worker: str, argv: list[str]) -> None:
    """Run ``worker`` with ``_measure.cpu_s`` also toggling callgrind's collection around the
    last measured turn, on this thread and on the event-loop thread of a sync client."""
    import ctypes
    import json

    import _measure

    toggle = ctypes.CDLL(toggle_lib).toggle
    cpu_s = _measure.cpu_s
    portals: list[Any] = []  # the sync clients' loop threads: collection is per thread
    try:
        from openai_codex._sync import portal

        init = portal.Portal.__init__

        def recording_init(self: Any) -> None:
            init(self)
            portals.append(self)

        portal.Portal.__init__ = recording_init  # type: ignore[method-assign]
    except ImportError:
        pass
    skip = 2 * (int(json.loads(argv[-1]).get("repeat", 1)) - 1)  # earlier turns' two calls
    calls = 0

    def toggle_all(start: bool) -> None:
        if start:
            for each in portals:
                each._live().call(toggle)
        toggle()
        if not start:
            for each in portals:
                each._live().call(toggle)

    def toggling_cpu_s() -> float:
        nonlocal calls
        calls += 1
        if calls > skip:
            if calls % 2:
                toggle_all(True)
                return cpu_s()
            value = cpu_s()
            toggle_all(False)
            return value
        return cpu_s()

    _measure.cpu_s = toggling_cpu_s
    sys.argv = [worker, *argv]
    runpy.run_path(worker, run_name="__main__")


def instructions(out_file: Path) -> int:
    match = _TOTAL.search(out_file.read_text(errors="replace"))
    if match is None:
        raise SystemExit(f"no summary in {out_file}")
    return int(match.group(1))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--shim":
        shim(sys.argv[2], sys.argv[3], sys.argv[4:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="ours,floor")
    ap.add_argument("--only", default="stream_async,stream_sync")
    ap.add_argument("--deltas", default="500,3000", help="the two delta counts: LOW,HIGH")
    ap.add_argument("--keep", type=Path, default=None, help="keep the callgrind.out files here")
    ap.add_argument(
        "--pace",
        type=float,
        default=0.0,
        metavar="S",
        help="the model waits S seconds before each delta: one delta per read (e.g. 0.005) "
        "instead of the bursts a slowed process reads (0)",
    )
    ap.add_argument("--timeout", type=float, default=900.0)
    ns = ap.parse_args()
    low, high = (int(x) for x in ns.deltas.split(","))
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    import codex_cli_bin  # type: ignore[import-untyped]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    clients = make_clients([c.strip() for c in ns.clients.split(",")], log)
    metrics = [m.strip() for m in ns.only.split(",") if m.strip()]
    keep = ns.keep
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-cg-"))
    out_dir = keep or workdir
    toggle_lib = build_toggle(workdir)
    if toggle_lib is None:
        log("no cc or valgrind/callgrind.h: counting whole processes")
    base = {
        "codex_bin": str(codex_cli_bin.bundled_codex_path()),
        "repeat": 2,  # the first turn pays for first uses (imports, validators): not counted
        "short_turns": 1,
        "concurrency": 1,
        "concurrent_deltas": 1,
    }
    try:
        with offline_model(log, delay=ns.pace) as write_home:
            for metric in metrics:
                for client in clients:
                    totals = []
                    for n in (low, high):
                        out = out_dir / f"callgrind.out.{client.name}.{metric}.{n}"
                        wrapper = [
                            "valgrind",
                            "--tool=callgrind",
                            "--trace-children=no",
                            f"--callgrind-out-file={out}",
                        ]
                        prefix = None
                        if toggle_lib is not None:
                            wrapper.append("--collect-atstart=no")
                            prefix = [__file__, "--shim", str(toggle_lib)]
                        result = run_worker(
                            client,
                            metric,
                            dict(base, deltas=n),
                            write_home,
                            workdir,
                            ns.timeout,
                            prefix=prefix,
                            wrapper=wrapper,
                        )
                        if "error" in result:
                            raise SystemExit(f"{client.name} {metric} {n}: {result['error']}")
                        totals.append(instructions(out))
                    per = (totals[1] - totals[0]) / (high - low)
                    whole = totals[1] / high
                    print(
                        f"{metric:14} {client.name:8} {per:8.0f} instructions/further delta, "
                        f"{whole:8.0f}/delta of the {high}-delta turn "
                        f"(counts {totals[0]:,} @ {low}, {totals[1]:,} @ {high})",
                        flush=True,
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
