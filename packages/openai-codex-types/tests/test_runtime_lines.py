"""Real lines captured from runtime 0.163.0 (initialize, thread/start, a turn with reasoning, an
approved shell command and a final message, thread/read) parse into their registered models and
dump back to the same JSON."""

from __future__ import annotations

from typing import Any

import pytest
from codex_types_support import session_lines

from openai_codex_types import (
    AgentMessageThreadItem,
    CommandExecutionThreadItem,
    InitializeResponse,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    ReasoningThreadItem,
    ServerNotification,
    ThreadStartResponse,
    TurnCompletedNotification,
    TurnStatus,
    is_unknown,
    registry,
)

LINES = session_lines()
SERVER = [line["msg"] for line in LINES if line["dir"] == "server"]
CLIENT = [line["msg"] for line in LINES if line["dir"] == "client"]
NOTIFICATIONS = [m for m in SERVER if "method" in m and "id" not in m]
SERVER_REQUESTS = [m for m in SERVER if "method" in m and "id" in m]
REQUESTS = {m["id"]: m["method"] for m in CLIENT if "method" in m and "id" in m}
RESPONSES = [m for m in SERVER if "result" in m]


def _same_json(model: Any, wire: Any) -> None:
    assert model.model_dump(mode="json", exclude_unset=True) == wire


def test_fixture_covers_a_whole_turn() -> None:
    methods = {m["method"] for m in NOTIFICATIONS}
    assert {
        "thread/started",
        "turn/started",
        "item/started",
        "item/completed",
        "item/agentMessage/delta",
        "item/reasoning/summaryTextDelta",
        "thread/tokenUsage/updated",
        "turn/completed",
    } <= methods
    assert [m["method"] for m in SERVER_REQUESTS] == ["item/commandExecution/requestApproval"]


@pytest.mark.parametrize("msg", NOTIFICATIONS, ids=[m["method"] for m in NOTIFICATIONS])
def test_every_notification_parses_and_round_trips(msg: dict[str, Any]) -> None:
    payload = registry.parse_notification(msg["method"], msg["params"])
    assert not isinstance(payload, registry.UnknownNotification), getattr(payload, "error", None)
    assert type(payload) is registry.notification_model(msg["method"])
    _same_json(payload, msg["params"])
    # the envelope too: the ServerNotification union and the plain JSON-RPC notification
    envelope = ServerNotification.model_validate(msg)
    assert not is_unknown(envelope)
    assert type(envelope.root.params) is type(payload)  # type: ignore[union-attr]
    _same_json(JSONRPCNotification.model_validate(msg), msg)


@pytest.mark.parametrize("msg", RESPONSES, ids=[REQUESTS[m["id"]] for m in RESPONSES])
def test_every_result_parses_and_round_trips(msg: dict[str, Any]) -> None:
    result = registry.parse_result(REQUESTS[msg["id"]], msg["result"])
    _same_json(result, msg["result"])
    _same_json(JSONRPCResponse.model_validate(msg), msg)


@pytest.mark.parametrize("msg", [m for m in CLIENT if "method" in m], ids=lambda m: m["method"])
def test_client_requests_params_validate(msg: dict[str, Any]) -> None:
    if "id" in msg:
        model = registry.params_model(msg["method"])
        assert model is not None
        _same_json(model.model_validate(msg["params"]), msg["params"])
        _same_json(JSONRPCRequest.model_validate(msg), msg)
    else:
        assert msg["method"] in registry.CLIENT_NOTIFICATIONS


def test_server_request_and_our_answer() -> None:
    (req,) = SERVER_REQUESTS
    params = registry.parse_server_request(req["method"], req["params"])
    assert type(params).__name__ == "CommandExecutionRequestApprovalParams"
    _same_json(params, req["params"])
    answer = next(m for m in CLIENT if m.get("id") == req["id"] and "result" in m)
    spec = registry.server_request(req["method"])
    assert spec is not None
    response = spec.response_model.model_validate(answer["result"])
    assert response.decision.root == "accept"  # type: ignore[attr-defined]


def test_typed_access_to_the_interesting_bits() -> None:
    init = InitializeResponse.model_validate(RESPONSES[0]["result"])
    assert init.user_agent.split("/", 1)[1].startswith("0.163.0")
    assert init.platform_os
    start = ThreadStartResponse.model_validate(
        next(m for m in RESPONSES if REQUESTS[m["id"]] == "thread/start")["result"]
    )
    assert start.thread.id
    done = next(m for m in NOTIFICATIONS if m["method"] == "turn/completed")
    turn = TurnCompletedNotification.model_validate(done["params"]).turn
    assert turn.status is TurnStatus.completed
    completed = [
        registry.parse_notification(m["method"], m["params"])
        for m in NOTIFICATIONS
        if m["method"] == "item/completed"
    ]
    items = [c.item.root for c in completed]  # type: ignore[union-attr]
    kinds = [type(i) for i in items]
    assert ReasoningThreadItem in kinds
    assert CommandExecutionThreadItem in kinds
    final = items[-1]
    assert isinstance(final, AgentMessageThreadItem)
    assert final.text == "All done."
    assert final.phase is not None
    assert final.phase.value == "final_answer"
