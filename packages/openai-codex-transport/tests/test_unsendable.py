"""Values JSON cannot carry are refused at the call: nothing is sent, the connection lives on.

Before, the encoder let NaN and lone surrogates through; the runtime drops a line it cannot
parse and never answers, so the call hung (issue 11, item 1).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from openai_codex_transport import (
    JsonRpcConnection,
    StdioTransport,
    UnencodableValueError,
)

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]

UNSENDABLE: list[tuple[Any, str]] = [
    ({"config": {"x": float("nan")}}, "params.config.x"),
    ({"config": {"limit": float("inf")}}, "params.config.limit"),
    ({"name": "n\udfff"}, "params.name"),
    ({"input": [{"type": "text", "text": "bad \ud800"}]}, "params.input[0].text"),
    ({"config": {"k\udc00": 1}}, "params.config['k\\udc00']"),
]


@pytest.fixture
async def fake(fake_argv: FakeArgv) -> AsyncIterator[JsonRpcConnection]:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport) as conn:
        yield conn


@pytest.mark.parametrize(("params", "path"), UNSENDABLE)
async def test_refused_at_the_call_nothing_sent(
    fake: JsonRpcConnection, params: Any, path: str
) -> None:
    started = time.monotonic()
    with pytest.raises(UnencodableValueError) as info:
        await fake.request("echo", params)
    assert time.monotonic() - started < 0.5  # at once, not after a deadline
    assert info.value.path == path
    assert path in str(info.value)
    with pytest.raises(UnencodableValueError):
        await fake.notify("note", params)
    assert fake.pending_requests == 0
    # nothing reached the peer; the connection is usable
    assert await fake.request("seen", timeout=10) == ["seen"]
    assert await fake.request("echo", {"ok": 1}, timeout=10) == {"ok": 1}


async def test_unsendable_handler_result_is_answered_with_an_error(fake_argv: FakeArgv) -> None:
    async def on_request(method: str, params: Any) -> Any:
        return {"score": float("nan")}

    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport, on_request=on_request) as conn:
        result = await conn.request("ask", {"method": "item/tool/call"}, timeout=10)
        error = result["reply"]["error"]
        assert error["code"] == -32603
        assert "result.score" in error["message"]
        assert conn.stats.server_request_errors == 1


async def test_real_runtime_set_name_with_a_lone_surrogate(
    codex_argv: list[str],
    codex_env: dict[str, str | None],
    codex_binary: tuple[str, str | None],
    init_params: dict[str, Any],
) -> None:
    """The hang of issue 11 (``thread.set_name("n\\udfff")``): now refused at once, and the
    runtime, which never saw the line, keeps answering."""
    transport = await StdioTransport.spawn(
        codex_argv, env=codex_env, extra_path_dir=codex_binary[1]
    )
    async with JsonRpcConnection(transport, request_timeout=60) as conn:
        await conn.request("initialize", init_params)
        await conn.notify("initialized")
        thread = (await conn.request("thread/start", {}))["thread"]["id"]
        started = time.monotonic()
        with pytest.raises(UnencodableValueError, match=r"params\.name"):
            await conn.request("thread/name/set", {"threadId": thread, "name": "n\udfff"})
        with pytest.raises(UnencodableValueError, match=r"params\.config\.x"):
            await conn.request("thread/start", {"config": {"x": float("nan")}})
        assert time.monotonic() - started < 0.5
        with anyio.fail_after(30):
            await conn.request("thread/name/set", {"threadId": thread, "name": "n\u00e9"})
        assert conn.pending_requests == 0
