"""Attaching to a running runtime (``CodexConfig(url=...)``) over a Unix socket and WebSocket."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from openai_codex import (
    AsyncCodex,
    Codex,
    CodexConfig,
    RuntimeAuthError,
    TransportClosedError,
)
from openai_codex.testing import OfflineModel, Reply

from ._served import ServedRuntime

TOKEN = "capability-token-for-attach-tests-0123456789"


def test_config_checks_at_the_call() -> None:
    with pytest.raises(ValueError, match="must start with"):
        CodexConfig(url="http://127.0.0.1:1")
    with pytest.raises(ValueError, match="cwd configure a spawned runtime"):
        CodexConfig(url="unix:///tmp/x.sock", cwd="/tmp")
    with pytest.raises(ValueError, match="set url too"):
        CodexConfig(token_env="X")
    with pytest.raises(ValueError, match="at most one"):
        CodexConfig(url="ws://127.0.0.1:1", token="a", token_file="b")
    config = CodexConfig(url="ws://127.0.0.1:1/?token=secret-in-url", token="secret-token-9")
    shown = repr(config)
    assert "secret-token-9" not in shown
    assert "secret-in-url" not in shown
    assert "url='ws://127.0.0.1:1/?token=[REDACTED]'" in shown
    assert "token='[REDACTED]'" in shown


def test_two_clients_share_one_runtime_over_a_unix_socket(
    serve: Callable[..., ServedRuntime], model: OfflineModel
) -> None:
    served = serve("unix")
    assert served.url.startswith("unix:///")
    model.enqueue(Reply.text("first answer"), Reply.text("second answer"))
    with Codex(CodexConfig(url=served.url)) as first, Codex(CodexConfig(url=served.url)) as second:
        thread = first.thread_start()
        assert thread.run("one").final_response == "first answer"
        # the other client sees the same runtime: the thread is there, and it can continue it
        read = second.thread_resume(thread.id)
        assert read.id == thread.id
        assert read.run("two").final_response == "second answer"
        first.close()
        # closing one client closed its connection, not the runtime
        assert second.models().data
    assert served.proc.poll() is None
    assert [r.last_user_text for r in model.requests] == ["one", "two"]


def test_refused_token_and_token_sources(
    serve: Callable[..., ServedRuntime],
    model: OfflineModel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token_file = tmp_path / "ws-token"
    token_file.write_text(TOKEN + "\n")
    served = serve("ws", ["--ws-auth", "capability-token", "--ws-token-file", str(token_file)])
    with pytest.raises(RuntimeAuthError, match="no token was given") as no_token:
        Codex(CodexConfig(url=served.url))
    assert isinstance(no_token.value, TransportClosedError)
    with pytest.raises(RuntimeAuthError, match="the token was refused") as wrong:
        Codex(CodexConfig(url=served.url, token="wrong-token-5"))
    assert "wrong-token-5" not in str(wrong.value)
    with Codex(CodexConfig(url=served.url, token_file=str(token_file))) as codex:
        assert codex.metadata.codex_home == model.env()["CODEX_HOME"]
    monkeypatch.setenv("CODEX_TEST_ATTACH_TOKEN", TOKEN)
    with Codex(CodexConfig(url=served.url, token_env="CODEX_TEST_ATTACH_TOKEN")) as codex:
        model.enqueue(Reply.text("over websocket"))
        assert codex.thread_start().run("hi").final_response == "over websocket"
    monkeypatch.delenv("CODEX_TEST_ATTACH_TOKEN")
    with pytest.raises(ValueError, match="CODEX_TEST_ATTACH_TOKEN"):
        Codex(CodexConfig(url=served.url, token_env="CODEX_TEST_ATTACH_TOKEN"))
    with pytest.raises(ValueError, match="cannot be read"):
        Codex(CodexConfig(url=served.url, token_file=str(tmp_path / "missing")))


def test_nothing_listening_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TransportClosedError, match="could not connect"):
        Codex(CodexConfig(url=f"unix://{tmp_path / 'nobody.sock'}"))


@pytest.mark.anyio
async def test_dropped_connection_is_not_replayed(
    serve: Callable[..., ServedRuntime], model: OfflineModel
) -> None:
    served = serve("unix")
    model.enqueue(Reply.text("before the drop"))
    with anyio.fail_after(60):
        async with AsyncCodex(CodexConfig(url=served.url)) as codex:
            thread = await codex.thread_start()
            assert (await thread.run("x")).final_response == "before the drop"
            served.stop()
            with pytest.raises(TransportClosedError, match=r"closed the connection|lost"):
                await codex.models()
            # a runtime listening again on the same socket is not reconnected to silently
            assert served.socket_path is not None
            served.socket_path.unlink(missing_ok=True)
            again = serve("unix", socket_path=served.socket_path)
            assert again.url == served.url
            with pytest.raises(TransportClosedError):
                await thread.run("after the drop")
            with pytest.raises(TransportClosedError):
                await codex.models()
        # a new client attaches to the new runtime
        async with AsyncCodex(CodexConfig(url=again.url)) as fresh:
            assert (await fresh.models()).data
    assert [r.last_user_text for r in model.requests] == ["x"]
