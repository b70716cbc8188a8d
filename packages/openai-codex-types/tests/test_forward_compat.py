"""A payload from a newer runtime still parses: unknown fields, enum values and union members
are kept instead of failing the whole payload (synthetic payloads)."""

from __future__ import annotations

from typing import Any

import openai_codex_types as t
from openai_codex_types import (
    AgentMessageThreadItem,
    AskForApproval,
    CodexErrorInfo,
    ItemCompletedNotification,
    OpenEnum,
    ThreadItem,
    TurnCompletedNotification,
    TurnStatus,
    UnknownThreadItem,
    UnknownVariant,
    UserInput,
    is_unknown,
    registry,
)


def turn_completed(items: list[dict[str, Any]], status: str = "completed") -> dict[str, Any]:
    return {
        "threadId": "thr",
        "turn": {"id": "turn", "items": items, "status": status, "error": None},
    }


AGENT = {"type": "agentMessage", "id": "i1", "text": "hello", "phase": "final_answer"}
NEW_ITEM = {"type": "hologram", "id": "i2", "frames": [1, 2, 3], "meta": {"fps": 60}}


def test_unknown_fields_are_kept_at_every_level() -> None:
    payload = turn_completed([{**AGENT, "sparkle": True}])
    payload["newTopLevel"] = {"a": 1}
    payload["turn"]["newTurnField"] = "x"
    n = TurnCompletedNotification.model_validate(payload)
    assert n.model_extra == {"newTopLevel": {"a": 1}}
    assert n.turn.model_extra == {"newTurnField": "x"}
    item = n.turn.items[0].root
    assert isinstance(item, AgentMessageThreadItem)
    assert item.model_extra == {"sparkle": True}
    dumped = n.model_dump(mode="json", exclude_unset=True)
    assert dumped == payload


def test_unknown_turn_status_keeps_the_raw_string() -> None:
    n = TurnCompletedNotification.model_validate(turn_completed([], status="paused"))
    status = n.turn.status
    assert isinstance(status, TurnStatus)
    assert not status.known
    assert is_unknown(status)
    assert status is not TurnStatus.completed
    raw: object = status
    assert raw == "paused"  # a str subclass: compares like the wire string
    assert str(status) == "paused"
    assert TurnStatus("completed") is TurnStatus.completed
    assert TurnStatus.completed.known
    assert TurnStatus.in_progress.value == "inProgress"
    assert n.model_dump(mode="json")["turn"]["status"] == "paused"


def test_unknown_thread_item_parses_to_a_fallback_keeping_the_raw_dict() -> None:
    n = TurnCompletedNotification.model_validate(turn_completed([AGENT, NEW_ITEM]))
    known, new = (i.root for i in n.turn.items)
    assert isinstance(known, AgentMessageThreadItem)
    assert known.text == "hello"
    assert isinstance(new, UnknownThreadItem)
    assert isinstance(new, UnknownVariant)
    assert new.raw == NEW_ITEM
    assert new.type == "hologram"  # type: ignore[attr-defined]
    assert is_unknown(n.turn.items[1])
    assert not is_unknown(n.turn.items[0])
    assert n.model_dump(mode="json", exclude_unset=True)["turn"]["items"][1] == NEW_ITEM


def test_unknown_item_in_item_completed_notification() -> None:
    n = registry.parse_notification(
        "item/completed", {"threadId": "t", "turnId": "u", "item": NEW_ITEM, "completedAtMs": 5}
    )
    assert isinstance(n, ItemCompletedNotification)
    assert isinstance(n.item.root, UnknownThreadItem)
    assert n.item.root.raw == NEW_ITEM


def test_known_item_still_rejects_a_broken_known_member() -> None:
    # a known tag keeps its schema: a missing required field is an error, not a fallback
    bad = registry.parse_notification(
        "item/completed", {"threadId": "t", "turnId": "u", "item": {"type": "agentMessage"}}
    )
    assert isinstance(bad, registry.UnknownNotification)
    assert bad.error is not None
    assert bad.params["item"] == {"type": "agentMessage"}


def test_unknown_user_input_and_discriminator_on_model_instances() -> None:
    ui = UserInput.model_validate({"type": "smell", "odor": "roses"})
    assert isinstance(ui.root, UnknownVariant)
    assert ui.root.raw == {"type": "smell", "odor": "roses"}
    text = UserInput.model_validate({"type": "text", "text": "hi"})
    assert type(text.root).__name__ == "TextUserInput"
    # validating an existing instance keeps its class
    again = ThreadItem.model_validate({"type": "agentMessage", "id": "x", "text": "t"}).root
    wrapped = ThreadItem(again)
    assert wrapped.root is again


def test_mixed_string_and_object_unions() -> None:
    assert AskForApproval.model_validate("never").root == "never"
    new_mode = AskForApproval.model_validate("sometimes").root
    assert isinstance(new_mode, OpenEnum)
    assert new_mode.value == "sometimes"
    assert not new_mode.known
    flags = {"sandbox_approval": True, "rules": False, "mcp_elicitations": True}
    granular = AskForApproval.model_validate({"granular": flags}).root
    assert type(granular).__name__ == "GranularAskForApproval"
    assert granular.granular.mcp_elicitations is True  # type: ignore[union-attr]
    other = AskForApproval.model_validate({"byPlugin": {"x": 1}}).root
    assert isinstance(other, UnknownVariant)
    assert other.raw == {"byPlugin": {"x": 1}}
    # CodexErrorInfo: plain codes, externally tagged objects, and anything newer
    assert CodexErrorInfo.model_validate("contextWindowExceeded").root == "contextWindowExceeded"
    http = CodexErrorInfo.model_validate({"httpConnectionFailed": {"httpStatusCode": 502}}).root
    assert type(http).__name__ == "HttpConnectionFailedCodexErrorInfo"
    newer = CodexErrorInfo.model_validate({"quantumDecoherence": {"qubits": 3}}).root
    assert isinstance(newer, UnknownVariant)


def test_unknown_notification_method_keeps_the_raw_params() -> None:
    params = {"threadId": "t", "whatever": [1]}
    n = registry.parse_notification("thread/teleported", params)
    assert isinstance(n, registry.UnknownNotification)
    assert n.method == "thread/teleported"
    assert n.params == params
    assert n.error is None
    r = registry.parse_server_request("item/mindRead/requestApproval", {"x": 1})
    assert isinstance(r, registry.UnknownServerRequest)
    assert r.params == {"x": 1}


def test_snake_case_attributes_camel_case_wire() -> None:
    from openai_codex_types import ThreadStartParams

    by_name = ThreadStartParams(
        cwd="/w", developer_instructions="be brief", approval_policy="never"
    )
    by_alias = ThreadStartParams.model_validate(
        {"cwd": "/w", "developerInstructions": "be brief", "approvalPolicy": "never"}
    )
    assert by_name == by_alias
    assert by_name.model_dump(exclude_none=True) == {
        "cwd": "/w",
        "developerInstructions": "be brief",
        "approvalPolicy": "never",
    }
    assert '"developerInstructions":"be brief"' in by_name.model_dump_json(exclude_none=True)
    assert by_name.developer_instructions == "be brief"


def test_every_name_is_reachable_from_the_package() -> None:
    names = t.__all__
    assert "ThreadItem" in names
    assert "AgentMessageThreadItem" in names
    assert "JSONRPCRequest" in names
    assert "InitializeResponse" in names
    assert t.RUNTIME_VERSION == registry.RUNTIME_VERSION
