"""Host control end to end: the real runtime, the offline model, the SDK's handlers and tools."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import anyio
import pytest
from pydantic import BaseModel

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    Codex,
    Sandbox,
    ServerRequestHandlers,
    StructuredOutputError,
    tool,
)
from openai_codex._core.host.control import HANDLER_FAILED_METHOD
from openai_codex.handlers import ApprovalDecision
from openai_codex.testing import OfflineModel, Reply

USER_INPUT_FLAG = {"features.default_mode_request_user_input": True}


# How the scripted model runs a shell command. ``exec_command`` answers the model after
# ``yield_time_ms`` (runtime default 10 s) even if the command is still running ("Process
# running with session ID ..."); the turn then completes and the runtime is shut down
# before the command ran. The default is a login shell (``bash -lc``), which sources the
# host's profile: on a loaded machine that alone can take over 10 s (a pyenv-initialising
# ~/.bashrc took 3-5 s at load 20). So the commands run in a plain ``bash -c`` and the
# runtime waits for their exit up to its maximum (30 s); it answers as soon as they exit.
SHELL_ARGS: dict[str, Any] = {"login": False, "yield_time_ms": 30_000}


def escalated(command: str, call_id: str) -> Reply:
    return Reply.function_call(
        "exec_command",
        {
            "cmd": command,
            "sandbox_permissions": "require_escalated",
            "justification": "needed",
            **SHELL_ARGS,
        },
        call_id=call_id,
    )


def patch_adding(name: str, call_id: str) -> Reply:
    patch = f"*** Begin Patch\n*** Add File: {name}\n+hello\n*** End Patch\n"
    return Reply.function_call(
        "exec_command", {"cmd": f"apply_patch <<'EOF'\n{patch}EOF\n", **SHELL_ARGS}, call_id=call_id
    )


def output_for(model: OfflineModel, call_id: str) -> str:
    """The function_call_output the model received for ``call_id`` (latest request first)."""
    for request in reversed(model.response_requests):
        for item in request.function_call_outputs:
            if item.get("call_id") == call_id:
                output = item.get("output")
                return output if isinstance(output, str) else json.dumps(output)
    raise AssertionError(f"no function_call_output for {call_id}")


# --------------------------------------------------------------------------- approvals


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_command_escalation_reaches_the_handler(tmp_path: Path, decision: ApprovalDecision) -> None:
    seen: list[Any] = []

    def approve(params: Any) -> ApprovalDecision:
        seen.append(params)
        return decision

    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("done"))
        handlers = ServerRequestHandlers(command_approval=approve)
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            result = thread.run("make the file", timeout=60)
        assert result.final_response == "done"
        assert len(seen) == 1
        assert "touch made.txt" in (seen[0].command or "")
        assert seen[0].reason == "needed"
        assert seen[0].thread_id == thread.id
        if decision == "accept":  # first: on failure its message says why (e.g. still running)
            assert "exited with code 0" in output_for(model, "c1")
        assert (tmp_path / "made.txt").exists() is (decision == "accept")


def test_without_a_handler_escalation_is_declined(tmp_path: Path) -> None:
    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("done"))
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            thread.run("make the file", timeout=60)
        assert not (tmp_path / "made.txt").exists()
        assert "exited with code 0" not in output_for(model, "c1")


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_file_change_reaches_the_handler(tmp_path: Path, decision: ApprovalDecision) -> None:
    seen: list[Any] = []

    async def approve(params: Any) -> ApprovalDecision:
        seen.append(params)
        return decision

    with OfflineModel() as model:
        model.enqueue(patch_adding("hello.txt", "p1"), Reply.text("patched"))
        handlers = ServerRequestHandlers(file_change_approval=approve)
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            thread.run("add hello.txt", timeout=60)
        assert [p.item_id for p in seen] == ["p1"]
        assert (tmp_path / "hello.txt").exists() is (decision == "accept")
        if decision == "accept":
            assert "A hello.txt" in output_for(model, "p1")


@pytest.mark.anyio
async def test_user_input_answer_gets_back_into_the_turn(tmp_path: Path) -> None:
    questions = {
        "questions": [
            {
                "id": "colour",
                "header": "Colour",
                "question": "Favourite colour?",
                "options": [
                    {"label": "blue", "description": "b"},
                    {"label": "red", "description": "r"},
                ],
            }
        ]
    }

    async def answer(params: Any) -> dict[str, str]:
        assert params.questions[0].question == "Favourite colour?"
        return {params.questions[0].id: "red"}

    with OfflineModel() as model:
        model.enqueue(Reply.function_call("request_user_input", questions, call_id="u1"))
        model.enqueue(Reply.text("red it is"))
        async with AsyncCodex(
            model.codex_config(), handlers=ServerRequestHandlers(user_input=answer)
        ) as codex:
            thread = await codex.thread_start(cwd=str(tmp_path), config=USER_INPUT_FLAG)
            with anyio.fail_after(60):
                result = await thread.run("ask me")
        assert result.final_response == "red it is"
        assert json.loads(output_for(model, "u1")) == {"answers": {"colour": {"answers": ["red"]}}}


@pytest.mark.anyio
async def test_failing_handler_gives_safe_answer_on_the_stream_and_client_goes_on(
    tmp_path: Path,
) -> None:
    def boom(params: Any) -> ApprovalDecision:
        raise RuntimeError("approval service down")

    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("gave up"))
        model.enqueue(Reply.text("still here"))
        async with AsyncCodex(
            model.codex_config(), handlers=ServerRequestHandlers(command_approval=boom)
        ) as codex:
            thread = await codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            with anyio.fail_after(60):
                handle = await thread.turn("make the file")
                events = [event async for event in handle.stream()]
                failures = [e for e in events if e.method == HANDLER_FAILED_METHOD]
                assert len(failures) == 1
                assert failures[0].params["reason"] == "exception"
                assert "approval service down" in failures[0].params["message"]
                assert failures[0].params["answer"] == {"decision": "decline"}
                assert failures[0].params["turnId"] == handle.id
                second = await thread.run("are you alive?")
        assert not (tmp_path / "made.txt").exists()
        assert second.final_response == "still here"


def test_slow_sync_handler_times_out_to_decline(tmp_path: Path) -> None:
    release = threading.Event()

    def slow(params: Any) -> ApprovalDecision:
        release.wait(30)
        return "accept"

    try:
        with OfflineModel() as model:
            model.enqueue(escalated("touch made.txt", "c1"), Reply.text("timed out"))
            handlers = ServerRequestHandlers(command_approval=slow, timeout=0.5)
            with Codex(model.codex_config(), handlers=handlers) as codex:
                thread = codex.thread_start(
                    approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
                )
                result = thread.run("make the file", timeout=60)
            assert result.final_response == "timed out"
            assert not (tmp_path / "made.txt").exists()
    finally:
        release.set()


def test_per_thread_handlers_override_the_clients(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("a done"))
        model.enqueue(escalated("touch made.txt", "c2"), Reply.text("b done"))
        client = ServerRequestHandlers(command_approval=lambda p: "decline")
        with Codex(model.codex_config(), handlers=client) as codex:
            trusted = codex.thread_start(
                approval_mode=ApprovalMode.host,
                sandbox=Sandbox.read_only,
                cwd=str(tmp_path / "a"),
                handlers=ServerRequestHandlers(command_approval=lambda p: "accept"),
            )
            other = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path / "b")
            )
            trusted.run("make it", timeout=60)
            other.run("make it", timeout=60)
        assert (tmp_path / "a" / "made.txt").exists()
        assert not (tmp_path / "b" / "made.txt").exists()


# --------------------------------------------------------------------------- tools


class Point(BaseModel):
    x: int
    y: int


@tool
def distance(a: Point, b: Point) -> float:
    """Manhattan distance between two points."""
    return float(abs(a.x - b.x) + abs(a.y - b.y))


@tool
async def fails(reason: str) -> str:
    """Always fails."""
    raise RuntimeError(reason)


@pytest.mark.anyio
async def test_model_calls_a_python_tool_and_sees_its_output(tmp_path: Path) -> None:
    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call(
                "distance", {"a": {"x": 1, "y": 2}, "b": {"x": 4, "y": 6}}, call_id="t1"
            ),
            Reply.function_call("distance", {"a": {"x": 1}}, call_id="t2"),
            Reply.function_call("fails", {"reason": "disk full"}, call_id="t3"),
            Reply.text("7 apart"),
        )
        async with AsyncCodex(model.codex_config()) as codex:
            thread = await codex.thread_start(cwd=str(tmp_path), tools=[distance, fails])
            with anyio.fail_after(60):
                result = await thread.run("how far?")
        first = model.response_requests[0]
        assert {"distance", "fails"} <= set(first.tool_names)
        spec = next(t for t in first.body["tools"] if t.get("name") == "distance")
        assert spec["description"] == "Manhattan distance between two points."
        assert output_for(model, "t1") == "7.0"
        # the output is in the very next request the model receives
        assert [o["call_id"] for o in model.response_requests[1].function_call_outputs] == ["t1"]
        assert "Invalid arguments for tool 'distance'" in output_for(model, "t2")
        assert output_for(model, "t3") == "Tool 'fails' failed: RuntimeError: disk full"
        assert result.final_response == "7 apart"


def test_tools_registered_again_on_resume(tmp_path: Path) -> None:
    with OfflineModel() as model:
        config = model.codex_config()
        with Codex(config) as codex:
            first = codex.thread_start(cwd=str(tmp_path), tools=[distance])
            first.run("warm up", timeout=60)  # a thread needs a turn to be stored
            thread_id = first.id
        model.enqueue(
            Reply.function_call(
                "distance", {"a": {"x": 0, "y": 0}, "b": {"x": 2, "y": 2}}, call_id="r1"
            ),
            Reply.text("4"),
        )
        with Codex(config) as codex:
            thread = codex.thread_resume(thread_id, tools=[distance])
            assert thread.run("again", timeout=60).final_response == "4"
        assert output_for(model, "r1") == "4.0"


# --------------------------------------------------------------------------- structured output


class Verdict(BaseModel):
    ok: bool
    reasons: list[str]
    note: str | None = None


def test_structured_output_parsed_and_schema_strict(tmp_path: Path) -> None:
    with OfflineModel() as model:
        model.enqueue(
            Reply.text('{"ok": true, "reasons": ["tests pass"], "note": null}'),
            Reply.text("not json at all"),
            Reply.text('{"n": 1}'),
        )
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start(cwd=str(tmp_path))
            result = thread.run("judge", output_schema=Verdict, timeout=60)
            assert result.parsed == Verdict(ok=True, reasons=["tests pass"])
            with pytest.raises(StructuredOutputError) as info:
                thread.run("judge again", output_schema=Verdict, timeout=60)
            assert info.value.raw_text == "not json at all"
            as_dict = thread.run(
                "count",
                output_schema={"type": "object", "properties": {"n": {"type": "integer"}}},
                timeout=60,
            )
            assert as_dict.parsed == {"n": 1}
            plain = thread.run("no schema", timeout=60)
            assert plain.parsed is None
        fmt = model.response_requests[0].body["text"]["format"]
        assert fmt["strict"] is True
        assert fmt["schema"]["required"] == ["ok", "reasons", "note"]
        assert fmt["schema"]["additionalProperties"] is False
        assert model.response_requests[2].body["text"]["format"]["schema"]["required"] == ["n"]


# --------------------------------------------------------------------------- tracing


def test_trace_context_joins_the_runtime_trace(tmp_path: Path, span_exporter: Any) -> None:
    from opentelemetry import trace

    tracer = trace.get_tracer("test-app")
    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call(
                "distance", {"a": {"x": 0, "y": 0}, "b": {"x": 1, "y": 0}}, call_id="s1"
            ),
            Reply.text("1"),
        )
        runtime_tracing = (
            "otel.trace_exporter={otlp-http={endpoint="
            f'"http://127.0.0.1:{model.port}/v1/traces", protocol="json"}}}}'
        )
        config = model.codex_config(config_overrides=(runtime_tracing,))
        with tracer.start_as_current_span("app") as root, Codex(config) as codex:
            codex.thread_start(cwd=str(tmp_path), tools=[distance]).run("go", timeout=60)
        trace_id = format(root.get_span_context().trace_id, "032x")
        names = {s.name: s for s in span_exporter.get_finished_spans()}
        assert {"app", "codex.turn", "codex.tool_call"} <= set(names)
        turn_span = names["codex.turn"]
        assert format(turn_span.context.trace_id, "032x") == trace_id
        assert turn_span.attributes["codex.turn_status"] == "completed"
        assert names["codex.tool_call"].parent.span_id == turn_span.context.span_id
        # the runtime continued our trace: its model request carries our trace id
        assert trace_id in model.response_requests[0].headers.get("traceparent", "")


def test_debug_logs_carry_no_secrets(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    secret = "sk-test-do-not-log-0123456789"
    caplog.set_level(logging.DEBUG)
    with OfflineModel() as model, Codex(model.codex_config()) as codex:
        codex.login_api_key(secret)
        codex.thread_start(cwd=str(tmp_path)).run("hello", timeout=60)
    assert "turn/start" in caplog.text  # the wire is logged at debug level...
    assert secret not in caplog.text  # ...without the key


def test_sync_handler_may_call_back_into_the_client(tmp_path: Path) -> None:
    seen: list[str] = []
    holder: dict[str, Any] = {}

    def approve(params: Any) -> ApprovalDecision:
        # runs in a worker thread: calling the sync client from here must not deadlock
        stored = holder["codex"].thread_list(limit=5)
        seen.append(type(stored).__name__)
        return "accept"

    with OfflineModel() as model:
        model.enqueue(escalated("touch made.txt", "c1"), Reply.text("done"))
        with Codex(model.codex_config()) as codex:
            holder["codex"] = codex
            codex.handlers = ServerRequestHandlers(command_approval=approve)
            assert codex.handlers.command_approval is approve
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only, cwd=str(tmp_path)
            )
            turn = thread.turn("make the file")
            methods = [event.method for event in turn.stream()]
        assert seen == ["ThreadListResponse"]
        assert (tmp_path / "made.txt").exists()
        assert "item/commandExecution/requestApproval" not in methods  # requests are not events
        assert methods[-1] == "turn/completed"
        assert HANDLER_FAILED_METHOD not in methods


@pytest.mark.parametrize("grant", [True, False])
def test_permission_request_reaches_the_handler(tmp_path: Path, grant: bool) -> None:
    seen: list[Any] = []

    def decide(params: Any) -> Any:
        seen.append(params)
        if grant:
            return {"permissions": {"network": {"enabled": True}}, "scope": "turn"}
        return "decline"

    ask = {"reason": "need the network", "permissions": {"network": {"enabled": True}}}
    with OfflineModel() as model:
        model.enqueue(Reply.function_call("request_permissions", ask, call_id="r1"))
        model.enqueue(Reply.text("ok"))
        handlers = ServerRequestHandlers(permissions_approval=decide)
        with Codex(model.codex_config(), handlers=handlers) as codex:
            thread = codex.thread_start(
                approval_mode=ApprovalMode.host,
                sandbox=Sandbox.read_only,
                cwd=str(tmp_path),
                # the runtime offers request_permissions only with this feature
                config={"features.request_permissions_tool": True},
            )
            thread.run("get network", timeout=60)
        assert [p.reason for p in seen] == ["need the network"]
        granted = json.loads(output_for(model, "r1"))["permissions"]
        assert bool((granted.get("network") or {}).get("enabled")) is grant


NO_OTEL_SCRIPT = r"""
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError("opentelemetry is blocked in this test")

