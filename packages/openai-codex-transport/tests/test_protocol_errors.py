"""Protocol violations by the peer raise :class:`ProtocolError`, not TransportClosedError."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest

from openai_codex_transport import (
    CodexError,
    JsonRpcConnection,
    ProtocolError,
    StdioTransport,
    TransportClosedError,
)

pytestmark = pytest.mark.anyio

FakeArgv = Callable[..., list[str]]


@pytest.mark.parametrize(
    ("method", "words"),
    [("no_result", "neither a result nor an error"), ("bad_error", "is not an object")],
)
async def test_malformed_response_is_a_protocol_error(
    fake_argv: FakeArgv, method: str, words: str
) -> None:
    transport = await StdioTransport.spawn(fake_argv())
    async with JsonRpcConnection(transport) as conn:
        with anyio.fail_after(10), pytest.raises(ProtocolError) as info:
            await conn.request(method)
        error = info.value
        assert not isinstance(error, TransportClosedError)
        assert isinstance(error, CodexError)
        assert words in str(error)
        assert repr(method) in str(error)
        assert isinstance(error.raw, dict)  # the offending response
        assert conn.pending_requests == 0
        assert not conn.closed
        assert await conn.request("echo", "fine", timeout=10) == "fine"


def test_protocol_error_is_importable_from_its_old_home() -> None:
    from openai_codex_transport._transport import ProtocolError as Old
    from openai_codex_transport.errors import ProtocolError as New

    assert Old is New is ProtocolError
    assert ProtocolError("m").raw is None
