from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import pytest

from openai_codex._core.host.dispatch import ServerRequestDispatcher
from openai_codex._core.host.kinds import default_answer
from openai_codex.handlers import (
    ApprovalDecision,
    HandlerFailure,
    ServerRequestHandlers,
)
from openai_codex.tools import tool
from openai_codex_transport import JsonRpcError

THREAD = "thr-1"
TURN = "turn-1"

COMMAND = {
    "threadId": THREAD,
    "turnId": TURN,
    "itemId": "c1",
    "startedAtMs": 1,
    "command": "/bin/bash -lc 'rm -rf build'",
    "cwd": "/tmp/w",
    "reason": "cleanup",
    "kind": "command",
}
FILE_CHANGE = {"threadId": THREAD, "turnId": TURN, "itemId": "p1", "startedAtMs": 1}
PERMISSIONS = {
    "threadId": THREAD,
    "turnId": TURN,
    "itemId": "x1",
    "startedAtMs": 1,
    "cwd": "/tmp/w",
    "permissions": {"network": {"enabled": True}},
}
USER_INPUT = {
    "threadId": THREAD,
    "turnId": TURN,
    "itemId": "u1",
    "isBlocking": True,
    "questions": [
        {"id": "color", "header": "Color", "question": "Favourite colour?"},
        {"id": "size", "header": "Size", "question": "Which sizes?"},
    ],
}
ELICITATION = {
    "threadId": THREAD,
    "turnId": TURN,
    "serverName": "srv",
    "mode": "url",
    "url": "https://x",
    "message": "m",
    "elicitationId": "e",
}
TOOL_CALL = {
    "threadId": THREAD,
    "turnId": TURN,
    "callId": "t1",
    "tool": "lookup",
    "namespace": None,
    "arguments": {"q": "x"},
}
EXEC_LEGACY = {
    "conversationId": THREAD,
    "callId": "c",
    "command": ["ls"],
    "cwd": "/",
    "parsedCmd": [],
}
PATCH_LEGACY = {"conversationId": THREAD, "callId": "c", "fileChanges": {}}


DEFAULTS = [
    ("item/commandExecution/requestApproval", COMMAND, {"decision": "decline"}),
    ("item/fileChange/requestApproval", FILE_CHANGE, {"decision": "decline"}),
    ("item/permissions/requestApproval", PERMISSIONS, {"permissions": {}, "scope": "turn"}),
    ("item/tool/requestUserInput", USER_INPUT, {"answers": {}}),
    ("mcpServer/elicitation/request", ELICITATION, {"action": "cancel"}),
    (
        "execCommandApproval",
        EXEC_LEGACY,
        {
            "decision": {
                "denied": {
                    "rejection": "The host application declined this request (no handler accepted it)."
                }
            }
        },
    ),
    (
        "applyPatchApproval",
        PATCH_LEGACY,
        {
            "decision": {
                "denied": {
                    "rejection": "The host application declined this request (no handler accepted it)."
                }
            }
        },
    ),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("method", "params", "expected"), DEFAULTS)
async def test_defaults_never_accept(method: str, params: dict[str, Any], expected: Any) -> None:
    dispatcher = ServerRequestDispatcher()
    assert await dispatcher(method, params) == expected
    assert default_answer(method, params) == expected


@pytest.mark.anyio
async def test_default_tool_call_fails_and_errors_for_tokens() -> None:
    dispatcher = ServerRequestDispatcher()
    out = await dispatcher("item/tool/call", TOOL_CALL)
    assert out["success"] is False
    assert "lookup" in out["contentItems"][0]["text"]
    for method in ("account/chatgptAuthTokens/refresh", "attestation/generate"):
        with pytest.raises(JsonRpcError) as info:
            await dispatcher(method, {"reason": "unauthorized"})
        assert info.value.code == -32603
    with pytest.raises(JsonRpcError) as info:
        await dispatcher("some/new/request", {})
    assert info.value.code == -32601
    now = await dispatcher("currentTime/read", {"threadId": THREAD})
    assert abs(now["currentTimeAt"] - time.time()) < 5


@pytest.mark.anyio
async def test_sync_and_async_handlers_get_typed_params() -> None:
    seen: dict[str, Any] = {}
    loop_thread = threading.get_ident()

    def approve(p: Any) -> ApprovalDecision:
        seen["command"] = p.command
        seen["thread"] = threading.get_ident()
        return "accept"

    async def files(p: Any) -> ApprovalDecision:
        seen["item"] = p.item_id
        return "acceptForSession"

    def answer(p: Any) -> dict[str, Any]:
        seen["questions"] = [q.id for q in p.questions]
        return {"color": "blue", "size": ["S", "M"]}

    dispatcher = ServerRequestDispatcher(
        ServerRequestHandlers(
            command_approval=approve, file_change_approval=files, user_input=answer
        )
    )
    assert await dispatcher("item/commandExecution/requestApproval", COMMAND) == {
        "decision": "accept"
    }
    assert await dispatcher("item/fileChange/requestApproval", FILE_CHANGE) == {
        "decision": "acceptForSession"
    }
    assert await dispatcher("item/tool/requestUserInput", USER_INPUT) == {
        "answers": {"color": {"answers": ["blue"]}, "size": {"answers": ["S", "M"]}}
    }
    assert seen["command"] == COMMAND["command"]
    assert seen["item"] == "p1"
    assert seen["questions"] == ["color", "size"]
    assert seen["thread"] != loop_thread  # sync handlers run in a worker thread


