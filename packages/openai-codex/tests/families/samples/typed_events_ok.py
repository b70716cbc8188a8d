"""Type-checks under mypy --strict: event narrowing, text_stream and TurnResult[T]."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import assert_type

from openai_codex import AsyncThread, Notification, Thread, TurnResult
from openai_codex.events import (
    Event,
    ItemAgentMessageDeltaEvent,
    ThreadTokenUsageUpdatedEvent,
    TurnCompletedEvent,
)
from openai_codex_types import (
    AgentMessageDeltaNotification,
    ThreadTokenUsage,
    TurnCompletedNotification,
)


class Answer(BaseModel):
    city: str


def by_method(ev: Event) -> str:
    if ev.method == "item/agentMessage/delta":
        assert_type(ev, ItemAgentMessageDeltaEvent)
        assert_type(ev.payload, AgentMessageDeltaNotification)
        return ev.payload.delta
    if ev.method == "turn/completed":
        return str(ev.payload.turn.status)
    return ev.method


def by_match(ev: Event) -> str:
    match ev:
        case ItemAgentMessageDeltaEvent(payload=p):
            assert_type(p, AgentMessageDeltaNotification)
            return p.delta
        case TurnCompletedEvent():
            assert_type(ev.payload, TurnCompletedNotification)
            return ev.payload.turn.id
        case ThreadTokenUsageUpdatedEvent():
            assert_type(ev.payload.token_usage, ThreadTokenUsage)
            return "usage"
        case _:
            return ev.method


def old_code_keeps_working(ev: Notification) -> object:
    made = Notification("brand/new", {"x": 1})
    return (made.method, made.payload, ev.payload)


def sync_program(thread: Thread) -> str:
    handle = thread.turn("hi")
    text = "".join(handle.text_stream())
    for ev in thread.turn("again").stream():
        by_method(ev)
    typed = thread.run("where?", output_schema=Answer)
    assert_type(typed, TurnResult[Answer])
    assert_type(typed.parsed, Answer)
    untyped = thread.run("plain")
    assert_type(untyped, TurnResult)
    return text + typed.parsed.city


async def async_program(thread: AsyncThread) -> str:
    handle = await thread.turn("hi")
    parts = [delta async for delta in handle.text_stream()]
    typed = await thread.run("where?", output_schema=Answer)
    assert_type(typed.parsed, Answer)
    return "".join(parts) + typed.parsed.city
