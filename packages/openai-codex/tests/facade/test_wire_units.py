"""Pure parts: keyword -> wire mapping, presets, inputs, final_response, retry."""

from __future__ import annotations

from typing import Any

import pytest

import openai_codex.retry as retry_module
from openai_codex import (
    ApprovalMode,
    ExternalMessage,
    ImageInput,
    InvalidRequestError,
    LocalImageInput,
    MentionInput,
    Sandbox,
    ServerBusyError,
    SkillInput,
    TextInput,
    TurnFailedError,
    TurnTimeoutError,
    retry_on_overload,
)
from openai_codex._core.threads.presets import approval_wire, thread_sandbox_wire, turn_sandbox_wire
from openai_codex._core.turns.inputs import input_wire, turn_input_wire
from openai_codex._core.turns.results import TurnCollector, final_response_of
from openai_codex._core.wire import camel, wire_params
from openai_codex.errors import CodexError


def test_camel_case_and_none_omitted() -> None:
    assert camel("model_provider") == "modelProvider"
    assert camel("use_state_db_only") == "useStateDbOnly"
    assert wire_params(model=None, cwd="/x", search_term="a") == {"cwd": "/x", "searchTerm": "a"}
    assert wire_params({"source": "turnTrigger"}, source="cli") == {"turnTrigger": "cli"}


def test_approval_modes() -> None:
    assert approval_wire(ApprovalMode.auto_review) == {
        "approvalPolicy": "on-request",
        "approvalsReviewer": "auto_review",
    }
    assert approval_wire(ApprovalMode.deny_all) == {"approvalPolicy": "never"}
    assert approval_wire(None) == {}
    with pytest.raises(ValueError, match="approval_mode"):
        approval_wire("yolo")


def test_sandbox_presets() -> None:
    assert [s.value for s in Sandbox] == ["read-only", "workspace-write", "full-access"]
    assert thread_sandbox_wire(Sandbox.read_only) == "read-only"
    assert thread_sandbox_wire(Sandbox.workspace_write) == "workspace-write"
    assert thread_sandbox_wire(Sandbox.full_access) == "danger-full-access"
    assert thread_sandbox_wire(None) is None
    assert turn_sandbox_wire(Sandbox.read_only) == {"type": "readOnly"}
    assert turn_sandbox_wire(Sandbox.full_access) == {"type": "dangerFullAccess"}
    assert turn_sandbox_wire(Sandbox.workspace_write) == {"type": "workspaceWrite"}
    # strings: the values, the member names and the runtime's spellings
    assert thread_sandbox_wire("read-only") == "read-only"
    assert thread_sandbox_wire("danger-full-access") == "danger-full-access"
    assert turn_sandbox_wire("workspace_write") == {"type": "workspaceWrite"}
    with pytest.raises(ValueError, match="sandbox must be one of"):
        thread_sandbox_wire("anything")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sandbox must be one of"):
        thread_sandbox_wire(3)  # type: ignore[arg-type]


def test_turn_workspace_write_keeps_the_threads_roots_and_network() -> None:
    known = {
        "workspaceWrite": {
            "type": "workspaceWrite",
            "writableRoots": ["/data"],
            "networkAccess": True,
        },
        "readOnly": {"type": "readOnly", "networkAccess": False},
    }
    assert turn_sandbox_wire(Sandbox.workspace_write, known) == known["workspaceWrite"]
    assert turn_sandbox_wire(Sandbox.full_access, known) == {"type": "dangerFullAccess"}


def test_inputs_to_wire() -> None:
    assert input_wire("hi") == [{"type": "text", "text": "hi"}]
    assert input_wire(
        [
            TextInput("a"),
            ImageInput("https://x/y.png"),
            LocalImageInput("/tmp/a.png"),
            SkillInput("s", "/skills/s/SKILL.md"),
            MentionInput("Demo", "app://demo"),
        ]
    ) == [
        {"type": "text", "text": "a"},
        {"type": "image", "url": "https://x/y.png"},
        {"type": "localImage", "path": "/tmp/a.png"},
        {"type": "skill", "name": "s", "path": "/skills/s/SKILL.md"},
        {"type": "mention", "name": "Demo", "path": "app://demo"},
    ]
    with pytest.raises(TypeError):
        input_wire(42)


def test_external_message_is_tool_output_with_empty_input() -> None:
    wire, tool_output = turn_input_wire(ExternalMessage("crm", "ticket 7 is open", namespace="n"))
    assert wire == []
    assert tool_output == {"name": "crm", "output": "ticket 7 is open", "namespace": "n"}
    _, out = turn_input_wire(ExternalMessage("crm", [{"type": "input_text", "text": "x"}]))
    assert out == {"name": "crm", "output": [{"type": "input_text", "text": "x"}]}
    with pytest.raises(ValueError, match="tool_name"):
        turn_input_wire(ExternalMessage(" ", "x"))
    assert turn_input_wire("plain") == ([{"type": "text", "text": "plain"}], None)


def _msg(text: str, phase: str | None = None) -> dict[str, Any]:
    return {"type": "agentMessage", "id": text, "text": text, "phase": phase}


def test_final_response_rules() -> None:
    assert final_response_of([]) is None
    assert final_response_of([_msg("c", "commentary")]) is None
    assert final_response_of([_msg("a"), _msg("b")]) == "b"
    assert final_response_of([_msg("final", "final_answer"), _msg("later")]) == "final"
    assert final_response_of([_msg("x"), _msg("c", "commentary")]) == "x"
    assert final_response_of([_msg("", "final_answer")]) == ""
    assert final_response_of([{"type": "reasoning", "id": "r"}, _msg("ok")]) == "ok"