@pytest.mark.anyio
async def test_response_models_and_other_short_forms() -> None:
    from openai_codex_types import CommandExecutionRequestApprovalResponse

    def full(p: Any) -> Any:
        return CommandExecutionRequestApprovalResponse.model_validate({"decision": "cancel"})

    handlers = ServerRequestHandlers(
        command_approval=full,
        mcp_elicitation=lambda p: "decline",
        permissions_approval=lambda p: {
            "permissions": {"network": {"enabled": True}},
            "scope": "session",
        },
        dynamic_tool_call=lambda p: f"handled {p.tool}",
        current_time=lambda p: 1234,
        exec_command_approval=lambda p: "approved",
        apply_patch_approval=lambda p: "denied",
        chatgpt_auth_tokens_refresh=lambda p: {"accessToken": "tok", "chatgptAccountId": "acc"},
    )
    d = ServerRequestDispatcher(handlers)
    assert await d("item/commandExecution/requestApproval", COMMAND) == {"decision": "cancel"}
    assert await d("mcpServer/elicitation/request", ELICITATION) == {"action": "decline"}
    assert (await d("item/permissions/requestApproval", PERMISSIONS))["scope"] == "session"
    assert await d("item/tool/call", TOOL_CALL) == {
        "contentItems": [{"type": "inputText", "text": "handled lookup"}],
        "success": True,
    }
    assert await d("currentTime/read", {"threadId": THREAD}) == {"currentTimeAt": 1234}
    assert await d("execCommandApproval", EXEC_LEGACY) == {"decision": "approved"}
    assert (await d("applyPatchApproval", PATCH_LEGACY))["decision"]["denied"]["rejection"]
    assert await d("account/chatgptAuthTokens/refresh", {"reason": "unauthorized"}) == {
        "accessToken": "tok",
        "chatgptAccountId": "acc",
    }


@pytest.mark.anyio
async def test_failures_give_the_safe_answer_and_are_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures: list[HandlerFailure] = []

    def boom(p: Any) -> ApprovalDecision:
        raise RuntimeError("handler exploded")

    async def slow(p: Any) -> ApprovalDecision:
        await anyio.sleep(30)
        return "accept"

    def nonsense(p: Any) -> Any:
        return "yes please"

    d = ServerRequestDispatcher(
        ServerRequestHandlers(
            command_approval=boom, file_change_approval=slow, user_input=nonsense, timeout=0.2
        ),
        on_error=failures.append,
    )
    with anyio.fail_after(10):
        assert await d("item/commandExecution/requestApproval", COMMAND) == {"decision": "decline"}
        assert await d("item/fileChange/requestApproval", FILE_CHANGE) == {"decision": "decline"}
        assert await d("item/tool/requestUserInput", USER_INPUT) == {"answers": {}}
    assert [f.reason for f in failures] == ["exception", "timeout", "invalid_answer"]
    assert failures[0].thread_id == THREAD
    assert failures[0].turn_id == TURN
    assert isinstance(failures[0].exception, RuntimeError)
    assert failures[0].answer == {"decision": "decline"}
    assert "handler exploded" in caplog.text
    assert "no answer within 0.2 s" in caplog.text


@pytest.mark.anyio
async def test_failing_token_handler_still_errors() -> None:
    failures: list[HandlerFailure] = []

    def boom(p: Any) -> Any:
        raise ValueError("no tokens")

    d = ServerRequestDispatcher(
        ServerRequestHandlers(chatgpt_auth_tokens_refresh=boom), on_error=failures.append
    )
    with pytest.raises(JsonRpcError):
        await d("account/chatgptAuthTokens/refresh", {"reason": "unauthorized"})
    assert failures[0].reason == "exception"


@pytest.mark.anyio
async def test_sync_timeout_does_not_block_the_loop() -> None:
    release = threading.Event()

    def blocking(p: Any) -> ApprovalDecision:
        release.wait(10)
        return "accept"

    d = ServerRequestDispatcher(ServerRequestHandlers(command_approval=blocking, timeout=0.2))
    try:
        with anyio.fail_after(5):
            assert await d("item/commandExecution/requestApproval", COMMAND) == {
                "decision": "decline"
            }
    finally:
        release.set()


