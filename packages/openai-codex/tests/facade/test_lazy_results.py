"""A turn's result keeps its items and usage as wire data until they are read: a plain
``run()`` builds no model and imports no pydantic; a read types them once."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import subprocess
import sys

import pytest

from openai_codex import ProtocolError, TurnResult
from openai_codex._core.turns.results import TurnCollector
from openai_codex_types import AgentMessageThreadItem, ThreadTokenUsage, TokenUsageBreakdown

_USAGE = {
    "last": {
        "totalTokens": 12,
        "inputTokens": 7,
        "cachedInputTokens": 0,
        "outputTokens": 5,
        "reasoningOutputTokens": 0,
    },
    "total": {
        "totalTokens": 30,
        "inputTokens": 20,
        "cachedInputTokens": 0,
        "outputTokens": 10,
        "reasoningOutputTokens": 0,
    },
    "modelContextWindow": None,
}


def _collected(*items: dict[str, object]) -> TurnResult:
    collector = TurnCollector("turn-1")
    for item in items:
        collector.feed("item/completed", {"threadId": "t", "turnId": "turn-1", "item": item})
    collector.feed("thread/tokenUsage/updated", {"tokenUsage": _USAGE})
    collector.feed("thread/tokenUsage/updated", {"tokenUsage": _USAGE})
    collector.feed("turn/completed", {"turn": {"id": "turn-1", "status": "completed"}})
    return collector.result()


def _message(text: str, item_id: str = "m1") -> dict[str, object]:
    return {"type": "agentMessage", "id": item_id, "text": text, "phase": "final_answer"}


def test_items_and_usage_are_typed_on_first_read_and_kept() -> None:
    result = _collected(_message("hello"))
    stored = result.__dict__
    assert stored["_lazy_items"].raw == [_message("hello")]  # still the wire data
    assert result.final_response == "hello"
    items = result.items
    assert isinstance(items[0], AgentMessageThreadItem)
    assert items[0].text == "hello"
    assert result.items is items  # built once
    assert isinstance(result.usage, ThreadTokenUsage)
    assert result.usage.total.total_tokens == 30
    assert isinstance(result.turn_usage, TokenUsageBreakdown)
    assert result.turn_usage.total_tokens == 24  # two model calls of 12
    assert result.thread_usage is result.usage.total
    assert result.error is None


def test_an_item_that_does_not_match_raises_protocol_error_when_read() -> None:
    result = _collected(_message("fine"), {"type": "agentMessage", "id": 5, "text": None})
    assert result.final_response == "fine"  # the rest of the result is there
    with pytest.raises(ProtocolError, match="a turn item does not match ThreadItem"):
        _ = result.items


def test_repr_counts_the_items_without_typing_them() -> None:
    result = _collected(_message("a"), _message("b", "m2"))
    assert "items=2" in repr(result)
    assert type(result.__dict__["_lazy_items"]).__name__ == "Wire"


@pytest.mark.parametrize("read_first", [False, True])
def test_copy_pickle_replace_and_equality_keep_working(read_first: bool) -> None:
    result = _collected(_message("hello"))
    if read_first:
        _ = result.items
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert again.items[0].text == "hello"
    assert copy.deepcopy(result) == result
    replaced = dataclasses.replace(result, parsed={"answer": 42})
    assert replaced.parsed == {"answer": 42}
    assert replaced.items == result.items
    assert replaced != result
    assert dataclasses.asdict(result)["items"][0].text == "hello"


def test_a_result_built_by_hand_keeps_what_it_was_given() -> None:
    items = [AgentMessageThreadItem(type="agentMessage", id="x", text="by hand")]
    result = TurnResult(
        id="t",
        status=_collected().status,
        error=None,
        started_at=None,
        completed_at=None,
        duration_ms=None,
        final_response="by hand",
        items=items,  # type: ignore[arg-type]
        usage=None,
    )
    assert result.items is items
    assert result.turn_usage is None
    with pytest.raises(TypeError, match="usage"):
        TurnResult("t", result.status, None, None, None, None, None, [])  # type: ignore[call-arg]


_PLAIN_RUN = """
import sys
from openai_codex import Codex
from openai_codex.testing import OfflineModel
with OfflineModel() as model, Codex(model.codex_config(cwd=sys.argv[1])) as codex:
    result = codex.thread_start().run("hi")
    assert result.final_response
    before = "pydantic" in sys.modules
    kinds = [type(item).__name__ for item in result.items]
    print(before, "pydantic" in sys.modules, ",".join(kinds))
"""


def test_a_plain_run_imports_no_pydantic_until_its_items_are_read(tmp_path: object) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PLAIN_RUN, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, after, kinds = proc.stdout.split()
    assert (before, after) == ("False", "True")
    assert "AgentMessageThreadItem" in kinds.split(",")


class _Answers:
    """Stands in for the runtime's answers to ``thread/turns/list`` (one page each)."""

    def __init__(self, *pages: object) -> None:
        self.pages = list(pages)
        self.asked = 0

    async def request(self, method: str, params: object) -> object:
        self.asked += 1
        return self.pages.pop(0)


@pytest.mark.anyio
async def test_history_entries_are_typed_as_they_are_reached() -> None:
    from openai_codex._core.threads.history import pages

    good = {"id": "turn-1", "items": [], "status": "completed"}
    answers = _Answers({"data": [good, {"id": 7}], "nextCursor": "c1"}, {"data": []})
    entries = pages(answers, "thread/turns/list", {}, "turns", "Turn")  # type: ignore[arg-type]
    first = await entries.__anext__()
    assert first.id == "turn-1"
    with pytest.raises(ProtocolError, match="an entry of the thread/turns/list result"):
        await entries.__anext__()
    assert answers.asked == 1  # the next page was never asked for


@pytest.mark.anyio
@pytest.mark.parametrize("page", [[], {"data": "x"}, {"data": [], "nextCursor": 5}])
async def test_a_page_that_is_not_a_page_is_a_protocol_error(page: object) -> None:
    from openai_codex._core.threads.history import pages

    entries = pages(_Answers(page), "thread/turns/list", {}, "turns", "Turn")  # type: ignore[arg-type]
    with pytest.raises(ProtocolError, match="thread/turns/list"):
        await entries.__anext__()
