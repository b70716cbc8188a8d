"""No secret in any log record (issue 27).

The root logger at DEBUG (as an application that turns everything on), a fake secret in
every input: a ``@tool`` that raises with it, a tool called with it as an invalid
argument, a handler that raises with it, a turn whose provider error echoes it, and an
attach over WebSocket whose token it is. No record may carry it: not its message, not its
arguments, not its formatted traceback; nor the ``handlerFailed`` event, nor
``str(TurnFailedError)``.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    CodexConfig,
    ServerRequestHandlers,
    TurnFailedError,
    tool,
)
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.anyio

#: a fake key: the shape of a real one, so redaction knows it for a secret
SECRET = "sk-test-FAKE0SECRET0do0not0log0123456789"
#: a secret without a known shape: only the names of tool arguments are logged, never values
PLAIN = "correct-horse-battery-staple-7"


@tool
def leaky(path: str) -> str:
    """Reads a file (and fails, naming the key it used)."""
    raise RuntimeError(f"could not read {path}: the server refused api_key={SECRET} ({SECRET})")


@tool
def needs_int(count: int) -> str:
    """Takes an int."""
    return str(count)


def _all_text(record: logging.LogRecord) -> str:
    """Everything a handler could print of a record."""
    parts = [str(record.msg), repr(record.args), record.getMessage()]
    formatter = logging.Formatter()
    parts.append(formatter.format(record))
    if record.exc_info:
        parts.append(formatter.formatException(record.exc_info))
    parts.append(str(record.exc_text or ""))
    parts.append(str(record.stack_info or ""))
    return "\n".join(parts)


class _Served:
    """``codex app-server --listen ws://127.0.0.1:0`` with a capability token."""

    def __init__(self, env: dict[str, str], cwd: Path, token_file: Path) -> None:
        codex_cli_bin: Any = importlib.import_module("codex_cli_bin")
        full_env = dict(os.environ, **env)
        self.url: str | None = None
        self._ready = threading.Event()
        self.proc = subprocess.Popen(
            [
                str(codex_cli_bin.bundled_codex_path()),
                "app-server",
                "--listen",
                "ws://127.0.0.1:0",
                "--ws-auth",
                "capability-token",
                "--ws-token-file",
                str(token_file),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=full_env,
            cwd=cwd,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(30):
            self.stop()
            raise TimeoutError("the runtime did not listen within 30 s")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            found = re.search(r"listening on: (ws://\S+)", line)
            if found:
                self.url = found.group(1)
                self._ready.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)


@pytest.fixture
def served(model: OfflineModel, tmp_path: Path) -> Iterator[_Served]:
    token_file = tmp_path / "ws-token"
    token_file.write_text(SECRET + "\n")
    work = tmp_path / "served-work"
    work.mkdir()
    runtime = _Served(model.env(), work, token_file)
    try:
        yield runtime
    finally:
        runtime.stop()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_no_secret_reaches_any_log_record(
    model: OfflineModel,
    model_config: CodexConfig,
    served: _Served,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def raising_handler(params: Any) -> Any:
        raise PermissionError(f"vault said no: Authorization: Bearer {SECRET}")

    model.enqueue(
        Reply.function_call("leaky", {"path": f"/etc/{SECRET}"}, call_id="c1"),
        Reply.function_call("needs_int", {"count": PLAIN}, call_id="c2"),
        Reply.shell("echo hi", escalated=True),
        Reply.text("done"),
        Reply.error(400, f"invalid api key {SECRET}"),
    )
    caplog.set_level(logging.DEBUG)  # the root logger: every library's DEBUG records
    handlers = ServerRequestHandlers(command_approval=raising_handler)
    events: list[Any] = []
    with anyio.fail_after(90):
        async with AsyncCodex(model_config, handlers=handlers) as codex:
            thread = await codex.thread_start(
                tools=[leaky, needs_int], approval_mode=ApprovalMode.host
            )
            handle = await thread.turn(f"use the key {SECRET}")
            events = [event async for event in handle.stream()]
            with pytest.raises(TurnFailedError) as failed:
                await thread.run("again", timeout=30)
        assert url_ok(served.url)
        async with AsyncCodex(CodexConfig(url=served.url, token=SECRET)) as attached:
            await attached.models()
    # the scenario happened: the tool ran and failed, the handler failed, the turn failed
    failures = [e for e in events if e.method == "openai_codex/handlerFailed"]
    assert len(failures) == 1
    assert "PermissionError" in failures[0].params["message"]
    assert SECRET not in str(failures[0].params)
    assert SECRET not in str(failed.value)
    assert SECRET in failed.value.raw_message
    texts = [_all_text(record) for record in caplog.records]
    assert any("tool leaky raised" in text for text in texts)
    assert any("needs_int: invalid arguments" in text for text in texts)
    assert any("handler command_approval raised" in text for text in texts)
    assert any(
        record.name.startswith("openai_codex_transport.websocket") for record in caplog.records
    )
    assert [text for text in texts if SECRET in text] == []
    print(f"log capture: {len(texts)} records at DEBUG, none with the secret")
    # an unshaped secret cannot be recognised in the wire trace (DEBUG), but the SDK's own
    # records about the call name the argument, never its value
    invalid = [text for text in texts if "invalid arguments" in text]
    assert invalid
    assert [text for text in invalid if PLAIN in text] == []


def url_ok(url: str | None) -> bool:
    return url is not None and url.startswith("ws://")
