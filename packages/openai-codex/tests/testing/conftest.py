"""A minimal JSON-RPC client of the real runtime (no facade), for testing the offline model."""

from __future__ import annotations

import importlib
import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_codex.testing import OfflineModel

WAIT = 30.0  # seconds; every wait is bounded


def _codex_bin() -> tuple[str, str | None]:
    codex_cli_bin: Any = importlib.import_module("codex_cli_bin")
    return str(codex_cli_bin.bundled_codex_path()), str(codex_cli_bin.bundled_path_dir())


class AppServer:
    """`codex app-server --listen stdio://` driven line by line."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        binary, path_dir = _codex_bin()
        full_env = dict(os.environ, **env)
        if path_dir:
            full_env["PATH"] = path_dir + os.pathsep + full_env.get("PATH", "")
        self.proc = subprocess.Popen(
            [binary, "app-server", "--listen", "stdio://"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=full_env,
            cwd=cwd,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.raw_lines: list[str] = []
        self._next_id = 1
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def next_message(self, timeout: float = WAIT) -> dict[str, Any]:
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise EOFError("the runtime closed its stdout")
        self.raw_lines.append(line)
        message: dict[str, Any] = json.loads(line)
        return message

    def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        request_id = self._next_id
        self._next_id += 1
        self.send({"id": request_id, "method": method, "params": params or {}})
        while True:
            message = self.next_message()
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message["result"]
            self.pending.append(message)

    pending: list[dict[str, Any]]

    def initialize(self) -> dict[str, Any]:
        self.pending = []
        result: dict[str, Any] = self.request(
            "initialize",
            {
                "clientInfo": {"name": "offline_model_tests", "title": "t", "version": "0"},
                "capabilities": {"experimentalApi": True},
            },
        )
        self.send({"method": "initialized"})
        return result

    def start_thread(self, **params: Any) -> str:
        result = self.request("thread/start", params)
        return str(result["thread"]["id"])

    def run_turn(self, thread_id: str, text: str, **params: Any) -> list[dict[str, Any]]:
        """Start a turn; return every message up to and including its ``turn/completed``."""
        self.request(
            "turn/start",
            {"threadId": thread_id, "input": [{"type": "text", "text": text}], **params},
        )
        messages = list(self.pending)
        self.pending.clear()
        if any(m.get("method") == "turn/completed" for m in messages):
            return messages
        while True:
            message = self.next_message()
            messages.append(message)
            if message.get("method") == "turn/completed":
                return messages

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def model(offline_model: OfflineModel) -> OfflineModel:
    """The pytest plugin's ``offline_model`` (a started model per test, closed after it)."""
    return offline_model


@pytest.fixture
def app_server(model: OfflineModel, tmp_path: Path) -> Iterator[AppServer]:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    server = AppServer(model.env(tmp_path / "codex-home"), workspace)
    try:
        server.initialize()
        yield server
    finally:
        server.close()
