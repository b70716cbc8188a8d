"""Thread history: turns/items paging, revert, loaded list, unsubscribe, delete, metadata."""

from __future__ import annotations

import json
from collections.abc import Callable

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, JsonRpcError
from openai_codex.testing import OfflineModel, Reply

from ._served import ServedRuntime


def test_paging_and_revert_sync(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("one"), Reply.text("two"), Reply.text("three"), Reply.text("four"))
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        ids = [thread.run(word).id for word in ("first", "second", "third")]
        newest = [t.id for t in thread.turns(page_size=1)]
        assert newest == ids[::-1]
        assert [t.id for t in thread.turns(newest_first=False, page_size=2)] == ids
        first_only = list(thread.items(turn_id=ids[0]))
        assert {e.turn_id for e in first_only} == {ids[0]}
        kinds = [e.item.root.type for e in first_only]
        assert kinds == ["userMessage", "agentMessage"]
        every = list(thread.items(page_size=1))
        assert len(every) == 6
        backwards = [e.item.root.id for e in thread.items(newest_first=True)]
        assert backwards == [e.item.root.id for e in every][::-1]

        reverted = thread.revert(ids[1])
        assert reverted.thread.id == thread.id
        assert [t.id for t in thread.turns()] == [ids[0]]
        # the model no longer sees the reverted turns
        assert thread.run("after").final_response == "four"
        sent = json.dumps(model.requests[-1].input)
        assert "first" in sent
        assert "second" not in sent
        assert "third" not in sent


@pytest.mark.anyio
async def test_loaded_unsubscribe_delete_async_over_a_socket(
    serve: Callable[..., ServedRuntime], model: OfflineModel
) -> None:
    served = serve("unix")
    model.enqueue(Reply.text("kept"))
    with anyio.fail_after(60):
        async with AsyncCodex(CodexConfig(url=served.url)) as codex:
            thread = await codex.thread_start()
            await thread.run("hello")
            assert thread.id in await codex.loaded_threads()
            updated = await thread.update_metadata(git_branch="feature/x", git_sha="abc123")
            assert updated.thread.git_info is not None
            assert updated.thread.git_info.branch == "feature/x"
            cleared = await thread.update_metadata(git_sha="def456", clear_git_info=True)
            assert cleared.thread.git_info is not None
            assert (cleared.thread.git_info.branch, cleared.thread.git_info.sha) == (
                None,
                "def456",
            )
            status = await thread.unsubscribe()
            assert status.status.value == "unsubscribed"
            assert (await thread.unsubscribe()).status.value in ("notLoaded", "notSubscribed")
            other = await codex.thread_start()
            await other.set_name("to delete")
            await other.delete()
            with pytest.raises(JsonRpcError):
                await other.read()
            with pytest.raises(ValueError, match="page_size"):
                [t async for t in thread.turns(page_size=0)]


@pytest.mark.anyio
async def test_thread_search_finds_the_thread_by_its_text(model_config: CodexConfig) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(model_config) as codex:
            wanted = await codex.thread_start()
            await wanted.run("tell me about the purple elephant")
            other = await codex.thread_start()
            await other.run("something else entirely")
            found = await codex.thread_search("purple elephant")
            assert [hit.thread.id for hit in found.data] == [wanted.id]
            assert "purple elephant" in (found.data[0].snippet or "")
            assert (await codex.thread_search("zebra crossing")).data == []
            with pytest.raises(ValueError, match="search_term"):
                await codex.thread_search("")
