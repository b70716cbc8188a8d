"""Python hooks end to end: the real runtime, the offline model, the relay, asyncio/trio/sync."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest

from openai_codex import ApprovalMode, AsyncCodex, Codex, Sandbox, ServerRequestHandlers
from openai_codex.handlers import ApprovalDecision
from openai_codex.hooks import (
    AddContext,
    Allow,
    CompactInput,
    Continue,
    Deny,
    HookInput,
    Hooks,
    PermissionRequestInput,
    PostToolUseInput,
    PreToolUseInput,
    SessionEndInput,
    SessionStartInput,
    StopInput,
    StopTurn,
    UserPromptSubmitInput,
)
from openai_codex.hooks._config import hook_hash
from openai_codex.hooks._server import RELAY_PATH, HookServer
from openai_codex.testing import OfflineModel, Reply, Usage

WAIT = 60  # seconds any one turn may take on a loaded machine


def shell(command: str, call_id: str) -> Reply:
    # a plain `bash -c`, and the runtime waits for the command's exit (see tests/host)
    return Reply.shell(command, call_id=call_id, yield_time_ms=30_000)


def output_for(model: OfflineModel, call_id: str) -> str:
    """The function_call_output the model received for ``call_id``."""
    for request in reversed(model.response_requests):
        for item in request.function_call_outputs:
            if item.get("call_id") == call_id:
                output = item.get("output")
                return output if isinstance(output, str) else json.dumps(output)
    raise AssertionError(f"no function_call_output for {call_id}")


def relay_processes(directory: Path) -> list[int]:
    """The pids of relays (still) serving ``directory``."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if str(RELAY_PATH).encode() in argv and str(directory).encode() in argv:
            pids.append(int(entry))
    return pids


