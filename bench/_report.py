"""The report of a run: the rows and their targets, the markdown table, the JSON and
markdown files under --out, and --write-doc (the marked blocks of docs/performance.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _rounds import Samples, summarise


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
    #: the target bounds ours' own value (e.g. 0 failed turns), not its ratio to the floor
    absolute: bool = False


ROWS = (
    Row("import", "import_s", "import time (fresh interpreter)", "ms", 1e3, False, 1.0, "≤ 1.0x"),
    Row(
        "latency", "cold_start_s", "cold start to a ready client", "ms", 1e3, False, 1.05, "≤ 1.05x"
    ),
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
    Row("stream_sync", "cpu_s", "sync stream(): Python CPU", "s", 1, False, 1.0, "≤ 1.0x"),
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
    Row("stream_async", "cpu_s", "async stream(): Python CPU", "s", 1, False, 0.8, "≤ 0.8x"),
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
        0.8,
        "≤ 0.8x",
    ),
    Row(
        "run",
        "peak_rss_mb",
        "peak RSS (process after a 20k-delta run())",
        "MiB",
        1,
        False,
        1.4,
        "≤ 1.4x",
    ),
    Row(
        "first_answer",
        "first_answer_s",
        "first answer: import + start + thread + turn (fresh process)",
        "ms",
        1e3,
        False,
        1.1,
        "≤ 1.1x",
    ),
    Row(
        "first_answer",
        "first_turn_s",
        "first thread + turn after start",
        "ms",
        1e3,
        False,
        1.1,
        "≤ 1.1x",
    ),
    Row(
        "sequential",
        "cpu_per_turn_s",
        "sequential short turns: Python CPU per turn",
        "ms",
        1e3,
        False,
        1.1,
        "≤ 1.1x",
    ),
    Row(
        "sequential",
        "wall_per_turn_s",
        "sequential short turns: wall per turn",
        "ms",
        1e3,
        False,
        None,
        "—",
    ),
    Row(
        "sequential",
        "runtime_cpu_s",
        "sequential: the runtime's CPU (whole worker)",
        "s",
        1,
        False,
        None,
        "—",
    ),
    Row(
        "scale64",
        "cpu_s",
        "64 concurrent turns, one client: Python CPU",
        "s",
        1,
        False,
        1.0,
        "≤ 1.0x",
    ),
    Row(
        "scale64", "wall_s", "64 concurrent turns, one client: wall", "s", 1, False, 1.05, "≤ 1.05x"
    ),
    Row(
        "scale64",
        "runtime_cpu_s",
        "64 concurrent: the runtime's CPU (whole worker)",
        "s",
        1,
        False,
        None,
        "—",
    ),
    Row(
        "scale256",
        "failed",
        "256 concurrent turns, one client: turns failed",
        "",
        1,
        False,
        0,
        "0",
        absolute=True,
    ),
    Row(
        "scale256",
        "cpu_s",
        "256 concurrent turns, one client: Python CPU",
        "s",
        1,
        False,
        0.8,
        "≤ 0.8x",
    ),
    Row(
        "scale256",
        "wall_s",
        "256 concurrent turns, one client: wall",
        "s",
        1,
        False,
        1.05,
        "≤ 1.05x",
    ),
    Row(
        "scale256",
        "runtime_cpu_s",
        "256 concurrent: the runtime's CPU (whole worker)",
        "s",
        1,
        False,
        None,
        "—",
    ),
    Row(
        "clients16",
        "cpu_s",
        "16 clients x 4 turns, one process: Python CPU",
        "s",
        1,
        False,
        1.1,
        "≤ 1.1x",
    ),
    Row(
        "clients16",
        "peak_rss_mb",
        "16 clients x 4 turns, one process: peak RSS",
        "MiB",
        1,
        False,
        1.4,
        "≤ 1.4x",
    ),
    Row(
        "big_reply",
        "peak_over_payload",
        "20 MiB reply: peak RSS growth per MiB of payload",
        "x",
        1,
        False,
        None,
        "≤ 2.5 (absolute)",
    ),
    Row(
        "big_reply",
        "retained_mb",
        "20 MiB reply: RSS kept after the result is dropped",
        "MiB",
        1,
        False,
        None,
        "≈ 0",
    ),
)


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


def _fmt(value: float, unit: str) -> str:
    if unit == "":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.2f}"
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
                if row.absolute and v is not None:
                    ok = v >= row.target if row.higher_is_better else v <= row.target
                    verdict = "yes" if ok else "**no**"
                elif ratio is None:
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


def publish(
    samples: Samples,
    clients: list[str],
    params: dict[str, Any],
    rounds: int,
    elapsed: float,
    load_at_start: str,
    out: Path,
    doc_path: Path | None,
    log: Callable[[str], None],
) -> bool:
    """Print the table, write it and the samples under ``out`` (and ``doc_path``); True when
    every measurement passed its checks."""
    medians = summarise(samples)
    md, rows_json = table(medians, clients)
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
        "clients": clients,
        "rows": rows_json,
        "medians": medians,
        "samples": samples,
    }
    for name in (f"bench-{stamp}", "latest"):
        (out / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
        (out / f"{name}.md").write_text(report)
    log(f"wrote {out / f'bench-{stamp}.json'} and .md")
    if doc_path is not None:
        write_doc(doc_path, header, md, machine, stamp)
        log(f"updated {doc_path}")
    return not any(m["errors"] for by in medians.values() for m in by.values())
