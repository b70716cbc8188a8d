"""The run's HTML report: summary tiles, duration and token histograms (inline SVG), and a
pass/fail table. One self-contained file: no script, no font or stylesheet fetched."""

from __future__ import annotations

import datetime
import html
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from ._results import TaskResult

__all__ = ["render_report", "write_report"]

STATUSES = ("passed", "failed", "timed_out", "error")
COLORS = {"passed": "#2da44e", "failed": "#cf222e", "timed_out": "#d4a72c", "error": "#8250df"}
LABELS = {"passed": "passed", "failed": "failed", "timed_out": "timed out", "error": "error"}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1f2328; background: #f6f8fa; }
header { background: #0d1117; color: #f0f6fc; padding: 20px 32px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header p { margin: 4px 0 0; color: #9198a1; font-size: 13px; }
main { padding: 24px 32px; max-width: 1280px; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 20px; }
.tile { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 12px 16px;
        min-width: 130px; }
.tile .n { font-size: 26px; font-weight: 600; }
.tile .l { color: #59636e; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; margin: 0 0 20px;
       background: #d1d9e0; }
.plots { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 24px; }
.plot { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 8px; }
.legend { display: flex; gap: 14px; margin: 0 0 12px; font-size: 12px; color: #59636e; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
            margin-right: 5px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d1d9e0;
        border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #eaeef2;
         vertical-align: top; }
th { background: #f6f8fa; font-size: 12px; color: #59636e; text-transform: uppercase;
     letter-spacing: .04em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
         font-size: 12px; font-weight: 600; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.ins { color: #1a7f37; } .del { color: #cf222e; }
details summary { cursor: pointer; color: #0969da; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: 8px;
      border-radius: 6px; margin: 6px 0 0; font-size: 12px; max-height: 320px; overflow: auto; }
.muted { color: #59636e; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _nice_step(span: float, bins: int) -> float:
    raw = span / max(bins, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _histogram(
    results: Sequence[TaskResult],
    value: Callable[[TaskResult], float],
    *,
    title: str,
    label: Callable[[float], str],
    axis: str,
) -> str:
    """An SVG histogram of ``value`` over the results, each bar stacked by status."""
    width, height = 520, 240
    left, right, top, bottom = 44, 14, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [(max(value(r), 0.0), r.status, r.id) for r in results]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
        f'<text x="{left}" y="20" font-size="13" font-weight="600" fill="#1f2328">'
        f"{_e(title)}</text>",
    ]
    if not values:
        parts.append(f'<text x="{left}" y="{top + 40}" fill="#59636e">no data</text></svg>')
        return "".join(parts)
    hi = max(v for v, _, _ in values)
    bins = max(4, min(12, math.ceil(math.sqrt(len(values))) + 2))
    step = _nice_step(hi if hi > 0 else 1.0, bins)
    count = max(1, math.ceil(hi / step) if hi > 0 else 1)
    if hi > 0 and math.isclose(hi, count * step):
        count += 1  # the maximum falls in a bin of its own
    stacks: list[dict[str, list[str]]] = [{s: [] for s in STATUSES} for _ in range(count)]
    for v, kind, task_id in values:
        index = min(int(v // step), count - 1)
        stacks[index][kind].append(task_id)
    peak = max(sum(len(ids) for ids in stack.values()) for stack in stacks)
    y_step = max(1, math.ceil(peak / 5))
    y_top = max(peak, 1)
    y_top = math.ceil(y_top / y_step) * y_step
    # grid and y labels
    for tick in range(0, y_top + 1, y_step):
        y = top + plot_h - plot_h * tick / y_top
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#eaeef2"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#59636e">{tick}</text>'
        )
    bar_w = plot_w / count
    for index, stack in enumerate(stacks):
        x = left + index * bar_w
        base = 0
        for status in STATUSES:
            ids = stack[status]
            if not ids:
                continue
            h = plot_h * len(ids) / y_top
            y = top + plot_h - plot_h * base / y_top - h
            lo, hi_edge = index * step, (index + 1) * step
            tip = (
                f"{label(lo)} to {label(hi_edge)}: {len(ids)} {LABELS[status]} "
                f"({', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''})"
            )
            parts.append(
                f'<rect x="{x + 1.5:.1f}" y="{y:.1f}" width="{max(bar_w - 3, 1):.1f}" '
                f'height="{h:.1f}" fill="{COLORS[status]}" rx="2"><title>{_e(tip)}</title></rect>'
            )
            base += len(ids)
    # x axis and labels (every bin edge when few, else every other)
    axis_y = top + plot_h
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{axis_y}" y2="{axis_y}" stroke="#8c959f"/>'
    )
    every = 1 if count <= 8 else 2
    for edge in range(0, count + 1, every):
        x = left + edge * bar_w
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
            f'fill="#59636e">{_e(label(edge * step))}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle" fill="#59636e">{_e(axis)} (bar height: tasks)</text></svg>'
    )
    return "".join(parts)


def _timeline(results: Sequence[TaskResult]) -> str:
    """An SVG timeline: one bar per task from its start to its end, coloured by outcome,
    so the run's concurrency and its stragglers show at a glance."""
    timed = [r for r in results if r.finished_at > r.started_at > 0]
    if not timed:
        return ""
    width, left, right, top = 1060, 110, 16, 30
    row = max(3.0, min(16.0, 480.0 / len(timed)))
    plot_w = width - left - right
    height = int(top + row * len(timed) + 34)
    start = min(r.started_at for r in timed)
    span = max(max(r.finished_at for r in timed) - start, 1e-6)
    step = _nice_step(span, 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Timeline">',
        f'<text x="{left}" y="20" font-size="13" font-weight="600" fill="#1f2328">'
        "Timeline (each task from start to end)</text>",
    ]
    tick = 0.0
    while tick <= span + 1e-9:
        x = left + plot_w * tick / span
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 30}" stroke="#eaeef2"/>'
            f'<text x="{x:.1f}" y="{height - 14}" font-size="11" text-anchor="middle" '
            f'fill="#59636e">{_e(_seconds(round(tick, 6)))}</text>'
        )
        tick += step
    for index, result in enumerate(sorted(timed, key=lambda r: r.started_at)):
        y = top + index * row
        x = left + plot_w * (result.started_at - start) / span
        w = max(plot_w * (result.finished_at - result.started_at) / span, 1.5)
        if row >= 9:
            parts.append(
                f'<text x="{left - 6}" y="{y + row * 0.75:.1f}" font-size="{min(row - 2, 11):.0f}" '
                f'text-anchor="end" fill="#59636e">{_e(result.id[:16])}</text>'
            )
        tip = f"{result.id}: {LABELS[result.status]}, {result.duration_s:.1f} s"
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 0.5:.1f}" width="{w:.1f}" height="{max(row - 1.5, 1):.1f}" '
            f'fill="{COLORS[result.status]}" rx="2"><title>{_e(tip)}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _seconds(value: float) -> str:
    if value >= 120:
        return f"{value / 60:.0f} min" if value % 60 == 0 else f"{value / 60:.1f} min"
    return f"{value:g} s"


def _tokens(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _row(number: int, result: TaskResult) -> str:
    color = COLORS[result.status]
    diff = result.diff
    files = diff.files_changed + diff.files_added + diff.files_deleted
    diff_cell = (
        f'<span class="ins">+{diff.insertions}</span> <span class="del">&minus;{diff.deletions}</span>'
        f' <span class="muted">({files} file{"s" if files != 1 else ""})</span>'
        if files
        else '<span class="muted">no change</span>'
    )
    details = []
    if result.error:
        details.append(f"<div>{_e(result.error.splitlines()[0][:300])}</div>")
    more = []
    if result.final_response:
        more.append(f"<b>final response</b><pre>{_e(result.final_response)}</pre>")
    if result.output is not None:
        output = json.dumps(result.output, indent=2, ensure_ascii=False)
        more.append(f"<b>structured output</b><pre>{_e(output)}</pre>")
    if result.check_output:
        more.append(
            f"<b>check (exit {_e(result.check_exit)})</b><pre>{_e(result.check_output)}</pre>"
        )
    if more:
        details.append(f"<details><summary>details</summary>{''.join(more)}</details>")
    check = "" if result.check_exit is None else str(result.check_exit)
    return (
        f'<tr data-status="{result.status}"><td class="num muted">{number}</td>'
        f'<td class="nowrap"><b>{_e(result.id)}</b></td>'
        f'<td><span class="badge" style="background:{color}">{LABELS[result.status]}</span></td>'
        f'<td class="num">{result.duration_s:.1f} s</td>'
        f'<td class="num">{result.tokens.total:,}</td>'
        f'<td class="num">{result.turns}</td>'
        f'<td class="nowrap">{diff_cell}</td>'
        f'<td class="num">{_e(check)}</td>'
        f"<td>{''.join(details)}</td></tr>"
    )


def render_report(results: Sequence[TaskResult], *, title: str = "Codex task run") -> str:
    """The report page's HTML for ``results``."""
    total = len(results)
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    tokens = sum(r.tokens.total for r in results)
    wall = (
        max(r.finished_at for r in results) - min(r.started_at for r in results) if results else 0
    )
    mean = sum(r.duration_s for r in results) / total if total else 0.0
    rate = 100.0 * counts["passed"] / total if total else 0.0
    tiles = [
        (f"{counts['passed']}/{total}", "passed"),
        (f"{rate:.0f}%", "pass rate"),
        (str(counts["failed"] + counts["error"]), "failed"),
        (str(counts["timed_out"]), "timed out"),
        (f"{tokens:,}", "tokens"),
        (f"{mean:.1f} s", "mean duration"),
        (f"{wall:.1f} s", "wall time"),
    ]
    bar = "".join(
        f'<div style="width:{100.0 * counts[s] / total:.3f}%;background:{COLORS[s]}" '
        f'title="{counts[s]} {LABELS[s]}"></div>'
        for s in STATUSES
        if total and counts[s]
    )
    legend = "".join(
        f'<span><i style="background:{COLORS[s]}"></i>{LABELS[s]} ({counts[s]})</span>'
        for s in STATUSES
    )
    durations = _histogram(
        results, lambda r: r.duration_s, title="Duration per task", label=_seconds, axis="duration"
    )
    token_plot = _histogram(
        results,
        lambda r: float(r.tokens.total),
        title="Tokens per task",
        label=_tokens,
        axis="tokens",
    )
    timeline = _timeline(results)
    rows = "".join(_row(i, r) for i, r in enumerate(results, 1))
    generated = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{_e(title)}</h1>
<p>{total} tasks · {counts["passed"]} passed · {counts["failed"] + counts["error"]} failed ·
{counts["timed_out"]} timed out · generated {generated} by openai_codex.tasks</p></header>
<main>
<div class="tiles">{"".join(f'<div class="tile"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>' for n, label in tiles)}</div>
<div class="bar">{bar}</div>
<div class="legend">{legend}</div>
<div class="plots"><div class="plot">{durations}</div><div class="plot">{token_plot}</div></div>
{f'<div class="plots"><div class="plot">{timeline}</div></div>' if timeline else ""}
<table id="results"><thead><tr><th class="num">#</th><th>task</th><th>status</th>
<th class="num">duration</th><th class="num">tokens</th><th class="num">turns</th>
<th>diff</th><th class="num">check</th><th>error / details</th></tr></thead>
<tbody>{rows}</tbody></table>
</main></body></html>
"""


def write_report(
    results: Sequence[TaskResult], path: str | Path, *, title: str = "Codex task run"
) -> Path:
    """Write the report page for ``results`` to ``path``; return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(results, title=title), encoding="utf-8")
    return target