def test_collector_keeps_unknown_items_and_ignores_unknown_methods() -> None:
    collector = TurnCollector("t1")
    item = {"type": "holographicDisplay", "id": "h1", "beams": 3}
    assert not collector.feed("item/completed", {"turnId": "t1", "item": item})
    assert not collector.feed("future/notification", {"turnId": "t1", "x": 1})
    assert not collector.feed("item/completed", {"turnId": "t1", "item": _msg("done")})
    assert collector.feed(
        "turn/completed", {"turn": {"id": "t1", "status": "someNewStatus", "items": []}}
    )
    result = collector.result()
    assert result.final_response == "done"
    assert len(result.items) == 2
    first = result.items[0]
    raw = getattr(first, "root", first)
    assert "holographicDisplay" in repr(raw) or getattr(raw, "raw", None) == item


def test_turn_errors_are_codex_errors_and_builtin_errors() -> None:
    failed = TurnFailedError("boom", error={"message": "boom", "codexErrorInfo": "other"})
    assert isinstance(failed, CodexError)
    assert isinstance(failed, RuntimeError)
    assert failed.codex_error_info == "other"
    timeout = TurnTimeoutError("slow")
    assert isinstance(timeout, CodexError)
    assert isinstance(timeout, TimeoutError)


def test_retry_on_overload(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(retry_module.time, "sleep", sleeps.append)
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ServerBusyError(-32001, "Server overloaded; retry later.")
        return "ok"

    assert retry_on_overload(flaky, initial_delay_s=0.1, jitter_ratio=0) == "ok"
    assert sleeps == [0.1, 0.2]

    calls.clear()
    with pytest.raises(ServerBusyError):
        retry_on_overload(flaky, max_attempts=2, initial_delay_s=0)

    def bad() -> None:
        raise InvalidRequestError(-32600, "nope")

    with pytest.raises(InvalidRequestError):
        retry_on_overload(bad)
    with pytest.raises(ValueError, match="max_attempts"):
        retry_on_overload(lambda: 1, max_attempts=0)
    sleeps.clear()
    retry_on_overload(lambda: 1, max_attempts=1)
    assert sleeps == []


def test_retry_delays_are_capped_with_jitter() -> None:
    delays = retry_module.backoff_delays(6, 0.5, 2.0, 0.2)
    assert len(delays) == 5
    for got, base in zip(delays, [0.5, 1.0, 2.0, 2.0, 2.0], strict=True):
        assert base * 0.8 <= got <= base * 1.2


@pytest.mark.anyio
async def test_retry_on_overload_with_an_async_operation() -> None:
    calls: list[int] = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ServerBusyError(-32001, "Server overloaded; retry later.")
        return "ok"

    assert await retry_on_overload(flaky, initial_delay_s=0.01) == "ok"
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(ServerBusyError):
        await retry_on_overload(lambda: flaky(), max_attempts=2, initial_delay_s=0.01)
    assert len(calls) == 2


def test_models_module_keeps_the_old_names() -> None:
    from openai_codex import models

    assert models.Notification is not None
    assert models.UnknownNotification({"a": 1}).params == {"a": 1}
    assert models.TurnCompletedNotification.__name__ == "TurnCompletedNotification"
    with pytest.raises(AttributeError):
        _ = models.DefinitelyNotAModel


@pytest.mark.anyio
async def test_sandbox_memory_builds_a_workspace_policy_from_config() -> None:
    from openai_codex._core.threads.sandbox_memory import SandboxMemory, section_overrides

    assert section_overrides(
        {"sandbox_workspace_write": {"writable_roots": ["/a"]}, "sandbox_workspace_write.x": 1}
    ) == {"writable_roots": ["/a"], "x": 1}
    memory = SandboxMemory()
    memory.remember_thread(
        "th",
        {"config": {"sandbox_workspace_write.network_access": True}},
        {"sandbox": {"type": "readOnly"}, "cwd": "/proj"},
    )
    asked: list[dict[str, Any]] = []

    async def read_config(params: dict[str, Any]) -> Any:
        asked.append(params)
        return {"config": {"sandbox_workspace_write": {"writable_roots": ["/data"]}}}

    await memory.ensure_workspace_policy("th", None, read_config)
    assert asked == [{"cwd": "/proj"}]
    assert memory.known("th")["workspaceWrite"] == {
        "type": "workspaceWrite",
        "writableRoots": ["/data"],
        "networkAccess": True,
    }
    await memory.ensure_workspace_policy("th", None, read_config)
    assert len(asked) == 1  # known now: no second config read


def test_notification_model_is_the_registrys_and_looked_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openai_codex._core import parsing as _types
    from openai_codex_types import AgentMessageDeltaNotification, registry

    monkeypatch.setattr(_types, "_notification_models", {})
    method = "item/agentMessage/delta"
    assert _types.notification_model(method) is AgentMessageDeltaNotification
    assert _types.notification_model("no/such/method") is None
    calls: list[str] = []
    monkeypatch.setattr(registry, "notification_model", calls.append)
    # both answers (including None for an unknown method) come from the cache now
    assert _types.notification_model(method) is AgentMessageDeltaNotification
    assert _types.notification_model("no/such/method") is None
    assert calls == []
