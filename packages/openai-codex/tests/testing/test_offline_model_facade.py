"""The offline model through the public SDK: the recipes of docs/testing.md, as tests."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import anyio
import pytest

from openai_codex import ApprovalMode, AsyncCodex, Codex, TurnFailedError
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.testing import OfflineModel, Reply, Usage
from openai_codex.tools import tool
from openai_codex_types import CommandExecutionRequestApprovalParams


def test_sync_run_and_recorded_request() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.text("Hello from the offline model", deltas=3))
        with Codex(model.codex_config()) as codex:
            result = codex.thread_start().run("Say hello")
        assert result.final_response == "Hello from the offline model"
        assert model.requests[0].last_user_text == "Say hello"


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_stream_under_both_event_loops(backend: str) -> None:
    async def main() -> list[str]:
        with anyio.fail_after(60):
            return await deltas_of_one_turn()

    async def deltas_of_one_turn() -> list[str]:
        async with OfflineModel() as model:
            model.enqueue(Reply.text("one two three", deltas=3))
            async with AsyncCodex(model.codex_config()) as codex:
                thread = await codex.thread_start()
                turn = await thread.turn("Count")
                return [
                    event.payload.delta
                    async for event in turn.stream()
                    if event.method == "item/agentMessage/delta"
                ]

    deltas = anyio.run(main, backend=backend)
    assert "".join(deltas) == "one two three"
    assert len(deltas) == 3


def test_failed_turn_raises_with_the_runtime_error() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.error(500))
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start()
            with pytest.raises(TurnFailedError) as caught:
                thread.run("Hello?")
            assert caught.value.codex_error_info is not None
            # The thread still works: the next request gets the default reply.
            assert thread.run("Again").final_response == "Offline model reply to: Again"


def test_function_call_reaches_a_python_tool() -> None:
    calls: list[tuple[int, int]] = []

    @tool
    def add(a: int, b: int) -> int:
        """Add two integers."""
        calls.append((a, b))
        return a + b

    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call("add", {"a": 2, "b": 3}, call_id="call_add"),
            Reply.text("2 + 3 = 5", usage=Usage(input_tokens=50, output_tokens=6)),
        )
        with Codex(model.codex_config()) as codex:
            result = codex.thread_start(tools=[add]).run("Add 2 and 3")
        assert calls == [(2, 3)]
        assert result.final_response == "2 + 3 = 5"
        assert result.usage is not None
        assert result.usage.last.output_tokens == 6
        first, second = model.response_requests
        assert "add" in first.tool_names
        assert second.function_call_outputs[0]["call_id"] == "call_add"
        assert second.function_call_outputs[0]["output"] == "5"


def test_codex_config_keeps_fields_and_env(tmp_path: Path) -> None:
    with OfflineModel() as model:
        config = model.codex_config(
            codex_home=tmp_path / "home", cwd=str(tmp_path), env={"MY_VAR": "1"}
        )
        assert config.cwd == str(tmp_path)
        assert config.env == {"MY_VAR": "1", "CODEX_HOME": str(tmp_path / "home")}
        assert (tmp_path / "home" / "config.toml").exists()


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_escalated_shell_call_asks_the_approval_handler(
    decision: Literal["accept", "decline"],
) -> None:
    asked: list[str] = []

    def approve(params: CommandExecutionRequestApprovalParams) -> Literal["accept", "decline"]:
        asked.append(str(params.command))
        return decision

    with OfflineModel() as model:
        model.enqueue(Reply.shell("echo escalated-ok", escalated=True), Reply.text("done"))
        handlers = ServerRequestHandlers(command_approval=approve)
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(approval_mode=ApprovalMode.host)
            assert thread.run("Run it").final_response == "done"
        assert len(asked) == 1
        assert "echo escalated-ok" in asked[0]
        output = model.response_requests[1].function_call_outputs[0]["output"]
        assert ("escalated-ok\n" in output) is (decision == "accept")


def test_compaction_is_one_model_call_answered_by_the_default() -> None:
    with OfflineModel() as model, Codex(model.codex_config()) as codex:
        thread = codex.thread_start()
        thread.run("First")
        thread.compact()
        requests = model.wait_for_requests(2, timeout=60)
        assert "CONTEXT CHECKPOINT COMPACTION" in (requests[1].last_user_text or "")
