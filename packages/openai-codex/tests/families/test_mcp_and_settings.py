"""MCP status/tools/resources/reload, skills, hooks and config read/write, against the
real runtime with a small stdio MCP server (fixtures/mcp_tools_server.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, JsonRpcError
from openai_codex.events import McpServerStartupStatusUpdatedEvent
from openai_codex.testing import OfflineModel

from ._served import ServedRuntime

SERVER = Path(__file__).parent / "fixtures" / "mcp_tools_server.py"
MCP_OVERRIDES = (
    f"mcp_servers.adder.command={json.dumps(sys.executable)}",
    f"mcp_servers.adder.args=[{json.dumps(str(SERVER))}]",
    # a Python interpreter starting on a loaded machine can take a while
    "mcp_servers.adder.startup_timeout_sec=30",
)


def test_mcp_sync(model: OfflineModel, workdir: Path) -> None:
    config = model.codex_config(cwd=str(workdir), config_overrides=MCP_OVERRIDES)
    with Codex(config) as codex:
        thread = codex.thread_start()
        called = thread.call_mcp_tool("adder", "add", {"a": 2, "b": 40})
        assert called.structured_content == {"sum": 42}
        assert called.content[0]["text"] == "sum: 42"
        servers = {s.name: s for s in codex.mcp_servers(thread_id=thread.id)}
        assert set(servers) == {"adder"}
        adder = servers["adder"]
        assert list(adder.tools) == ["add"]
        assert adder.server_info is not None
        assert adder.server_info.version == "1.2.3"
        assert [r.uri for r in adder.resources] == ["memo://greeting"]
        read = codex.read_mcp_resource("adder", "memo://greeting", thread_id=thread.id)
        assert read.contents[0].root.text == "hello"  # type: ignore[union-attr]
        with pytest.raises(JsonRpcError):
            thread.call_mcp_tool("nobody", "add", {})
        with pytest.raises(TypeError, match="arguments must be a dict"):
            thread.call_mcp_tool("adder", "add", [1, 2])  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_mcp_startup_events_and_reload_async_over_a_socket(
    serve: Callable[..., ServedRuntime],
) -> None:
    extra = [arg for override in MCP_OVERRIDES for arg in ("-c", override)]
    served = serve("unix", extra)
    with anyio.fail_after(90):
        async with AsyncCodex(CodexConfig(url=served.url)) as codex:
            events = await codex.events("mcpServer/startupStatus/updated")
            thread = await codex.thread_start()
            states = []
            while "ready" not in states:
                ev = await events.next(timeout=60)
                assert isinstance(ev, McpServerStartupStatusUpdatedEvent)
                assert ev.payload.name == "adder"
                states.append(ev.payload.status.value)
            await events.close()
            assert states[0] == "starting"
            reloaded = await codex.reload_mcp_servers()
            assert reloaded.model_dump() == {}
            result = await thread.call_mcp_tool("adder", "add", {"a": 1, "b": 1})
            assert result.structured_content == {"sum": 2}


def test_skills_hooks_and_config_sync(model: OfflineModel, workdir: Path) -> None:
    home = model.codex_home()
    skill = home / "skills" / "greeter" / "SKILL.md"
    skill.parent.mkdir(parents=True)
    skill.write_text("---\nname: greeter\ndescription: Greets people politely.\n---\n\nSay hi.\n")
    with Codex(model.codex_config(cwd=str(workdir))) as codex:
        [entry] = codex.skills(cwds=[str(workdir)], force_reload=True)
        assert entry.cwd == str(workdir)
        by_name = {s.name: s for s in entry.skills}
        assert by_name["greeter"].description == "Greets people politely."
        assert by_name["greeter"].scope.value == "user"
        [hooks] = codex.hooks(cwds=[str(workdir)])
        assert hooks.cwd == str(workdir)
        assert hooks.hooks == []
        before = codex.config_read()
        assert before.config.model == "offline-model"
        written = codex.config_write("model_reasoning_effort", "high")
        assert written.status.value == "ok"
        after = codex.config_read(include_layers=True)
        assert after.config.model_reasoning_effort is not None
        assert after.config.model_reasoning_effort.value == "high"
        assert after.layers
        with pytest.raises(JsonRpcError):
            codex.config_write("model", "x", expected_version="not-the-version")
        batch = codex.config_write_batch(
            {"model_verbosity": "low", "tools.web_search": False},
            expected_version=written.version,
        )
        assert batch.status.value == "ok"
        text = (home / "config.toml").read_text()
        assert 'model_reasoning_effort = "high"' in text
        assert 'model_verbosity = "low"' in text
        with pytest.raises(ValueError, match="merge"):
            codex.config_write("model", "x", merge="append")  # type: ignore[arg-type]


def test_hooks_lists_the_configured_hooks(model: OfflineModel, workdir: Path) -> None:
    """``hooks()`` with hooks present: the runtime's ``hooks.json`` entries, typed."""
    import json

    from openai_codex_types import CommandHookMetadata

    home = model.codex_home()
    (home / "hooks.json").write_text(
        json.dumps(
            {
                "hooks": {
                    "PreToolUse": [
                        {
                            "matcher": "Bash",
                            "hooks": [{"type": "command", "command": "echo pre", "timeout": 5}],
                        }
                    ],
                    "Stop": [{"hooks": [{"type": "command", "command": "true"}]}],
                }
            }
        )
    )
    with Codex(model.codex_config(cwd=str(workdir))) as codex:
        [entry] = codex.hooks(cwds=[str(workdir)])
    assert entry.errors == []
    hooks = [hook.root for hook in entry.hooks]
    assert all(isinstance(hook, CommandHookMetadata) for hook in hooks)
    pre, stop = hooks
    assert str(pre.event_name.value) == "preToolUse"
    assert pre.matcher == "Bash"
    assert pre.command == "echo pre"
    assert pre.timeout_sec == 5
    assert str(pre.source_path) == str(home / "hooks.json")
    assert str(pre.trust_status.value) == "untrusted"  # a new hook waits for the user's trust
    assert str(stop.event_name.value) == "stop"
    assert stop.matcher is None
