"""Attaching to a running runtime (``CodexConfig(url=...)``) over a Unix socket and WebSocket."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import shutil
import ssl
import subprocess
import threading
import time
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


def _signed_jwt(secret: bytes, claims: dict[str, object]) -> str:
    """An HS256 JWT, as an identity service in front of the runtime would issue it."""

    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = part(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{part(signature)}"


def test_signed_bearer_token_mode(
    serve: Callable[..., ServedRuntime], model: OfflineModel, tmp_path: Path
) -> None:
    secret = b"shared-secret-for-attach-tests-0123456789abcdef"
    secret_file = tmp_path / "ws-secret"
    secret_file.write_bytes(secret)
    served = serve(
        "ws",
        [
            "--ws-auth",
            "signed-bearer-token",
            "--ws-shared-secret-file",
            str(secret_file),
            "--ws-issuer",
            "tests",
            "--ws-audience",
            "codex",
        ],
    )
    now = int(time.time())
    claims = {"iss": "tests", "aud": "codex", "sub": "ci", "iat": now, "exp": now + 600}
    token = _signed_jwt(secret, claims)
    with Codex(CodexConfig(url=served.url, token=token)) as codex:
        model.enqueue(Reply.text("signed in"))
        assert codex.thread_start().run("hi").final_response == "signed in"
    forged = _signed_jwt(b"another-secret-0123456789abcdef-0123456789", claims)
    with pytest.raises(RuntimeAuthError, match="the token was refused") as refused:
        Codex(CodexConfig(url=served.url, token=forged))
    assert forged not in str(refused.value)
    expired = _signed_jwt(secret, {**claims, "iat": now - 7200, "exp": now - 3600})
    with pytest.raises(RuntimeAuthError, match="the token was refused"):
        Codex(CodexConfig(url=served.url, token=expired))


class _TlsProxy:
    """Terminates TLS on a loopback port and relays the bytes to a plain ``ws://`` runtime,
    as a reverse proxy in front of a shared runtime would."""

    def __init__(self, target_port: int, cert: Path, key: Path) -> None:
        self.target_port = target_port
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TlsProxy:
        self.thread.start()
        assert self.ready.wait(10), "the TLS proxy did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _run(self) -> None:
        async def start() -> None:
            server = await asyncio.start_server(self._relay, "127.0.0.1", 0, ssl=self.context)
            self.port = server.sockets[0].getsockname()[1]
            self.ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ssl.SSLError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(OSError, ssl.SSLError, RuntimeError):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


def _self_signed_cert(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def test_wss_through_a_tls_proxy(
    serve: Callable[..., ServedRuntime],
    model: OfflineModel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token_file = tmp_path / "ws-token"
    token_file.write_text(TOKEN)
    served = serve("ws", ["--ws-auth", "capability-token", "--ws-token-file", str(token_file)])
    cert, key = _self_signed_cert(tmp_path)
    with _TlsProxy(int(served.url.rsplit(":", 1)[1].strip("/")), cert, key) as proxy:
        url = f"wss://localhost:{proxy.port}"
        # a certificate nobody vouches for is refused, with the reason
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        with pytest.raises(TransportClosedError, match="certificate verify failed"):
            Codex(CodexConfig(url=url, token=TOKEN))
        # trusted through the standard variable: the default TLS context reads it
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        with Codex(CodexConfig(url=url, token=TOKEN)) as codex:
            model.enqueue(Reply.text("over TLS"))
            assert codex.thread_start().run("hi").final_response == "over TLS"


def test_runtime_entry_point_runs_the_bundled_binary() -> None:
    """``python -m openai_codex.runtime`` is how docs/attach.md starts the runtime."""
    import sys

    from openai_codex.runtime import bundled_codex_path

    path = subprocess.run(
        [sys.executable, "-m", "openai_codex.runtime", "--path"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    assert path == bundled_codex_path()
    assert Path(path).is_file()
    version = subprocess.run(
        [sys.executable, "-m", "openai_codex.runtime", "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert "0.163.0" in version
