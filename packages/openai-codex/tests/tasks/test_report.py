"""The HTML report: self-contained, and it loads and shows its table in headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from openai_codex.tasks import DiffStats, TaskResult, Tokens, render_report, write_report

CHROMIUM_TIMEOUT_S = 90


def _results() -> list[TaskResult]:
    statuses = ["passed"] * 6 + ["failed"] * 2 + ["timed_out", "error"]
    return [
        TaskResult(
            id=f"task-{i:02d}",
            status=status,  # type: ignore[arg-type]
            passed=status == "passed",
            duration_s=0.5 + i * 0.7,
            tokens=Tokens(input=100 * i, output=20 * i, total=120 * i + 30),
            turns=1,
            diff=DiffStats(files_changed=1, insertions=i, deletions=1) if i % 2 else DiffStats(),
            error=None if status == "passed" else f"{status} because <reason {i}>",
            check_exit=0 if status == "passed" else 1,
            check_output="ok" if status == "passed" else "AssertionError",
            final_response=f"done {i}",
            started_at=1000.0 + i,
            finished_at=1000.5 + i * 1.7,
        )
        for i, status in enumerate(statuses)
    ]


def test_report_is_self_contained_and_escaped() -> None:
    page = render_report(_results(), title="A <run>")
    assert "<script" not in page.lower()
    # the only URL is the SVG namespace: nothing is fetched
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert page.count("<svg ") == 3  # durations, tokens, timeline
    assert "Duration per task" in page
    assert "Tokens per task" in page
    assert page.count('<tr data-status="') == 10
    assert "A &lt;run&gt;" in page
    assert "&lt;reason 7&gt;" in page
    assert "6/10" in page
    assert "60%" in page


def test_report_of_no_results() -> None:
    page = render_report([])
    assert "no data" in page
    assert "0/0" in page


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_report_loads_in_headless_chromium(tmp_path: Path) -> None:
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    chromium = next((path for path in map(shutil.which, names) if path), None)
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    report = write_report(_results(), tmp_path / "report.html")
    flags = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1300,1700",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT_S,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    # the page as Chromium parsed it: the table with its ten rows, both plots
    assert '<table id="results">' in dom.stdout
    assert len(re.findall(r'<tr data-status="(passed|failed|timed_out|error)"', dom.stdout)) == 10
    assert dom.stdout.count("<svg ") == 3
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [*flags, f"--screenshot={shot}", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _png_size(shot) == (1300, 1700)
    assert shot.stat().st_size > 30_000  # a drawn page, not a blank one
    print(f"screenshot: {shot}")
