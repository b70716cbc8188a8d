"""The core never imports temporalio; the worker's command line checks its arguments."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("temporalio", reason="the 'temporal' extra is not installed")

from openai_codex.temporal.__main__ import codex_config, parse_args


def test_importing_openai_codex_does_not_import_temporalio() -> None:
    code = (
        "import sys, openai_codex\n"
        "from openai_codex import Codex, AsyncCodex, ServerRequestHandlers, tool\n"
        "import openai_codex.testing, openai_codex.handlers, openai_codex.types\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'temporalio')\n"
        "assert not loaded, loaded\n"
        "assert 'openai_codex.temporal' not in sys.modules\n"
        "import openai_codex.temporal\n"
        "assert 'temporalio' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_worker_command_line() -> None:
    args = parse_args(
        [
            "worker",
            "--task-queue",
            "codex",
            "--max-concurrent-turns",
            "3",
            "--codex-home",
            "/shared/home",
            "--no-workflows",
        ]
    )
    assert (args.task_queue, args.max_concurrent_turns, args.no_workflows) == ("codex", 3, True)
    config = codex_config(args)
    assert config.env == {"CODEX_HOME": "/shared/home"}


@pytest.mark.parametrize(
    "argv",
    [
        ["worker"],  # no task queue
        ["worker", "--task-queue", "q", "--max-concurrent-turns", "0"],
        ["worker", "--task-queue", "q", "--heartbeat-every", "0"],
    ],
)
def test_worker_command_line_refuses_bad_arguments(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)
