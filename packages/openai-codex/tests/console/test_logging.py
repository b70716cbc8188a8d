"""What reaches stderr: nothing unless asked; OPENAI_CODEX_LOG=info gives one line per turn
step; unknown values are refused; ANSI colour codes never reach the log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_codex import AsyncCodex, Codex, tracing
from openai_codex.testing import OfflineModel, Reply


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "OPENAI_CODEX_LOG"}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=90,
        env={**environ, **env},
        check=False,
    )


@pytest.fixture
def restore_sdk_loggers() -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in tracing.SDK_LOGGER_NAMES]
    saved = [(lg.level, list(lg.handlers)) for lg in loggers]
    try:
        yield
    finally:
        for lg, (level, handlers) in zip(loggers, saved, strict=True):
            lg.setLevel(level)
            lg.handlers[:] = handlers


def test_library_warnings_do_not_reach_stderr_unless_logging_is_configured() -> None:
    code = (
        "import logging, openai_codex\n"
        "logging.getLogger('openai_codex.handlers').warning('handler trouble')\n"
        "logging.getLogger('openai_codex_transport').error('transport trouble')\n"
        "logging.getLogger('openai_codex_types').warning('types trouble')\n"
    )
    quiet = _python(code)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # no last-resort handler output
    configured = _python("import logging; logging.basicConfig()\n" + code)
    assert "handler trouble" in configured.stderr
    assert "transport trouble" in configured.stderr


@pytest.mark.parametrize("value", ["verbose", "yes", "5"])
def test_unknown_log_values_are_refused(
    value: str, monkeypatch: pytest.MonkeyPatch, restore_sdk_loggers: None
) -> None:
    with pytest.raises(ValueError, match=f"OPENAI_CODEX_LOG='{value}' is not a log level") as err:
        tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": value})
    assert "debug, info, warning, error, critical" in str(err.value)
    monkeypatch.setenv("OPENAI_CODEX_LOG", value)
    with pytest.raises(ValueError, match="not a log level"):
        AsyncCodex()


@pytest.mark.parametrize("value", ["", "off", "0", "none"])
def test_off_values_touch_nothing(value: str, restore_sdk_loggers: None) -> None:
    assert tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": value}) is None
    assert tracing.log_level_from_env({"OPENAI_CODEX_LOG": " INFO "}) == logging.INFO


def test_ansi_colour_codes_are_stripped(
    capsys: pytest.CaptureFixture[str], restore_sdk_loggers: None
) -> None:
    assert tracing.configure_logging_from_env({"OPENAI_CODEX_LOG": "debug"}) == logging.DEBUG
    logging.getLogger("openai_codex_transport.stderr").debug(
        "pid 1: \x1b[2m2026-01-01\x1b[0m \x1b[32m INFO\x1b[0m codex: started"
    )
    err = capsys.readouterr().err
    assert "pid 1: 2026-01-01  INFO codex: started" in err
    assert "\x1b" not in err


def _info_lines(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.name == "openai_codex.turns"]


def test_info_logs_one_line_per_turn_step(
    tmp_path: Path, scripted: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai_codex.turns")
    work = scripted.make_project(tmp_path)
    with OfflineModel() as model:
        scripted.script(model)
        with Codex(model.codex_config(cwd=str(work)), handlers=scripted.handlers()) as codex:
            handle = scripted.start(codex)
            handle.run()
    lines = _info_lines(caplog.records)
    turn = handle.id
    assert lines[0] == f"turn {turn} started (thread {handle.thread_id})"
    assert lines[1].startswith(f"turn {turn}: command failed (exit 3, ")
    assert lines[1].endswith(" ms): cat greet.py; exit 3")
    assert lines[2] == f"turn {turn}: item/fileChange/requestApproval -> accept"
    assert lines[3] == f"turn {turn}: file change completed: {work / 'greet.py'}"
    assert lines[4].startswith(f"turn {turn}: tool add completed (")
    assert lines[5].startswith(f"turn {turn} completed in ")
    assert len(lines) == 6


def test_info_env_var_prints_turn_lines_on_stderr(tmp_path: Path) -> None:
    code = (
        "from openai_codex import Codex\n"
        "from openai_codex.testing import OfflineModel, Reply\n"
        "with OfflineModel() as model:\n"
        "    model.enqueue(Reply.shell('echo hi'), Reply.text('done'))\n"
        f"    with Codex(model.codex_config(cwd={str(tmp_path)!r})) as codex:\n"
        "        codex.thread_start().run('go')\n"
    )
    done = _python(code, OPENAI_CODEX_LOG="info")
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if " openai_codex." in line]
    kinds = [line.split(": ", 1)[1] for line in lines]
    assert kinds[0].startswith("turn ")
    assert " started (thread " in kinds[0]
    assert any(": command completed (exit 0, " in k and k.endswith("ms): echo hi") for k in kinds)
    assert "completed in" in kinds[-1]
    assert all(" INFO openai_codex.turns: " in line for line in lines), lines
    assert "\x1b" not in done.stderr


def test_failed_turn_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="openai_codex.turns")
    with OfflineModel() as model, Codex(model.codex_config()) as codex:
        model.enqueue(Reply.error(500))
        with pytest.raises(Exception, match="high demand"):
            codex.thread_start().run("fail")
    (last,) = [r for r in caplog.records if r.name == "openai_codex.turns"][-1:]
    assert last.levelno == logging.WARNING
    assert " failed in " in last.getMessage()
    assert last.getMessage().endswith(
        "currently experiencing high demand, which may cause temporary errors."
    )
