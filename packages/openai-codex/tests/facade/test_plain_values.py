"""What the SDK hands out is Python: union values are their concrete classes (issue 25).

``result.items``, ``event.payload.item`` and history entries are ``AgentMessageThreadItem``,
``UserMessageThreadItem``, ...; ``.root`` still works (it returns the item) for code
written against the published SDK.
"""

from __future__ import annotations

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.testing import OfflineModel, Reply
from openai_codex_types import (
    AgentMessageThreadItem,
    ItemCompletedNotification,
    ThreadItem,
    UserMessageThreadItem,
)

WAIT = 60


@pytest.mark.anyio
async def test_items_events_and_history_are_concrete(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("hello there"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hi")
            completed = [
                e.payload
                async for e in handle.stream()
                if isinstance(e.payload, ItemCompletedNotification)
            ]
            result = await handle.run()
            history = [entry.item async for entry in thread.items()]
    assert [type(i) for i in result.items] == [UserMessageThreadItem, AgentMessageThreadItem]
    message = result.items[-1]
    assert isinstance(message, AgentMessageThreadItem)
    assert (message.type, message.text) == ("agentMessage", "hello there")
    assert message.root is message  # the published SDK's spelling keeps working
    assert [type(p.item) for p in completed] == [UserMessageThreadItem, AgentMessageThreadItem]
    assert [p.item.type for p in completed] == ["userMessage", "agentMessage"]
    assert not any(isinstance(i, ThreadItem) for i in [*result.items, *history])
    assert [i.type for i in history] == ["userMessage", "agentMessage"]


def test_sync_items_are_concrete(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("sync hello"))
    with Codex(model_config) as codex:
        result = codex.thread_start().run("hi", timeout=WAIT)
    printed = [(item.type, getattr(item, "text", None)) for item in result.items]
    assert printed == [("userMessage", None), ("agentMessage", "sync hello")]


def test_a_union_result_is_its_member() -> None:
    """The low-level client's results go through ``parse_result``: a union result (here
    ``account/login/start``'s) is the member, as its generated annotation ``Any...`` says."""
    from openai_codex._core.parsing import parse_result
    from openai_codex_types import ApiKeyLoginAccountResponse, ChatgptLoginAccountResponse

    api_key = parse_result("account/login/start", {"type": "apiKey"})
    assert type(api_key) is ApiKeyLoginAccountResponse
    chatgpt = parse_result(
        "account/login/start", {"type": "chatgpt", "loginId": "l1", "authUrl": "https://a.example"}
    )
    assert type(chatgpt) is ChatgptLoginAccountResponse
    assert (chatgpt.login_id, chatgpt.auth_url) == ("l1", "https://a.example")