# ------------------------------------------------------------------------- pre_tool_use
@pytest.mark.anyio
async def test_pre_tool_use_denies_a_shell_command(model: OfflineModel, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hooks = Hooks()
    seen: list[PreToolUseInput] = []

    @hooks.pre_tool_use(matcher="Bash")
    async def guard(event: PreToolUseInput) -> Deny | None:
        await anyio.lowlevel.checkpoint()
        seen.append(event)
        return Deny("touching files is not allowed in this test")

    model.enqueue(shell(f"touch {marker}", "call_deny"), Reply.text("understood"))
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            turn = await thread.turn("make a file")
            events = [event async for event in turn.stream()]
    assert not marker.exists()  # the command never ran
    (event,) = seen
    assert (event.tool_name, event.command, event.tool_use_id) == (
        "Bash",
        f"touch {marker}",
        "call_deny",
    )
    assert event.thread_id == thread.id
    assert event.turn_id == turn.id
    assert "touching files is not allowed in this test" in output_for(model, "call_deny")
    # the runtime's hook events arrive typed, in the turn's stream
    completed = [e.payload.run for e in events if e.method == "hook/completed"]
    assert [(r.event_name.value, r.status.value) for r in completed] == [("preToolUse", "blocked")]
    assert completed[0].duration_ms is not None
    assert [e.method for e in events].index("hook/started") < [e.method for e in events].index(
        "hook/completed"
    )


def test_pre_tool_use_rewrites_and_allows_sync(model: OfflineModel, tmp_path: Path) -> None:
    hooks = Hooks()
    calls: list[str] = []

    @hooks.pre_tool_use(matcher="^Bash$")
    def rewrite(event: PreToolUseInput) -> Allow | None:  # a sync hook: runs in a worker thread
        calls.append(event.command or "")
        if event.command == "echo original":
            return Allow(updated_input={"command": "echo rewritten"})
        return None  # no opinion: the command runs as asked

    model.enqueue(
        shell("echo original", "call_rewrite"),
        shell("echo untouched", "call_allow"),
        Reply.text("done"),
    )
    with Codex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        result = codex.thread_start().run("echo twice", timeout=WAIT)
    assert result.final_response == "done"
    assert calls == ["echo original", "echo untouched"]
    rewritten = output_for(model, "call_rewrite")
    assert "rewritten" in rewritten
    assert "original" not in rewritten
    assert "untouched" in output_for(model, "call_allow")


@pytest.mark.anyio
async def test_pre_tool_use_sees_apply_patch(model: OfflineModel, tmp_path: Path) -> None:
    hooks = Hooks()
    names: list[str] = []

    # this runtime offers the offline model no `apply_patch` tool: the model sends the
    # patch through the shell, which the runtime names "Bash" to hooks
    @hooks.pre_tool_use(matcher="^(Bash|apply_patch)$")
    def no_edits(event: PreToolUseInput) -> Deny | None:
        names.append(event.tool_name)
        if event.patch is not None and "*** Add File: notes.txt" in event.patch:
            return Deny("this repository is read-only for the agent")
        return None

    model.enqueue(
        Reply.apply_patch(add={"notes.txt": "hello\n"}, call_id="call_patch"),
        Reply.text("ok"),
    )
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start(cwd=str(tmp_path), sandbox=Sandbox.workspace_write)
        with anyio.fail_after(WAIT):
            await thread.run("add notes")
    assert names == ["Bash"]
    assert not (tmp_path / "notes.txt").exists()
    assert "read-only for the agent" in output_for(model, "call_patch")


# ------------------------------------------------------------- post_tool_use, prompts
@pytest.mark.anyio
async def test_post_tool_use_sees_the_output_and_adds_context(model: OfflineModel) -> None:
    hooks = Hooks()
    outputs: list[Any] = []

    @hooks.post_tool_use(matcher="Bash")
    async def audit(event: PostToolUseInput) -> AddContext:
        outputs.append(event.tool_response)
        return AddContext("AUDIT-NOTE: the output was reviewed")

    model.enqueue(shell("echo hook-visible-output", "call_post"), Reply.text("seen"))
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            await thread.run("print something")
    assert len(outputs) == 1
    assert "hook-visible-output" in str(outputs[0])
    assert "AUDIT-NOTE: the output was reviewed" in json.dumps(model.response_requests[1].input)


@pytest.mark.anyio
async def test_user_prompt_submit_adds_context_the_model_receives(model: OfflineModel) -> None:
    hooks = Hooks()
    prompts: list[str] = []

    @hooks.user_prompt_submit
    def remind(event: UserPromptSubmitInput) -> AddContext:
        prompts.append(event.prompt)
        return AddContext("CONTEXT-7f3: the user prefers short answers")

    model.enqueue(Reply.text("short"))
    async with AsyncCodex(model.codex_config(fresh_home=True)) as codex:
        thread = await codex.thread_start(hooks=hooks)  # a thread's own hooks
        with anyio.fail_after(WAIT):
            await thread.run("explain hooks")
        other = await codex.thread_start()  # another thread: no hooks
        with anyio.fail_after(WAIT):
            await other.run("no hooks here")
    assert prompts == ["explain hooks"]
    assert "CONTEXT-7f3" in json.dumps(model.requests[0].input)
    assert "CONTEXT-7f3" not in json.dumps(model.requests[1].input)


@pytest.mark.anyio
async def test_user_prompt_submit_deny_blocks_the_turn(model: OfflineModel) -> None:
    hooks = Hooks()

    @hooks.user_prompt_submit
    def no_secrets(event: UserPromptSubmitInput) -> Deny | None:
        return Deny("prompts must not contain passwords") if "password" in event.prompt else None

    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            turn = await thread.turn("my password is hunter2")
            events = [event async for event in turn.stream()]
    assert model.requests == []  # the prompt never reached the model
    runs = [e.payload.run for e in events if e.method == "hook/completed"]
    assert [r.status.value for r in runs] == ["blocked"]


# ------------------------------------------------------------------- stop, session start
@pytest.mark.anyio
async def test_stop_hook_continues_once_then_lets_it_stop(model: OfflineModel) -> None:
    hooks = Hooks()
    seen: list[StopInput] = []

    @hooks.stop
    def once_more(event: StopInput) -> Continue | None:
        seen.append(event)
        return None if event.stop_hook_active else Continue("CHECK-AGAIN: run the tests too")

    model.enqueue(Reply.text("first answer"), Reply.text("second answer"))
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            result = await thread.run("fix it")
    assert [(s.stop_hook_active, s.last_assistant_message) for s in seen] == [
        (False, "first answer"),
        (True, "second answer"),
    ]
    assert len(model.requests) == 2
    assert "CHECK-AGAIN: run the tests too" in json.dumps(model.requests[1].input)
    assert result.final_response == "second answer"


def test_session_start_fires_on_start_and_resume(model: OfflineModel) -> None:
    hooks = Hooks()
    sources: list[str] = []

    @hooks.session_start
    def hello(event: SessionStartInput) -> AddContext:
        sources.append(event.source)
        return AddContext(f"SESSION-{event.source.upper()}")

    model.enqueue(Reply.text("one"), Reply.text("two"))
    config = model.codex_config()
    with Codex(config, hooks=hooks) as codex:
        thread = codex.thread_start()
        thread.run("first", timeout=WAIT)
    with Codex(config) as codex:
        codex.thread_resume(thread.id, hooks=hooks).run("second", timeout=WAIT)
    assert sources == ["startup", "resume"]
    assert "SESSION-STARTUP" in json.dumps(model.requests[0].input)
    assert "SESSION-RESUME" in json.dumps(model.requests[1].input)


# ------------------------------------------------------------------------- fail closed
@pytest.mark.anyio
@pytest.mark.parametrize("mistake", ["raises", "invalid"])
async def test_a_failing_hook_fails_closed(
    model: OfflineModel, tmp_path: Path, mistake: str, caplog: pytest.LogCaptureFixture
) -> None:
    marker = tmp_path / "ran"
    hooks = Hooks()

    @hooks.pre_tool_use
    def broken(event: PreToolUseInput) -> Any:
        if mistake == "raises":
            raise RuntimeError("token sk-proj-abcdefghijklmnopqrstuvwxyz0123456789 leaked")
        return "yes please"  # not a decision

    model.enqueue(shell(f"touch {marker}", "call_broken"), Reply.text("ok"))
    caplog.set_level("WARNING", logger="openai_codex.hooks")
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            await thread.run("make a file")
    assert not marker.exists()
    told = output_for(model, "call_broken")
    expected = "raised RuntimeError" if mistake == "raises" else "returned str, not a decision"
    assert f"blocked: the hook {broken.__qualname__} {expected}" in told
    assert "sk-proj" not in told  # the model is not told the exception's text
    assert "fail closed" in caplog.text
    assert "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789" not in caplog.text  # redacted


@pytest.mark.anyio
async def test_a_client_closed_mid_hook_leaves_no_relay(
    model: OfflineModel, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    hooks = Hooks()
    entered = anyio.Event()
    release = anyio.Event()  # never set: the hook is stuck until the client closes

    @hooks.pre_tool_use(timeout=60)
    async def stuck(event: PreToolUseInput) -> None:
        entered.set()
        await release.wait()

    model.enqueue(shell(f"touch {marker}", "call_stuck"), Reply.text("ok"))
    codex = AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks)
    async with codex:
        thread = await codex.thread_start()
        turn = await thread.turn("make a file")
        with anyio.fail_after(WAIT):
            await entered.wait()
        server = codex._hook_server
        assert isinstance(server, HookServer)
        directory = server.directory
        relays = relay_processes(directory)
        assert relays  # the relay is waiting for the answer
        exits = [os.pidfd_open(pid) for pid in relays]  # readable once the process ends
    try:
        # closed: the relay saw the connection go and exited; nothing was run
        with anyio.fail_after(20):
            for fd in exits:
                await anyio.wait_readable(fd)
    finally:
        for fd in exits:
            os.close(fd)
    assert relay_processes(directory) == []
    assert not directory.exists()
    assert not marker.exists()
    del turn


def test_a_runtime_relay_after_close_fails_closed(tmp_path: Path) -> None:
    """A relay started for a client that is gone answers a denial at once."""
    import subprocess
    import sys

    payload = {"session_id": "t", "hook_event_name": "PreToolUse", "tool_name": "Bash"}
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(RELAY_PATH),
            str(tmp_path / "closed"),
            "0",
            "30",
            "PreToolUse",
        ],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert json.loads(done.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"


# ------------------------------------------------------------------------------- trust
def test_trust_hash_matches_the_runtimes(model: OfflineModel, tmp_path: Path) -> None:
    """Our hash of a relay hook equals the one the runtime computes (``hooks/list``)."""
    config = model.codex_config(fresh_home=True)
    home = Path(config.env["CODEX_HOME"])  # type: ignore[index]
    command = f"python3 -I -S {RELAY_PATH} /tmp/x 0 31 PreToolUse"
    hooks_file = {
        "hooks": {
            "PreToolUse": [
                {
                    "matcher": "^Bash$",
                    "hooks": [{"type": "command", "command": command, "timeout": 33}],
                }
            ],
            "Stop": [{"hooks": [{"type": "command", "command": command, "timeout": 33}]}],
        }
    }
    (home / "hooks.json").write_text(json.dumps(hooks_file))
    with Codex(config) as codex:
        listed = {h.root.event_name.value: h.root for entry in codex.hooks() for h in entry.hooks}
    assert listed["preToolUse"].current_hash == hook_hash("pre_tool_use", "^Bash$", command, 33)
    assert listed["stop"].current_hash == hook_hash("stop", None, command, 33)
    # and a hook in a file stays untrusted: the SDK trusts only its own, per thread
    assert listed["preToolUse"].trust_status.value == "untrusted"


def test_sync_hooks_run_beside_the_sync_client(model: OfflineModel) -> None:
    """A sync hook runs in a worker thread: it may even call the sync client."""
    hooks = Hooks()
    seen: list[str] = []

    with Codex(model.codex_config(fresh_home=True)) as codex:

        @hooks.user_prompt_submit
        def look(event: UserPromptSubmitInput) -> None:
            assert threading.current_thread() is not threading.main_thread()
            seen.append(str(len(codex.loaded_threads())))

        model.enqueue(Reply.text("hi"))
        codex.thread_start(hooks=hooks).run("hello", timeout=WAIT)
    assert seen == ["1"]


# ------------------------------------------------------------------ permission_request
@pytest.mark.anyio
@pytest.mark.parametrize("verdict", ["allow", "deny"])
async def test_permission_request_answers_the_approval(
    model: OfflineModel, tmp_path: Path, verdict: str
) -> None:
    marker = tmp_path / "escalated"
    hooks = Hooks()
    asked: list[PermissionRequestInput] = []

    @hooks.permission_request(matcher="Bash")
    def decide(event: PermissionRequestInput) -> Allow | Deny:
        asked.append(event)
        return Allow() if verdict == "allow" else Deny("no escalations on Fridays")

    handler_calls: list[str] = []

    def approve(params: Any) -> ApprovalDecision:  # never reached: the hook answered
        handler_calls.append("called")
        return ApprovalDecision.accept

    model.enqueue(
        Reply.shell(f"touch {marker}", escalated=True, call_id="call_esc", yield_time_ms=30_000),
        Reply.text("ok"),
    )
    async with AsyncCodex(
        model.codex_config(fresh_home=True),
        hooks=hooks,
        handlers=ServerRequestHandlers(command_approval=approve),
    ) as codex:
        thread = await codex.thread_start(
            cwd=str(tmp_path), sandbox=Sandbox.read_only, approval_mode=ApprovalMode.host
        )
        with anyio.fail_after(WAIT):
            await thread.run("escalate")
    (event,) = asked
    assert event.command == f"touch {marker}"
    assert event.description == "The offline model asks to run this outside the sandbox."
    assert handler_calls == []
    assert marker.exists() is (verdict == "allow")
    if verdict == "deny":
        assert "no escalations on Fridays" in output_for(model, "call_esc")


# ----------------------------------------------------------------------- budget recipes
class TokenBudget:
    """The docs' recipe: once a thread used ``limit`` tokens, its next tool call does not
    run and the turn ends (usage arrives after each model reply's tool calls ran)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used: dict[str, int] = {}  # thread id -> total tokens so far
        self.refused: list[str] = []  # the tool calls it stopped

    async def track(self, codex: AsyncCodex) -> None:
        """Keep ``used`` current (run it in a task group beside the turns)."""
        async with await codex.events("thread/tokenUsage/updated") as events:
            async for event in events:
                payload = event.payload
                self.used[payload.thread_id] = payload.token_usage.total.total_tokens

    def install(self, hooks: Hooks) -> None:
        @hooks.pre_tool_use
        def stop_when_spent(event: PreToolUseInput) -> StopTurn | None:
            used = self.used.get(event.thread_id, 0)
            if used > self.limit:
                self.refused.append(event.tool_use_id)
                return StopTurn(f"token budget spent: {used} of {self.limit} tokens")
            return None


def allow_list(hooks: Hooks, *programs: str) -> None:
    """The docs' recipe: refuse shell commands whose program is not in ``programs``."""
    import shlex

    @hooks.pre_tool_use(matcher="^Bash$")
    def only_known_programs(event: PreToolUseInput) -> Deny | None:
        try:
            words = shlex.split(event.command or "")
        except ValueError:
            return Deny("the command could not be parsed")
        if not words or words[0] not in programs:
            return Deny(f"only these programs may run: {', '.join(programs)}")
        return None


@pytest.mark.anyio
async def test_budget_recipes(model: OfflineModel, tmp_path: Path) -> None:
    marker = tmp_path / "touched"
    hooks = Hooks()
    budget = TokenBudget(limit=100)
    budget.install(hooks)
    allow_list(hooks, "echo", "ls")
    model.enqueue(
        shell(f"touch {marker}", "call_refused"),  # not on the allow-list
        # allowed; this reply's usage spends the budget
        Reply.shell("echo big", call_id="call_big", yield_time_ms=30_000, usage=Usage(500, 20)),
        shell(f"touch {marker}.after", "call_after"),  # refused: the budget is spent
        # should the runtime ask the model again (with the reason as the call's result)
        # before the SDK's interrupt lands, this reply waits for that interrupt
        Reply.hang(),
    )
    async with (
        AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex,
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(budget.track, codex)
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            turn = await thread.turn("work")
            events = [event async for event in turn.stream()]
        tg.cancel_scope.cancel()
    assert not marker.exists()
    assert "only these programs may run: echo, ls" in output_for(model, "call_refused")
    assert budget.used[thread.id] > 100
    assert "big" in output_for(model, "call_big")
    assert not Path(f"{marker}.after").exists()
    assert budget.refused == ["call_after"]
    assert events[-1].method == "turn/completed"
    assert events[-1].payload.turn.status.value == "interrupted"


# ------------------------------------------------------------- observing: compact, end
def test_compaction_and_session_end_hooks(model: OfflineModel) -> None:
    hooks = Hooks()
    seen: list[tuple[str, str]] = []

    @hooks.pre_compact
    def before(event: CompactInput) -> None:
        seen.append(("pre_compact", event.trigger))

    @hooks.post_compact(matcher="manual")
    def after(event: CompactInput) -> None:
        seen.append(("post_compact", event.trigger))

    @hooks.session_end
    def ended(event: SessionEndInput) -> None:
        seen.append(("session_end", event.thread_id))

    model.enqueue(Reply.text("hello"))
    with Codex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = codex.thread_start()
        thread.run("hi", timeout=WAIT)
        with codex.events("turn/completed", thread_id=thread.id) as events:
            thread.compact()
            events.next(timeout=WAIT)  # the compaction's turn
    # the session ends when the client closes the runtime; the hook ran before that
    assert seen == [
        ("pre_compact", "manual"),
        ("post_compact", "manual"),
        ("session_end", thread.id),
    ]


@pytest.mark.anyio
async def test_interrupt_hook_sees_the_interrupted_turn(model: OfflineModel) -> None:
    hooks = Hooks()
    seen: list[HookInput] = []

    @hooks.interrupt
    async def interrupted(event: HookInput) -> None:
        seen.append(event)

    model.enqueue(Reply.hang())
    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        thread = await codex.thread_start()
        with anyio.fail_after(WAIT):
            turn = await thread.turn("wait for it")
            await anyio.to_thread.run_sync(model.wait_for_requests, 1, WAIT)
            await turn.interrupt()
            events = [event async for event in turn.stream()]
    assert [(e.thread_id, e.turn_id, e.raw["hook_event_name"]) for e in seen] == [
        (thread.id, turn.id, "Interrupt")
    ]
    assert events[-1].payload.turn.status.value == "interrupted"


@pytest.mark.anyio
async def test_threads_opened_concurrently_share_one_hook_server(model: OfflineModel) -> None:
    hooks = Hooks()
    prompts: list[str] = []

    @hooks.user_prompt_submit
    async def seen(event: UserPromptSubmitInput) -> None:
        prompts.append(event.prompt)

    async with AsyncCodex(model.codex_config(fresh_home=True), hooks=hooks) as codex:
        threads: list[Any] = []

        async def open_and_run(n: int) -> None:
            thread = await codex.thread_start()
            threads.append(thread)
            await thread.run(f"prompt {n}")

        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as tg:
                for n in range(3):
                    tg.start_soon(open_and_run, n)
        server = codex._hook_server
        assert isinstance(server, HookServer)
    assert sorted(prompts) == ["prompt 0", "prompt 1", "prompt 2"]
    assert server.calls == 3
