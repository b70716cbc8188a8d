"""WebSocket and Unix-socket transports against the real runtime."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.abc import Process

from openai_codex_transport import (
    InvalidRequestError,
    JsonRpcConnection,
    TransportClosedError,
    UnixSocketTransport,
    WebSocketTransport,
    default_control_socket_path,
)

pytestmark = pytest.mark.anyio


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def app_server(
    argv: list[str], env: dict[str, str | None], ready: Callable[[str], bool]
) -> AsyncIterator[Process]:
    """Run the runtime as a listening server until the block ends.

    ``ready(stderr_so_far)`` says when it is listening (its stderr is drained all along).
    """
    child_env = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    process = await anyio.open_process(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_env,
        start_new_session=True,
    )
    assert process.stderr is not None
    stderr = process.stderr
    text = ""
    listening = anyio.Event()

    async def drain() -> None:
        nonlocal text
        async for chunk in stderr:
            text += chunk.decode("utf-8", "replace")
            if ready(text):
                listening.set()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(drain)
            try:
                with anyio.fail_after(30):
                    if ready(""):
                        pass
                    else:
                        await listening.wait()
                yield process
            finally:
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.terminate()
                    with anyio.move_on_after(10):
                        await process.wait()
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                tg.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await process.aclose()


async def wait_for_socket(path: Path) -> None:
    """Poll (bounded) until the runtime has created its socket."""
    with anyio.fail_after(30):
        # The file system offers no event to wait on: poll, bounded by the deadline above.
        while not path.exists():  # noqa: ASYNC110
            await anyio.sleep(0.02)


async def exercise(conn: JsonRpcConnection, init_params: dict[str, Any]) -> None:
    with anyio.fail_after(30):
        result = await conn.request("initialize", init_params)
        assert result["userAgent"].startswith("transport_tests/")
        await conn.notify("initialized")
        with pytest.raises(InvalidRequestError):
            await conn.request("thread/start", {"cwd": 7})
        results: list[Any] = []

        async def worker() -> None:
            for _ in range(5):
                results.append(await conn.request("model/list", {}))

        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(worker)
        assert len(results) == 100
        assert all(isinstance(r, dict) for r in results)
        async with conn.subscribe(["thread/started"]) as started:
            thread = await conn.request("thread/start", {"ephemeral": True})
            method, params = await started.__anext__()
        assert method == "thread/started"
        assert params["thread"]["id"] == thread["thread"]["id"]
        assert conn.pending_requests == 0


async def test_websocket(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    init_params: dict[str, Any],
) -> None:
    port = free_port()
    argv = [codex_binary[0], "app-server", "--listen", f"ws://127.0.0.1:{port}"]
    async with app_server(argv, codex_env, lambda err: "listening on:" in err):
        transport = await WebSocketTransport.connect(f"ws://127.0.0.1:{port}")
        notes: list[str] = []
        async with JsonRpcConnection(
            transport, on_notification=lambda m, p: notes.append(m)
        ) as conn:
            await exercise(conn, init_params)
        assert "thread/started" in notes
        assert conn.closed
        with pytest.raises(TransportClosedError, match="closed by the client"):
            await conn.request("model/list", {})


async def test_websocket_url_with_a_token_is_logged_redacted(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    init_params: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex_transport")
    port = free_port()
    argv = [codex_binary[0], "app-server", "--listen", f"ws://127.0.0.1:{port}"]
    async with app_server(argv, codex_env, lambda err: "listening on:" in err):
        transport = await WebSocketTransport.connect(f"ws://127.0.0.1:{port}/?token=ws-secret-6")
        assert str(transport) == f"WebSocket ws://127.0.0.1:{port}/?token=[REDACTED]"
        async with JsonRpcConnection(transport) as conn:
            await conn.request("initialize", init_params, timeout=30)
    records = [r.getMessage() for r in caplog.records]
    assert any(
        f"connected: WebSocket ws://127.0.0.1:{port}/?token=[REDACTED]" in r for r in records
    )
    assert not any("ws-secret-6" in r for r in records)


async def test_websocket_with_capability_token(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    codex_home: Path,
    init_params: dict[str, Any],
) -> None:
    token_file = codex_home / "ws-token"
    token = "capability-token-for-tests-0123456789"
    token_file.write_text(token)
    port = free_port()
    url = f"ws://127.0.0.1:{port}"
    argv = [
        codex_binary[0],
        "app-server",
        "--listen",
        url,
        "--ws-auth",
        "capability-token",
        "--ws-token-file",
        str(token_file),
    ]
    async with app_server(argv, codex_env, lambda err: "listening on:" in err):
        with pytest.raises(TransportClosedError, match="handshake rejected"):
            await WebSocketTransport.connect(url, token="wrong-token")
        with pytest.raises(TransportClosedError, match="handshake rejected"):
            await WebSocketTransport.connect(url)
        transport = await WebSocketTransport.connect(url, token=token)
        async with JsonRpcConnection(transport) as conn:
            result = await conn.request("initialize", init_params, timeout=30)
            assert result["userAgent"].startswith("transport_tests/")


async def test_websocket_server_going_away(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    init_params: dict[str, Any],
) -> None:
    port = free_port()
    argv = [codex_binary[0], "app-server", "--listen", f"ws://127.0.0.1:{port}"]
    async with app_server(argv, codex_env, lambda err: "listening on:" in err) as server:
        transport = await WebSocketTransport.connect(f"ws://127.0.0.1:{port}")
        closed: list[TransportClosedError] = []
        conn = JsonRpcConnection(transport, on_close=closed.append)
        await conn.request("initialize", init_params, timeout=30)
        server.kill()
        with anyio.fail_after(5):
            await conn.wait_closed()
        assert len(closed) == 1
        with pytest.raises(TransportClosedError):
            await conn.request("model/list", {})
        await conn.aclose()


async def test_connect_refused() -> None:
    with pytest.raises(TransportClosedError, match="could not connect"):
        await WebSocketTransport.connect(f"ws://127.0.0.1:{free_port()}")
    with pytest.raises(TransportClosedError, match="daemon"):
        await UnixSocketTransport.connect(codex_home="/nonexistent-codex-home")


async def test_unix_socket_path(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    codex_home: Path,
    init_params: dict[str, Any],
) -> None:
    path = codex_home / "app.sock"
    argv = [codex_binary[0], "app-server", "--listen", f"unix://{path}"]
    async with app_server(argv, codex_env, lambda err: True):
        await wait_for_socket(path)
        transport = await UnixSocketTransport.connect(path)
        async with JsonRpcConnection(transport) as conn:
            await exercise(conn, init_params)


async def test_unix_default_control_socket(
    codex_binary: tuple[str, str | None],
    codex_env: dict[str, str | None],
    codex_home: Path,
    init_params: dict[str, Any],
) -> None:
    """``--listen unix://`` serves the control socket the daemon uses, under CODEX_HOME."""
    argv = [codex_binary[0], "app-server", "--listen", "unix://"]
    async with app_server(argv, codex_env, lambda err: True):
        await wait_for_socket(default_control_socket_path(codex_home))
        transport = await UnixSocketTransport.connect(codex_home=codex_home)
        async with JsonRpcConnection(transport) as conn:
            result = await conn.request("initialize", init_params, timeout=30)
            assert result["codexHome"] == str(codex_home)
