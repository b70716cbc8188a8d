"""Log levels say whose mistake it is (issue 25): the user's tool or handler raising is a
WARNING (one line, redacted, naming it); the model's bad arguments are INFO."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import ApprovalMode, AsyncCodex, Sandbox, ServerRequestHandlers, tool
from openai_codex.testing import OfflineModel, Reply

from .test_e2e_runtime import escalated

SECRET = "sk-live-abcdefghijklmnop"


@tool
def price(item: str) -> str:
    """The price of an item."""
    raise RuntimeError(f"price service refused; Authorization: Bearer {SECRET}")


def _records(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if text in r.getMessage()]


@pytest.mark.anyio
async def test_a_tool_bug_is_a_warning_and_bad_arguments_are_info(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex")
    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call("price", {"wrong": 1}, call_id="t1"),  # the model's mistake
            Reply.function_call("price", {"item": "tea"}, call_id="t2"),  # the user's bug
            Reply.text("no price"),
        )
        async with AsyncCodex(model.codex_config(cwd=str(tmp_path))) as codex:
            thread = await codex.thread_start(tools=[price])
            with anyio.fail_after(60):
                result = await thread.run("price of tea?")
    assert result.final_response == "no price"
    (bad_args,) = _records(caplog, "tool price: invalid arguments")
    assert bad_args.levelno == logging.INFO
    (raised,) = _records(caplog, "tool price raised RuntimeError")
    assert raised.levelno == logging.WARNING
    assert "\n" not in raised.getMessage()
    assert raised.exc_info is None
    (trace,) = _records(caplog, "tool price traceback")
    assert trace.levelno == logging.DEBUG
    assert "Traceback" in trace.getMessage()
    assert SECRET not in caplog.text  # not at DEBUG either


def test_a_handler_bug_is_one_redacted_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex")

    def approve(params: Any) -> str:
        raise ValueError(f"policy lookup failed; api_key={SECRET}")

    async def main() -> None:
        with OfflineModel() as model:
            model.enqueue(escalated("touch made.txt", "c1"), Reply.text("done"))
            handlers = ServerRequestHandlers(command_approval=approve)
            async with AsyncCodex(model.codex_config(), handlers=handlers) as codex:
                thread = await codex.thread_start(
                    approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
                )
                with anyio.fail_after(60):
                    await thread.run("make the file")

    anyio.run(main)
    (failed,) = _records(caplog, "handler command_approval raised ValueError")
    assert failed.levelno == logging.WARNING
    assert failed.exc_info is None
    assert "sending the safe default" in failed.getMessage()
    assert SECRET not in caplog.text
    assert not (tmp_path / "made.txt").exists()
