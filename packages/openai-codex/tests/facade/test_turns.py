"""Real turns through the real runtime against the offline model (asyncio and trio)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import (
    AsyncCodex,
    AsyncTurnHandle,
    CodexConfig,
    ExternalMessage,
    Sandbox,
    TurnFailedError,
    TurnTimeoutError,
)
from openai_codex.testing import OfflineModel, Reply, Usage

pytestmark = pytest.mark.anyio

WAIT = 60


async def test_run_collects_the_result(model: OfflineModel, model_config: CodexConfig) -> None:
    model.enqueue(Reply.text("The answer is 42.", deltas=4, usage=Usage(input_tokens=7)))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            result = await thread.run("What is the answer?")
    assert result.final_response == "The answer is 42."
    assert str(getattr(result.status, "value", result.status)) == "completed"
    assert result.error is None
    assert result.started_at is not None
    assert result.completed_at is not None
    assert result.completed_at >= result.started_at
    assert result.duration_ms is not None
    types = [getattr(item.root, "type", None) for item in result.items]
    assert types == ["userMessage", "agentMessage"]
    assert result.usage is not None
    assert result.usage.last.input_tokens == 7
    assert model.requests[0].last_user_text == "What is the answer?"


async def test_stream_yields_this_turns_events_in_order(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("one two three", deltas=3))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("stream please")
            events = [event async for event in handle.stream()]
            # the stream is finished; run() returns the same turn's result
            result = await handle.run()
    methods = [e.method for e in events]
    assert methods[0] == "turn/started"
    assert methods[-1] == "turn/completed"
    deltas = [e.params["delta"] for e in events if e.method == "item/agentMessage/delta"]
    assert "".join(deltas) == "one two three"
    assert len(deltas) == 3
    assert all(
        e.params.get("turnId", e.params.get("turn", {}).get("id")) == handle.id for e in events
    )
    completed = events[-1].payload
    assert completed.turn.id == handle.id
    assert result.final_response == "one two three"


async def test_many_turns_on_many_threads_each_see_only_their_own(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    threads_n, turns_n = 6, 3
    seen: dict[str, list[str]] = {}
    with anyio.fail_after(WAIT * 2):
        async with AsyncCodex(model_config) as codex:

            async def worker(n: int) -> None:
                thread = await codex.thread_start()
                for t in range(turns_n):
                    prompt = f"thread {n} turn {t}"
                    handle = await thread.turn(prompt)
                    texts = []
                    async for event in handle.stream():
                        tid = event.params.get("turnId") or event.params["turn"]["id"]
                        assert tid == handle.id
                        if event.method == "item/agentMessage/delta":
                            texts.append(event.params["delta"])
                    result = await handle.run()
                    assert result.final_response == f"Offline model reply to: {prompt}"
                    assert "".join(texts) == result.final_response
                    seen.setdefault(thread.id, []).append(handle.id)

            async with anyio.create_task_group() as tg:
                for n in range(threads_n):
                    tg.start_soon(worker, n)
    assert len(seen) == threads_n
    assert all(len(turns) == turns_n for turns in seen.values())


async def test_failed_turn_raises_with_details_and_partial_result(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.error(500, "upstream exploded"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("fail please")
            errors = [e async for e in handle.stream() if e.method == "error"]
            with pytest.raises(TurnFailedError) as caught:
                await handle.run()
            # the client keeps working after a failed turn
            model.enqueue(Reply.text("recovered"))
            assert (await thread.run("again")).final_response == "recovered"
    assert errors, "error notifications reach stream() consumers"
    assert errors[0].params["willRetry"] is False
    err = caught.value
    assert isinstance(err, RuntimeError)
    assert err.result is not None
    assert err.result.id == handle.id
    assert str(getattr(err.result.status, "value", err.result.status)) == "failed"
    assert err.error is not None
    assert err.codex_error_info is not None
    assert "internalServerError" in repr(err.codex_error_info) or "internal" in repr(
        err.codex_error_info
    )
    assert len(err.result.items) == 1  # the user message


async def test_timeout_interrupts_and_raises_with_partial_result(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang(partial_text="thinking..."))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            with pytest.raises(TurnTimeoutError) as caught:
                await thread.run("take forever", timeout=1.5)
            partial = caught.value.result
            assert partial is not None
            assert str(getattr(partial.status, "value", partial.status)) == "interrupted"
            # the thread is idle again: a new turn runs
            model.enqueue(Reply.text("next"))
            assert (await thread.run("next one")).final_response == "next"


async def _watch(codex: AsyncCodex, thread_id: str, turn_id: str) -> AsyncTurnHandle:
    return AsyncTurnHandle(codex._session, thread_id, turn_id)


async def test_cancelling_the_awaiting_task_interrupts_the_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hang")
            watcher = await _watch(codex, thread.id, handle.id)
            with anyio.move_on_after(1):
                await handle.run()
            # the watcher sees the turn end as interrupted, without anyone interrupting it
            result = await watcher.run()
    assert str(getattr(result.status, "value", result.status)) == "interrupted"


async def test_leaving_the_turn_context_interrupts(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            async with await thread.turn("hang") as handle:
                watcher = await _watch(codex, thread.id, handle.id)
                async for event in handle.stream():
                    if event.method == "turn/started":
                        break
            assert handle.done
            result = await watcher.run()
    assert str(getattr(result.status, "value", result.status)) == "interrupted"


async def test_turn_on_an_active_turn_joins_it(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            first = await thread.turn("first input")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            second = await thread.turn("second input", join=True)
            assert second.id == first.id
            results = await _both(first, second)
    assert results[0].id == results[1].id == first.id
    assert results[1].final_response == results[0].final_response
    # the joining handle's result is the whole turn's, not just what followed the join
    assert [i.root.id for i in results[1].items] == [i.root.id for i in results[0].items]
    user_texts = [
        i.root.content[0].root.text for i in results[0].items if i.root.type == "userMessage"
    ]
    assert user_texts == ["first input", "second input"]
    assert any("second input" in (r.last_user_text or "") for r in model.requests)


async def _both(a: AsyncTurnHandle, b: AsyncTurnHandle) -> list[Any]:
    out: dict[int, Any] = {}

    async def one(i: int, h: AsyncTurnHandle) -> None:
        out[i] = await h.run()

    async with anyio.create_task_group() as tg:
        tg.start_soon(one, 0, a)
        tg.start_soon(one, 1, b)
    return [out[0], out[1]]


async def test_steer_appends_to_the_active_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("start")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            steered = await handle.steer("focus on tests")
            assert steered.turn_id == handle.id
            result = await handle.run()
    assert result.final_response == "Offline model reply to: focus on tests"


async def test_interrupt_returns_normally_with_interrupted_status(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.hang())
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("hang")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1)
            await handle.interrupt()
            result = await handle.run()
    assert str(getattr(result.status, "value", result.status)) == "interrupted"


async def test_output_schema_and_turn_options_reach_the_model(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    model.enqueue(Reply.text('{"answer": "yes"}'))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            result = await thread.run("json please", output_schema=schema, model="other-model")
    assert result.final_response == '{"answer": "yes"}'
    body = model.requests[0].body
    assert body["model"] == "other-model"
    assert "answer" in json.dumps(body.get("text", {}))


async def test_external_message_is_sent_as_tool_output(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            await thread.run(ExternalMessage("ticket_bot", "TICKET-7 is open"))
    assert "TICKET-7 is open" in json.dumps(model.requests[0].body)


async def test_turn_level_workspace_write_keeps_the_threads_roots(
    model: OfflineModel, model_config: CodexConfig, tmp_path: Path
) -> None:
    extra_root = tmp_path / "extra-root"
    extra_root.mkdir()
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start(
                sandbox=Sandbox.workspace_write,
                config={
                    "sandbox_workspace_write": {
                        "writable_roots": [str(extra_root)],
                        "network_access": True,
                    }
                },
            )
            await thread.run("read only now", sandbox=Sandbox.read_only)
            await thread.run("write again", sandbox=Sandbox.workspace_write)
            resumed = await codex._request("thread/resume", {"threadId": thread.id})
    policy = resumed["sandbox"]
    assert policy["type"] == "workspaceWrite"
    assert str(extra_root) in policy["writableRoots"]
    assert policy["networkAccess"] is True


async def test_retried_errors_reach_the_stream_and_the_turn_still_completes(
    model: OfflineModel, workdir: Path
) -> None:
    from openai_codex.testing._config import PROVIDER_ID

    model.enqueue(Reply.cut_short(partial_text="par"), Reply.text("second try worked"))
    config = model.codex_config(
        cwd=str(workdir),
        config_overrides=(f"model_providers.{PROVIDER_ID}.stream_max_retries=2",),
    )
    with anyio.fail_after(WAIT):
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("retry me")
            errors = [e async for e in handle.stream() if e.method == "error"]
            result = await handle.run()
    assert errors
    assert errors[0].params["willRetry"] is True
    assert errors[0].payload.will_retry is True
    assert result.final_response == "second try worked"


async def test_turn_workspace_write_on_a_read_only_thread_uses_the_configured_roots(
    model: OfflineModel, workdir: Path, tmp_path: Path
) -> None:
    disk_root = tmp_path / "disk-root"
    disk_root.mkdir()
    home = model.codex_home(tmp_path / "home")
    with (home / "config.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[sandbox_workspace_write]\nwritable_roots = ["{disk_root}"]\n')
    config = CodexConfig(env={"CODEX_HOME": str(home)}, cwd=str(workdir))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start(
                sandbox=Sandbox.read_only,
                config={"sandbox_workspace_write.network_access": True},
            )
            await thread.run("write now", sandbox=Sandbox.workspace_write)
            resumed = await codex._request("thread/resume", {"threadId": thread.id})
    policy = resumed["sandbox"]
    assert policy["type"] == "workspaceWrite"
    assert str(disk_root) in policy["writableRoots"]
    assert policy["networkAccess"] is True


async def test_compact_starts_a_compaction_turn(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            await thread.run("hello")
            compacted = anyio.Event()

            def watch(method: str, params: dict[str, Any]) -> None:
                if method == "turn/completed" and params.get("threadId") == thread.id:
                    compacted.set()

            remove = codex._session.router.add_listener(watch)
            response = await thread.compact()
            assert type(response).__name__ == "ThreadCompactStartResponse"
            await compacted.wait()  # a compaction turn cannot be joined: wait for its end
            remove()
            assert (await thread.run("after")).final_response == "Offline model reply to: after"
    assert any("COMPACTION" in (r.last_user_text or "") for r in model.requests)


def _slow_turn_start_responses(config: CodexConfig) -> AsyncCodex:
    """A client whose session holds each turn/start response back until the turn's first
    events have arrived."""
    codex = AsyncCodex(config)
    session = codex._session
    send = session.request

    async def request(method: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        result = await send(method, params, **kw)
        if method == "turn/start":
            await anyio.sleep(0.5)  # the runtime streams meanwhile; nothing is registered yet
        return result

    session.request = request  # type: ignore[method-assign]
    return codex


async def test_events_that_arrive_before_the_turn_start_response_are_not_lost(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("early bird", deltas=3))
    with anyio.fail_after(WAIT):
        async with _slow_turn_start_responses(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("go")
            methods = [event.method async for event in handle.stream()]
            result = await handle.run()
    assert methods[0] == "turn/started"
    assert methods.count("item/agentMessage/delta") == 3
    assert methods[-1] == "turn/completed"
    assert result.final_response == "early bird"
