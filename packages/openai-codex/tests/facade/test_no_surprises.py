"""No silent surprises (issue 25): a turn while one runs, a second stream(), commands that
cannot start, tools that are not functions."""

from __future__ import annotations

import errno
from pathlib import Path

import anyio
import pytest

from openai_codex import (
    AsyncCodex,
    Codex,
    CodexConfig,
    HandleConsumedError,
    TurnInProgressError,
)
from openai_codex.testing import OfflineModel, Reply
from openai_codex.tools import ToolSet, tool

WAIT = 60


@pytest.mark.anyio
async def test_turn_while_a_turn_runs_raises_naming_the_ways_out(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            first = await thread.turn("first")
            with pytest.raises(TurnInProgressError) as caught:
                await thread.turn("second")
            with pytest.raises(TurnInProgressError):
                await thread.run("second")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            await first.interrupt()
            result = await first.run()
    error = caught.value
    assert (error.thread_id, error.turn_id) == (thread.id, first.id)
    for way_out in ("handle.run()", "steer", "join=True", "interrupt"):
        assert way_out in str(error)
    assert isinstance(error, RuntimeError)
    assert str(getattr(result.status, "value", result.status)) == "interrupted"
    assert [r.last_user_text for r in model.requests] == ["first"]  # refused turns sent nothing


@pytest.mark.anyio
async def test_a_second_stream_raises_and_run_still_answers(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("once", deltas=2), Reply.text("next"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hi")
            first = [e.method async for e in handle.stream()]
            with pytest.raises(HandleConsumedError, match="already read"):
                _ = [e async for e in handle.stream()]
            with pytest.raises(HandleConsumedError):
                _ = [t async for t in handle.text_stream()]
            assert (await handle.run()).final_response == "once"
            # after the turn ended, the next turn starts normally
            assert (await thread.run("again")).final_response == "next"
    assert first[-1] == "turn/completed"


def test_sync_second_stream_raises(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("sync once"))
    with Codex(model_config) as codex:
        handle = codex.thread_start().turn("hi")
        assert handle.run(timeout=WAIT).final_response == "sync once"
        with pytest.raises(HandleConsumedError):
            list(handle.stream())


@pytest.mark.anyio
async def test_run_command_raises_like_subprocess(
    loopback_config: CodexConfig, tmp_path: Path
) -> None:
    missing_dir = str(tmp_path / "no-such-dir")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with anyio.fail_after(WAIT):
        async with AsyncCodex(loopback_config) as codex:
            with pytest.raises(FileNotFoundError) as exe:
                await codex.run_command(["definitely-not-a-binary-25"])
            with pytest.raises(FileNotFoundError) as cwd:
                await codex.run_command(["ls"], cwd=missing_dir)
            with pytest.raises(NotADirectoryError) as not_dir:
                await codex.run_command(["ls"], cwd=str(a_file))
            with pytest.raises(FileNotFoundError) as full_access:
                await codex.run_command(["definitely-not-a-binary-25"], sandbox="full-access")
            ok = await codex.run_command(["sh", "-c", "exit 101"])  # a real 101 is a result
    assert exe.value.filename == "definitely-not-a-binary-25"
    assert exe.value.errno == errno.ENOENT
    assert cwd.value.filename == missing_dir
    assert "cwd" in str(cwd.value)
    assert not_dir.value.filename == str(a_file)
    assert full_access.value.filename == "definitely-not-a-binary-25"
    assert ok.returncode == 101


def test_tool_errors_name_what_was_passed() -> None:
    with pytest.raises(TypeError, match=r"not str 'price'.*def price"):
        ToolSet(["price"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"'<lambda>' \(from the function name\)"):
        ToolSet([lambda: 1])
    with pytest.raises(ValueError, match=r"'bad name!' \(from name=\)"):
        tool(name="bad name!")(print)
