"""Hooks without the runtime: registration, decisions on the wire, trust config, the relay."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from openai_codex.hooks import (
    AddContext,
    Allow,
    Continue,
    Deny,
    Hooks,
    PostToolUseInput,
    PreToolUseInput,
    StopInput,
    StopTurn,
)
from openai_codex.hooks._config import RelayHook, hook_hash, thread_config
from openai_codex.hooks._decisions import to_wire
from openai_codex.hooks._events import EVENTS, event_spec
from openai_codex.hooks._server import RELAY_PATH

PAYLOAD = {
    "session_id": "thr_1",
    "turn_id": "turn_1",
    "cwd": "/work",
    "hook_event_name": "PreToolUse",
    "model": "m",
    "permission_mode": "default",
    "transcript_path": None,
    "tool_name": "Bash",
    "tool_input": {"command": "ls"},
    "tool_use_id": "call_1",
}


def test_every_runtime_event_has_a_decorator_and_a_spec() -> None:
    from openai_codex_types import HookEventName

    assert {event_spec(e).name for e in HookEventName} == set(EVENTS)
    hooks = Hooks()
    for name in EVENTS:
        getattr(hooks, name)(lambda event: None)
    assert [r.event for r in hooks] == list(EVENTS)


def test_decorators_with_and_without_a_matcher() -> None:
    hooks = Hooks()

    @hooks.pre_tool_use(matcher="Bash", timeout=5)
    def guard(event: PreToolUseInput) -> Deny | None:
        return None

    @hooks.stop
    async def keep_going(event: StopInput) -> Continue | None:
        return None

    first, second = list(hooks)
    assert (first.event, first.matcher, first.timeout, first.function) == (
        "pre_tool_use",
        "Bash",
        5.0,
        guard,
    )
    assert (second.event, second.matcher, second.function) == ("stop", None, keep_going)
    assert guard(PreToolUseInput.from_payload(PAYLOAD)) is None  # still a plain function


def test_registration_mistakes_are_reported_where_made() -> None:
    hooks = Hooks()
    with pytest.raises(ValueError, match="unknown hook event"):
        hooks.on("before_tool", lambda e: None)
    with pytest.raises(ValueError, match="not a regular expression"):
        hooks.on("pre_tool_use", lambda e: None, matcher="(")
    with pytest.raises(ValueError, match="take no matcher"):
        hooks.on("stop", lambda e: None, matcher="x")
    with pytest.raises(ValueError, match="positive number"):
        hooks.on("stop", lambda e: None, timeout=0)
    with pytest.raises(TypeError, match="function"):
        hooks.on("stop", "not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        Deny("  ")
    # the runtime allows a session-end hook 3 s: the function gets less
    assert hooks.on("session_end", lambda e: None).timeout == 2.5
    assert len(hooks) == 1


def test_typed_inputs_from_the_runtime_payload() -> None:
    event = PreToolUseInput.from_payload(PAYLOAD)
    assert (event.thread_id, event.turn_id, event.tool_name, event.command) == (
        "thr_1",
        "turn_1",
        "Bash",
        "ls",
    )
    assert event.raw is PAYLOAD
    post = PostToolUseInput.from_payload({**PAYLOAD, "tool_response": "out\n"})
    assert post.tool_response == "out\n"
    stop = StopInput.from_payload({"session_id": "t", "stop_hook_active": True})
    assert stop.stop_hook_active is True
    assert stop.last_assistant_message is None


@pytest.mark.parametrize(
    ("event", "decision", "expected"),
    [
        (
            "pre_tool_use",
            Deny("no"),
            {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": "no",
                }
            },
        ),
        (
            "pre_tool_use",
            Allow(updated_input={"command": "ls -l"}),
            {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "allow",
                    "updatedInput": {"command": "ls -l"},
                }
            },
        ),
        ("pre_tool_use", Allow(), None),
        (
            "permission_request",
            Allow(),
            {
                "hookSpecificOutput": {
                    "hookEventName": "PermissionRequest",
                    "decision": {"behavior": "allow"},
                }
            },
        ),
        ("user_prompt_submit", Deny("later"), {"decision": "block", "reason": "later"}),
        ("stop", Continue("and the tests"), {"decision": "block", "reason": "and the tests"}),
        (
            "post_tool_use",
            StopTurn("budget"),
            {"continue": False, "stopReason": "budget", "reason": "budget"},
        ),
        (
            "session_start",
            AddContext("hi"),
            {"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": "hi"}},
        ),
    ],
)
def test_decisions_on_the_wire(event: str, decision: Any, expected: Any) -> None:
    answer = to_wire(event, EVENTS[event].config_name, decision)
    assert answer.exit == 0
    assert (json.loads(answer.stdout) if answer.stdout else None) == expected


def test_trust_hash_and_thread_config() -> None:
    # the runtime's own hash of `true PreToolUse` (no matcher, timeout 600), from hooks/list
    assert hook_hash("pre_tool_use", None, "/tmp/hx/hook.sh PreToolUse", 600) == (
        "sha256:c05be58f11b1adea85a53067db4eb7d9397dbbdfba53bdee15a5cfb56d03c27d"
    )
    user = {
        "model": "x",
        "hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "a"}]}]},
    }
    merged = thread_config([RelayHook("pre_tool_use", "Bash", "relay 0", 33)], user)
    assert user["hooks"]["PreToolUse"].__len__() == 1  # not modified
    groups = merged["hooks"]["PreToolUse"]
    assert groups[1] == {
        "matcher": "Bash",
        "hooks": [{"type": "command", "command": "relay 0", "timeout": 33}],
    }
    # the user's own hook keeps its place (and stays untrusted); ours is group 1
    assert merged["hooks"]["state"] == {
        "/<session-flags>/config.toml:pre_tool_use:1:0": {
            "enabled": True,
            "trusted_hash": hook_hash("pre_tool_use", "Bash", "relay 0", 33),
        }
    }
    assert merged["model"] == "x"


def _relay(
    directory: Path, payload: dict[str, Any], deadline: str = "2"
) -> subprocess.CompletedProcess[str]:
    event = str(payload["hook_event_name"])
    return subprocess.run(
        [sys.executable, "-I", "-S", str(RELAY_PATH), str(directory), "0", deadline, event],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_relay_fails_closed_without_a_client(tmp_path: Path) -> None:
    done = _relay(tmp_path / "gone", PAYLOAD)
    assert done.returncode == 0
    out = json.loads(done.stdout)["hookSpecificOutput"]
    assert out["permissionDecision"] == "deny"
    assert "could not be reached (client gone)" in out["permissionDecisionReason"]
    prompt = _relay(tmp_path / "gone", {**PAYLOAD, "hook_event_name": "UserPromptSubmit"})
    assert json.loads(prompt.stdout)["decision"] == "block"
    # an observing event: no opinion
    post = _relay(tmp_path / "gone", {**PAYLOAD, "hook_event_name": "PostToolUse"})
    assert (post.returncode, post.stdout) == (0, "")


def test_relay_fails_closed_past_its_deadline(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("t")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "socket"))
    server.listen(1)  # accepts (the kernel does), never answers
    try:
        started = time.monotonic()
        done = _relay(tmp_path, PAYLOAD, deadline="0.5")
        took = time.monotonic() - started
    finally:
        server.close()
    assert (
        "(timed out)" in json.loads(done.stdout)["hookSpecificOutput"]["permissionDecisionReason"]
    )
    assert took < 10


def test_relay_imports_only_the_standard_library() -> None:
    source = RELAY_PATH.read_text()
    imports = {line.split()[1] for line in source.splitlines() if line.startswith("import ")}
    # sys and time are built in; _socket is the C module (socket itself costs ~10 ms)
    assert imports <= {"_socket", "sys", "time"}
    assert not [line for line in source.splitlines() if line.startswith("from ")]
    assert os.access(sys.executable, os.X_OK)


@pytest.mark.anyio
async def test_hook_server_starts_once_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat
    import tempfile

    import anyio

    from openai_codex.hooks._server import HookServer

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where mkdtemp makes its dirs
    server = HookServer()
    async with anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(server.start)  # threads opened at once
    (directory,) = tmp_path.glob("codex-hooks-*")
    assert directory == server.directory
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "token").stat().st_mode) == 0o600
    await server.aclose()
    assert list(tmp_path.glob("codex-hooks-*")) == []
