"""Running one measurement in a fresh worker process and reading its BENCH-RESULT line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _clients import BENCH, Client
from _measure import RESULT_MARK

METRICS = (
    "import",
    "latency",
    "stream_sync",
    "stream_async",
    "run",
    "concurrent",
    "first_answer",
    "sequential",
    "scale64",
    "scale256",
    "clients16",
    "big_reply",
)


def run_import(client: Client, timeout: float) -> dict[str, Any]:
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "t = time.perf_counter()\n"
        f"import {client.import_stmt}\n"
        "t = time.perf_counter() - t\n"
        f"print({RESULT_MARK!r} + '{{\"import_s\": %r}}' % t)\n"
    )
    return run_argv([client.python, "-c", code], timeout, cwd=None)


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


def fastest_import(client: Client, n: int, timeout: float) -> dict[str, Any]:
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
    wrapper: list[str] | None = None,
) -> dict[str, Any]:
    """``client.worker METRIC ARGS_JSON`` with a fresh CODEX_HOME pointing at the model.

    ``prefix`` goes between the interpreter and the worker (``-m cProfile ...``),
    ``wrapper`` before the interpreter (``py-spy record ... --``).
    """
    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
    try:
        write_home(home)
        args = dict(params, codex_home=str(home))
        argv = [
            *(wrapper or []),
            client.python,
            *(prefix or []),
            str(client.worker),
            metric,
            json.dumps(args),
        ]
        return run_argv(argv, timeout, cwd=workdir)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_argv(argv: list[str], timeout: float, cwd: Path | None) -> dict[str, Any]:
    """Run ``argv`` (without PYTHONPATH); its last BENCH-RESULT line, or ``{"error": ...}``."""
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
