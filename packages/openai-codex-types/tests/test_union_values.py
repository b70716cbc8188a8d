"""Unions hand out their concrete members; path aliases are paths (issue 25)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from openai_codex_types import (
    AbsolutePathBuf,
    AgentMessageThreadItem,
    AnyThreadItem,
    CommandExecutionRequestApprovalParams,
    ItemCompletedNotification,
    LegacyAppPathString,
    ThreadId,
    ThreadItem,
    UnknownThreadItem,
    is_unknown,
)

MESSAGE = {"type": "agentMessage", "id": "i1", "text": "hi"}


def _completed(item: dict[str, object]) -> ItemCompletedNotification:
    return ItemCompletedNotification.model_validate(
        {"item": item, "threadId": "t", "turnId": "u", "completedAtMs": 1}
    )


def test_a_field_holds_the_concrete_member() -> None:
    item: AnyThreadItem = _completed(MESSAGE).item
    assert type(item) is AgentMessageThreadItem
    assert item.type == "agentMessage"
    if item.type == "agentMessage":  # narrows for a type checker too
        assert item.text == "hi"
    assert item.root is item  # code written for the wrapper keeps working
    assert item.root.text == "hi"


def test_a_wrapper_validated_directly_forwards_attributes() -> None:
    wrapper = ThreadItem.model_validate(MESSAGE)
    assert isinstance(wrapper, ThreadItem)
    assert isinstance(wrapper.root, AgentMessageThreadItem)
    assert (wrapper.type, wrapper.text, wrapper.id) == ("agentMessage", "hi", "i1")
    with pytest.raises(AttributeError, match="no_such_field"):
        _ = wrapper.no_such_field


def test_a_wrapper_given_as_input_stands_for_its_member() -> None:
    wrapper = ThreadItem.model_validate(MESSAGE)
    built = ItemCompletedNotification(item=wrapper, thread_id="t", turn_id="u", completed_at_ms=1)
    assert type(built.item) is AgentMessageThreadItem
    assert built.model_dump(by_alias=True, exclude_none=True)["item"] == MESSAGE


def test_an_unknown_member_stays_readable() -> None:
    item = _completed({"type": "hologram", "id": "i2", "beams": 3}).item
    assert isinstance(item, UnknownThreadItem)
    assert item.type == "hologram"
    assert item.beams == 3
    assert item.raw == {"type": "hologram", "id": "i2", "beams": 3}
    assert is_unknown(item)
    assert ThreadItem.model_validate(item.raw).type == "hologram"


def test_path_aliases_are_paths_and_strings() -> None:
    path = AbsolutePathBuf("/tmp/work")
    assert Path(path) == Path("/tmp/work")
    assert os.fspath(path) == "/tmp/work"
    assert path == "/tmp/work"
    assert path != "/tmp"
    assert {path: 1}["/tmp/work"] == 1
    assert str(path) == "/tmp/work"
    assert path.startswith("/tmp")  # string methods are forwarded
    assert os.path.basename(path) == "work"
    params = CommandExecutionRequestApprovalParams.model_validate(
        {
            "threadId": "t",
            "turnId": "u",
            "itemId": "i",
            "cwd": "/tmp",
            "command": "ls",
            "startedAtMs": 1,
        }
    )
    assert isinstance(params.cwd, LegacyAppPathString | AbsolutePathBuf)
    assert params.cwd == "/tmp"
    assert Path(params.cwd) == Path("/tmp")


def test_string_aliases_compare_as_strings() -> None:
    assert ThreadId("thr_1") == "thr_1"
    assert ThreadId("thr_1") == ThreadId("thr_1")
    assert len({ThreadId("a"), ThreadId("a")}) == 1
    assert not hasattr(ThreadId("a"), "__fspath__")
