"""The low-level client against the real runtime and the offline model, async and sync.

One representative method per family (thread, turn, model, account, config, command, fs,
skills, MCP status, review), plus ``request``, the notifications of no turn and the
published client's own names.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, InvalidRequestError, JsonRpcError
from openai_codex.async_client import AsyncCodexClient
from openai_codex.client import CodexClient
from openai_codex.testing import OfflineModel, Reply
from openai_codex_types import (
    CommandExecResponse,
    ConfigReadResponse,
    FsReadFileResponse,
    GetAccountResponse,
    ListMcpServerStatusResponse,
    ModelListResponse,
    ReviewStartResponse,
    SkillsListResponse,
    ThreadListResponse,
    ThreadReadResponse,
    ThreadStartParams,
    ThreadStartResponse,
    TurnStartResponse,
)

pytestmark = pytest.mark.anyio

WAIT = 60


async def test_async_families_on_codex_client(
    model: OfflineModel, model_config: CodexConfig, workdir: Path
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            c = codex.client
            assert codex.client is c  # one per client
            # model, account, config, MCP status, skills
            models = await c.model_list()
            assert isinstance(models, ModelListResponse)
            assert models.data
            assert isinstance(await c.account_read(), GetAccountResponse)
            config = await c.config_read(cwd=str(workdir))
            assert isinstance(config, ConfigReadResponse)
            assert isinstance(await c.mcp_server_status_list(), ListMcpServerStatusResponse)
            skills = await c.skills_list(cwds=[str(workdir)])
            assert isinstance(skills, SkillsListResponse)
            assert skills.data[0].cwd == str(workdir)
            # fs and command
            target = workdir / "note.txt"
            await c.fs_write_file(data_base64=base64.b64encode(b"hi").decode(), path=str(target))
            assert target.read_bytes() == b"hi"
            read = await c.fs_read_file(str(target))
            assert isinstance(read, FsReadFileResponse)
            assert base64.b64decode(read.data_base64) == b"hi"
            listing = await c.fs_read_directory(str(workdir))
            assert [e.file_name for e in listing.entries] == ["note.txt"]
            out = await c.command_exec(["cat", "note.txt"], cwd=str(workdir))
            assert isinstance(out, CommandExecResponse)
            assert (out.exit_code, out.stdout) == (0, "hi")
            # thread: params as a model, keywords over it
            started = await c.thread_start(ThreadStartParams(cwd=str(workdir)), ephemeral=False)
            assert isinstance(started, ThreadStartResponse)
            tid = started.thread.id
            await c.thread_name_set(tid, "first")
            await c.thread_set_name(tid, "renamed")  # the published name
            read_back = await c.thread_read(tid)
            assert isinstance(read_back, ThreadReadResponse)
            assert read_back.thread.name == "renamed"
            # turn: start, then wait for its completion
            model.enqueue(Reply.text("done"))
            turn = await c.turn_start(tid, "do it")
            assert isinstance(turn, TurnStartResponse)
            completed = await c.wait_for_turn_completed(turn.turn.id, timeout=WAIT)
            assert completed.turn.id == turn.turn.id
            assert completed.turn.status.value == "completed"
            assert model.requests[-1].last_user_text == "do it"
            # stream_text: the deltas of a text turn
            model.enqueue(Reply.text("one two", deltas=2))
            deltas = [d.delta async for d in c.stream_text(tid, "stream")]
            assert "".join(deltas) == "one two"
            # review (a turn on a review thread)
            model.enqueue(Reply.text("looks fine"))
            review = await c.review_start(tid, {"type": "uncommittedChanges"})
            assert isinstance(review, ReviewStartResponse)
            reviewed = await c.wait_for_turn_completed(review.turn.id, timeout=WAIT)
            assert reviewed.turn.status.value == "completed"


async def test_request_notify_and_notifications_of_no_turn(
    model_config: CodexConfig, workdir: Path
) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodexClient(model_config) as c:
            meta = await c.initialize()
            assert meta.runtime_version == "0.163.0"
            # a known method is validated as its result model; response_model wins
            assert isinstance(await c.request("model/list", {}), ModelListResponse)
            raw = await c.request("thread/start", {"cwd": str(workdir)})
            assert isinstance(raw, ThreadStartResponse)
            # the runtime's start-up notifications belong to no turn
            first = await c.next_notification(timeout=WAIT)
            assert first.method
            started = await c.thread_start({"cwd": str(workdir)})
            threads = []
            while started.thread.id not in threads:
                note = await c.next_notification(timeout=WAIT)
                if note.method == "thread/started":
                    threads.append(note.payload.thread.id)
            assert threads == [raw.thread.id, started.thread.id]  # in order, none lost
            with pytest.raises(TimeoutError):
                await c.next_notification(timeout=0.2)
            with pytest.raises(InvalidRequestError):
                await c.account_rate_limits_read()  # not logged in: the runtime refuses


async def test_bad_params_are_refused_at_the_call(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(loopback_config) as codex:
            with pytest.raises(ValueError, match="thread/start"):
                await codex.client.thread_start({"ephemeral": "not a bool"})
            with pytest.raises(TypeError, match="params must be"):
                await codex.client.thread_start(42)  # type: ignore[arg-type]
            # the client stays usable
            assert (await codex.client.model_list()).data


def test_sync_client_and_codex_client(
    model: OfflineModel, model_config: CodexConfig, workdir: Path
) -> None:
    with CodexClient(model_config) as c:
        assert c.initialize().runtime_version == "0.163.0"
        assert c.model_list(True).data
        started = c.thread_start({"cwd": str(workdir)})
        model.enqueue(Reply.text("sync one two", deltas=3))
        deltas = list(c.stream_text(started.thread.id, "hello"))
        assert "".join(d.delta for d in deltas) == "sync one two"
        out = c.command_exec(["echo", "x"], cwd=str(workdir))
        assert out.stdout == "x\n"
        assert c.next_notification(timeout=WAIT).method
    with Codex(model_config) as codex:
        thread = codex.thread_start()
        read = codex.client.thread_read(thread.id)
        assert read.thread.id == thread.id
        assert codex.client.mcp_server_status_list().data == []
        model.enqueue(Reply.text("via client"))
        turn = codex.client.turn_start(thread.id, [{"type": "text", "text": "hi"}])
        done = codex.client.wait_for_turn_completed(turn.turn.id, timeout=WAIT)
        assert done.turn.status.value == "completed"
        # the high-level face still works on the same connection
        model.enqueue(Reply.text("after"))
        assert thread.run("again").final_response == "after"


def test_sync_families(model: OfflineModel, model_config: CodexConfig, workdir: Path) -> None:
    with Codex(model_config) as codex:
        c = codex.client
        assert codex.client is c
        assert isinstance(c.account_read(), GetAccountResponse)
        assert isinstance(c.config_read(cwd=str(workdir)), ConfigReadResponse)
        assert isinstance(c.skills_list(cwds=[str(workdir)]), SkillsListResponse)
        (workdir / "f.txt").write_text("abc")
        meta = c.fs_get_metadata(str(workdir / "f.txt"))
        assert meta.is_file
        assert not meta.is_directory
        started = c.thread_start({"cwd": str(workdir)})
        model.enqueue(Reply.text("no findings"))
        review = c.review_start(started.thread.id, {"type": "uncommittedChanges"})
        done = c.wait_for_turn_completed(review.turn.id, timeout=WAIT)
        assert done.turn.status.value == "completed"
        with pytest.raises(ValueError, match="invalid params for fs/getMetadata"):
            c.fs_get_metadata(42)  # type: ignore[arg-type]


def test_published_approval_handler_answers_command_approvals(tmp_path: Path) -> None:
    seen: list[tuple[str, Any]] = []

    def approve(method: str, params: dict[str, Any] | None) -> dict[str, Any]:
        seen.append((method, params))
        return {"decision": "accept"}

    escalated = Reply.function_call(
        "exec_command",
        {
            "cmd": "touch made.txt",
            "sandbox_permissions": "require_escalated",
            "justification": "needed",
            "login": False,
        },
        call_id="c1",
    )
    with OfflineModel() as model:
        model.enqueue(escalated, Reply.text("done"))
        with CodexClient(model.codex_config(), approval_handler=approve) as c:
            thread = c.thread_start(
                {
                    "cwd": str(tmp_path),
                    "approvalPolicy": "on-request",
                    "approvalsReviewer": "user",
                    "sandbox": "read-only",
                }
            )
            turn = c.turn_start(thread.thread.id, "make the file")
            done = c.wait_for_turn_completed(turn.turn.id, timeout=WAIT)
    assert done.turn.status.value == "completed"
    assert [method for method, _ in seen] == ["item/commandExecution/requestApproval"]
    params = seen[0][1]
    assert params is not None
    assert "touch made.txt" in params["command"]
    assert params["threadId"] == thread.thread.id
    assert (tmp_path / "made.txt").exists()


async def test_notifications_end_when_the_client_closes(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(WAIT):
        c = AsyncCodexClient(loopback_config)
        await c.start()
        seen: list[str] = []
        started = anyio.Event()

        async def read() -> None:
            async for note in c.notifications():
                seen.append(note.method)
                if note.method == "thread/started":
                    started.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(read)
            await c.thread_start()
            # the runtime may send thread/started after its thread/start answer: closing
            # before it arrived would end the iterator without it (1 run in ~12)
            await started.wait()
            await c.close()  # the iterator ends instead of hanging
        assert "thread/started" in seen


async def test_request_any_method(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(WAIT):
        async with AsyncCodex(loopback_config) as codex:
            c = codex.client
            listed = await c.request("model/list", {"includeHidden": True})
            assert isinstance(listed, ModelListResponse)
            as_model = await c.request("thread/list", {}, response_model=ThreadListResponse)
            assert isinstance(as_model, ThreadListResponse)
            with pytest.raises(JsonRpcError):
                await c.request("no/such/method", {})
            # an unknown method: a short message naming the closest methods, not all ~170
            with pytest.raises(InvalidRequestError) as unknown:
                await c.request("thread/doesNotExist")
            shown = str(unknown.value)
            assert len(shown) < 300, shown
            assert "no method 'thread/doesNotExist'; closest: thread/" in shown
            assert "thread/start" in unknown.value.data["methods"]
            with pytest.raises(InvalidRequestError, match="closest: thread/start"):
                await c.request("thread/strat")
            retried = await c.request_with_retry_on_overload("model/list", None)
            assert isinstance(retried, ModelListResponse)


async def test_interrupt_after_the_turn_ended_returns_normally(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    model.enqueue(Reply.text("quick"))
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            handle = await thread.turn("be quick")
            # the turn ends on the runtime while the handle has read none of its events
            await codex.client.wait_for_turn_completed(handle.id, timeout=WAIT)
            await handle.interrupt()  # the runtime says "no active turn": not an error here
            result = await handle.run()
            assert result.final_response == "quick"
            assert result.status.value == "completed"
            # a real refusal still raises
            with pytest.raises(InvalidRequestError):
                await codex.client.turn_interrupt(thread.id, "no-such-turn")


async def test_interrupt_right_after_start_never_raises_whichever_way_the_race_goes(
    model: OfflineModel, model_config: CodexConfig
) -> None:
    # the offline model answers at once: the turn often ends before the interrupt lands,
    # and the runtime may answer "no active turn" before its turn/completed is sent
    with anyio.fail_after(WAIT):
        async with AsyncCodex(model_config) as codex:
            thread = await codex.thread_start()
            outcomes = set()
            for i in range(6):
                handle = await thread.turn(f"turn {i}")
                await handle.interrupt()
                result = await handle.run()
                outcomes.add(result.status.value)
            assert outcomes <= {"completed", "interrupted"}


def test_published_login_helpers_on_the_low_level_client(loopback_config: CodexConfig) -> None:
    from openai_codex.api import start_chatgpt_login

    with CodexClient(loopback_config) as c:
        handle = start_chatgpt_login(c)
        assert handle.auth_url.startswith("https://")
        handle.cancel()
        completed = handle.wait()
        assert completed.login_id == handle.login_id
        assert completed.success is False


async def test_published_async_login_helper(loopback_config: CodexConfig) -> None:
    from openai_codex.api import async_start_chatgpt_login

    with anyio.fail_after(WAIT):
        async with AsyncCodexClient(loopback_config) as c:
            handle = await async_start_chatgpt_login(c)
            await handle.cancel()
            completed = await handle.wait()
            assert completed.login_id == handle.login_id
            assert completed.success is False
            # the same through the generated methods and the client's login queue
            started = await c.account_login_start({"type": "chatgpt"})
            login_id = started.root.login_id
            await c.account_login_cancel(login_id)
            done = await c.wait_for_login_completed(login_id, timeout=WAIT)
            assert done.login_id == login_id
            assert done.success is False