@pytest.mark.anyio
async def test_handlers_run_concurrently() -> None:
    started = anyio.Event()
    finish = anyio.Event()

    async def waits(p: Any) -> ApprovalDecision:
        started.set()
        await finish.wait()
        return "accept"

    d = ServerRequestDispatcher(ServerRequestHandlers(command_approval=waits))
    results: list[Any] = []
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:

            async def first() -> None:
                results.append(await d("item/commandExecution/requestApproval", COMMAND))

            tg.start_soon(first)
            await started.wait()
            results.append(await d("item/fileChange/requestApproval", FILE_CHANGE))
            finish.set()
    assert results == [{"decision": "decline"}, {"decision": "accept"}]


@pytest.mark.anyio
async def test_per_thread_handlers_and_tools() -> None:
    @tool
    def lookup(q: str) -> str:
        return f"found {q}"

    d = ServerRequestDispatcher(
        ServerRequestHandlers(
            command_approval=lambda p: "accept", file_change_approval=lambda p: "accept"
        )
    )
    d.set_thread(
        THREAD, handlers=ServerRequestHandlers(command_approval=lambda p: "cancel"), tools=[lookup]
    )
    other = {**COMMAND, "threadId": "other"}
    assert await d("item/commandExecution/requestApproval", COMMAND) == {"decision": "cancel"}
    assert await d("item/fileChange/requestApproval", FILE_CHANGE) == {"decision": "accept"}
    assert await d("item/commandExecution/requestApproval", other) == {"decision": "accept"}
    assert await d("item/tool/call", TOOL_CALL) == {
        "contentItems": [{"type": "inputText", "text": "found x"}],
        "success": True,
    }
    assert (await d("item/tool/call", {**TOOL_CALL, "threadId": "other"}))["success"] is False
    d.forget_thread(THREAD)
    assert await d("item/commandExecution/requestApproval", COMMAND) == {"decision": "accept"}


def test_merged_over() -> None:
    def a(p: Any) -> Any:
        return "accept"

    def b(p: Any) -> Any:
        return "decline"

    base = ServerRequestHandlers(command_approval=a, user_input=a, timeout=5)
    top = ServerRequestHandlers(command_approval=b, timeout=1)
    merged = top.merged_over(base)
    assert merged.command_approval is b
    assert merged.user_input is a
    assert merged.timeout == 1
    assert top.merged_over(None) is top


@pytest.mark.anyio
async def test_debug_logs_of_answers_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="openai_codex")
    d = ServerRequestDispatcher(
        ServerRequestHandlers(
            chatgpt_auth_tokens_refresh=lambda p: {
                "accessToken": "tok-very-secret",
                "chatgptAccountId": "acc-1",
            }
        )
    )
    answer = await d("account/chatgptAuthTokens/refresh", {"reason": "unauthorized"})
    assert answer["accessToken"] == "tok-very-secret"  # the runtime gets the token...
    assert "account/chatgptAuthTokens/refresh answered" in caplog.text
    assert "acc-1" in caplog.text
    assert "tok-very-secret" not in caplog.text  # ...the logs do not


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "params", "garbage"),
    [
        ("item/commandExecution/requestApproval", COMMAND, "yes please"),
        ("item/commandExecution/requestApproval", COMMAND, "approved"),
        ("item/commandExecution/requestApproval", COMMAND, "Accept"),
        ("item/commandExecution/requestApproval", COMMAND, {"decision": "acceptEverything"}),
        ("item/commandExecution/requestApproval", COMMAND, {"decision": {"acceptAll": {}}}),
        ("item/fileChange/requestApproval", FILE_CHANGE, "approve"),
        ("mcpServer/elicitation/request", ELICITATION, "sure"),
    ],
)
async def test_answers_outside_the_protocol_become_the_safe_default(
    method: str, params: dict[str, Any], garbage: Any
) -> None:
    failures: list[HandlerFailure] = []
    handlers = ServerRequestHandlers(
        command_approval=lambda p: garbage,
        file_change_approval=lambda p: garbage,
        mcp_elicitation=lambda p: garbage,
    )
    d = ServerRequestDispatcher(handlers, on_error=failures.append)
    with anyio.fail_after(10):
        answer = await d(method, params)
    assert answer == default_answer(method, params)
    assert [f.reason for f in failures] == ["invalid_answer"]
    assert "not a value of the protocol" in failures[0].message


@pytest.mark.anyio
async def test_known_answers_still_pass() -> None:
    d = ServerRequestDispatcher(
        ServerRequestHandlers(command_approval=lambda p: "acceptForSession")
    )
    with anyio.fail_after(10):
        answer = await d("item/commandExecution/requestApproval", COMMAND)
    assert answer == {"decision": "acceptForSession"}
