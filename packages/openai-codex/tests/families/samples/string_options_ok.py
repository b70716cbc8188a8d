"""Must type-check: enum options take their string values; output_schema types the result."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import assert_type

from openai_codex import AsyncCodex, Codex, TurnResult
from openai_codex_types import AgentMessageThreadItem, AnyThreadItem


class Answer(BaseModel):
    value: int


async def async_face(codex: AsyncCodex) -> None:
    thread = await codex.thread_start(personality="pragmatic", thread_source="user")
    result = await thread.run("q", output_schema=Answer, effort="high", summary="concise")
    assert_type(result, TurnResult[Answer])
    assert_type(result.parsed, Answer)
    handle = await thread.turn("q", output_schema=Answer, effort="low", personality="friendly")
    assert_type(await handle.run(), TurnResult[Answer])
    untyped = await thread.run("q", effort="medium")
    assert_type(untyped, TurnResult)


def sync_face(codex: Codex) -> None:
    thread = codex.thread_start(personality="none", session_start_source="startup")
    result = thread.run("q", output_schema=Answer, effort="high")
    assert_type(result, TurnResult[Answer])
    assert_type(thread.turn("q", output_schema=Answer, summary="auto").run(), TurnResult[Answer])


def items(result: TurnResult[Answer]) -> list[str]:
    texts = []
    for item in result.items:
        assert_type(item, AnyThreadItem)
        if isinstance(item, AgentMessageThreadItem):
            texts.append(item.text)
        if item.type == "agentMessage":
            texts.append(item.text)
    return texts


async def streamed_items(codex: AsyncCodex) -> list[str]:
    thread = await codex.thread_start()
    texts = []
    async for ev in (await thread.turn("q")).stream():
        if ev.method == "item/completed" and ev.payload.item.type == "agentMessage":
            texts.append(ev.payload.item.text)
    return texts
