"""Handlers see what they decide on; ServerRequestHandlers refuses non-callables (issue 25)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import ApprovalMode, AsyncCodex, Codex, Sandbox, ServerRequestHandlers
from openai_codex.handlers import ApprovalDecision, FileChangeApproval
from openai_codex.testing import OfflineModel, Reply
from openai_codex_types import FileChangeRequestApprovalParams

from .test_e2e_runtime import escalated, patch_adding


@pytest.mark.anyio
async def test_file_change_handler_sees_paths_and_diff(tmp_path: Path) -> None:
    seen: list[Any] = []

    async def approve(params: FileChangeApproval) -> ApprovalDecision:
        seen.append(params)
        return "accept"

    with OfflineModel() as model:
        model.enqueue(patch_adding("hello.txt", "p1"), Reply.text("patched"))
        handlers = ServerRequestHandlers(file_change_approval=approve)
        async with AsyncCodex(model.codex_config(), handlers=handlers) as codex:
            thread = await codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            with anyio.fail_after(60):
                await thread.run("add hello.txt")
    (params,) = seen
    assert isinstance(params, FileChangeApproval)
    assert isinstance(params, FileChangeRequestApprovalParams)  # the published type still fits
    assert params.item_id == "p1"
    assert [os.path.basename(p) for p in params.paths] == ["hello.txt"]
    assert "hello" in params.diff
    assert params.changes[0].path == params.paths[0]
    assert (tmp_path / "hello.txt").read_text() == "hello\n"


def test_command_handler_sees_command_and_cwd_as_plain_values(tmp_path: Path) -> None:
    seen: list[Any] = []

    def approve(params: Any) -> ApprovalDecision:
        seen.append(params)
        return "decline"

    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("done"))
        handlers = ServerRequestHandlers(command_approval=approve)
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            thread.run("make the file", timeout=60)
    (params,) = seen
    assert isinstance(params.command, str)
    assert "touch made.txt" in params.command
    assert params.cwd == str(tmp_path)
    assert Path(params.cwd) == tmp_path
    assert os.fspath(params.cwd) == str(tmp_path)


@pytest.mark.parametrize("value", ["accept", True, 3])
def test_handlers_refuse_what_is_not_callable(value: object) -> None:
    with pytest.raises(TypeError) as caught:
        ServerRequestHandlers(command_approval=value)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "command_approval" in message
    assert "callable" in message
    assert f"command_approval=lambda params: {value!r}" in message


def test_handlers_take_callables_and_none() -> None:
    handlers = ServerRequestHandlers(command_approval=lambda p: "accept", user_input=None)
    assert callable(handlers.command_approval)
    with pytest.raises(TypeError, match="timeout"):
        ServerRequestHandlers(timeout="soon")  # type: ignore[arg-type]
