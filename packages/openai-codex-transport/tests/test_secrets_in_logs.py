"""Secrets stay out of logs and error messages: argv ``--config`` values, env values, URLs."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import pytest

from openai_codex_transport import (
    JsonRpcConnection,
    StdioTransport,
    TransportClosedError,
    WebSocketTransport,
)

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


def all_log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


async def test_spawn_log_shows_neither_config_secrets_nor_env_values(
    fake_argv: FakeArgv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex_transport")
    argv = fake_argv("--config", 'model_providers.acme.api_key="argv-secret-1"')
    env = {"OPENAI_API_KEY": "env-secret-2", "ACME_TOKEN": "env-secret-3"}
    transport = await StdioTransport.spawn(argv, env=env)
    async with JsonRpcConnection(transport) as conn:
        # the secret reached the child through its environment, not its argv
        assert await conn.request("env", {"name": "ACME_TOKEN"}, timeout=10) == "env-secret-3"
    text = all_log_text(caplog)
    spawned = [r.getMessage() for r in caplog.records if "spawned pid" in r.getMessage()]
    assert len(spawned) == 1
    assert "model_providers.acme.api_key=[REDACTED]" in spawned[0]
    assert "env set: ACME_TOKEN, OPENAI_API_KEY; values not logged" in spawned[0]
    for secret in ("argv-secret-1", "env-secret-2"):
        assert secret not in text


async def test_env_value_type_error_does_not_show_the_value(fake_argv: FakeArgv) -> None:
    with pytest.raises(TypeError, match=r"env\['OPENAI_API_KEY'\] must be a str") as info:
        await StdioTransport.spawn(fake_argv(), env={"OPENAI_API_KEY": 12345678})  # type: ignore[dict-item]
    assert "12345678" not in str(info.value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_websocket_url_secrets_are_not_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_codex_transport")
    url = f"ws://alice:url-pass-5@127.0.0.1:{free_port()}/rpc?token=url-secret-4"
    with pytest.raises(TransportClosedError) as info:
        await WebSocketTransport.connect(url, open_timeout=10)
    message = str(info.value)
    assert "could not connect to ws://alice:[REDACTED]@127.0.0.1" in message
    assert "token=[REDACTED]" in message
    for secret in ("url-secret-4", "url-pass-5"):
        assert secret not in message
        assert secret not in all_log_text(caplog)
    with pytest.raises(ValueError, match=r"token=\[REDACTED\]") as bad:
        await WebSocketTransport.connect("http://h/?token=url-secret-4")
    assert "url-secret-4" not in str(bad.value)