sys.meta_path.insert(0, Block())
from openai_codex import Codex, tool, tracing
from openai_codex.testing import OfflineModel, Reply

@tool
def echo(text: str) -> str:
    return text

with OfflineModel() as model:
    model.enqueue(Reply.function_call("echo", {"text": "hi"}, call_id="e1"), Reply.text("done"))
    with Codex(model.codex_config()) as codex:
        result = codex.thread_start(tools=[echo]).run("go", timeout=60)
    assert result.final_response == "done"
    assert model.response_requests[-1].function_call_outputs[-1]["output"] == "hi"
print("otel available:", tracing.otel_available())
"""


def test_everything_works_without_opentelemetry() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", NO_OTEL_SCRIPT],
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "otel available: False" in proc.stdout


# --------------------------------------------------------------------------- MCP elicitation

MCP_SERVER = Path(__file__).parent / "fixtures" / "mcp_elicit_server.py"


def namespaced_call(namespace: str, name: str, call_id: str) -> Reply:
    """A call of ``name`` in ``namespace`` (how the runtime exposes MCP tools)."""
    return Reply.function_call(name, {}, call_id=call_id, namespace=namespace)


@pytest.mark.parametrize("answer", ["handler", "default"])
def test_mcp_elicitation_reaches_the_handler(tmp_path: Path, answer: str) -> None:
    import sys

    seen: list[Any] = []

    def elicit(params: Any) -> Any:
        seen.append(params)
        return {"action": "accept", "content": {"name": "Ada"}}

    handlers = ServerRequestHandlers(mcp_elicitation=elicit) if answer == "handler" else None
    overrides = (
        f"mcp_servers.asker.command={json.dumps(sys.executable)}",
        f"mcp_servers.asker.args=[{json.dumps(str(MCP_SERVER))}]",
        # the runtime gives an MCP server 10 s to start by default; a Python interpreter
        # starting on a loaded machine can take longer (then the tool is missing)
        "mcp_servers.asker.startup_timeout_sec=30",
    )
    with OfflineModel() as model:
        model.enqueue(namespaced_call("mcp__asker", "ask_name", "m1"))
        model.enqueue(Reply.text("ok"))
        with Codex(model.codex_config(config_overrides=overrides), handlers=handlers) as codex:
            thread = codex.thread_start(approval_mode=ApprovalMode.host, cwd=str(tmp_path))
            thread.run("ask my name", timeout=60)
        output = output_for(model, "m1")
    try:
        parts = json.loads(output)
    except ValueError:
        parts = [{"text": output}]
    texts = [part.get("text", "") for part in parts if isinstance(part, dict)]
    if answer == "handler":
        # the runtime first asks to approve the MCP tool call itself (form with
        # _meta.codex_approval_kind "mcp_tool_call"), then relays the server's own form
        forms = [p.root for p in seen]  # a union of request modes: the form is in .root
        assert len(forms) == 2
        assert forms[0].field_meta["codex_approval_kind"] == "mcp_tool_call"
        assert forms[1].message == "What is your name?"
        assert forms[1].server_name == "asker"
        expected = {"action": "accept", "content": {"name": "Ada"}}
        assert f"elicitation result: {json.dumps(expected)}" in texts
    else:
        # fail closed: the MCP tool call itself is not approved, the server is never asked
        assert not any("elicitation result" in t for t in texts)
