"""Fallback offline model for the benchmarks: a loopback Responses-API SSE server.

Used only when ``openai_codex.testing`` is not importable (it is the real offline model).
The reply is chosen from the prompt (see ``bench/_script.py``), so every client gets
exactly the same bytes for the same prompt, and concurrent requests need no queue.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from _script import expected_text, requested_deltas, split


def _last_user_text(body: dict[str, Any]) -> str:
    for item in reversed(body.get("input") or []):
        if item.get("type") == "message" and item.get("role") == "user":
            for part in item.get("content") or []:
                if part.get("type") == "input_text":
                    return str(part.get("text", ""))
    return ""


def _event(ev: dict[str, Any]) -> bytes:
    return f"event: {ev['type']}\ndata: {json.dumps(ev)}\n\n".encode()


def sse_body(deltas: list[str], response_id: str = "resp_bench") -> bytes:
    text = "".join(deltas)
    parts = [
        _event({"type": "response.created", "response": {"id": response_id}}),
        _event(
            {
                "type": "response.output_item.added",
                "item": {"type": "message", "role": "assistant", "id": "msg_bench", "content": []},
            }
        ),
    ]
    parts.extend(_event({"type": "response.output_text.delta", "delta": d}) for d in deltas)
    parts.append(
        _event(
            {
                "type": "response.output_item.done",
                "item": {
                    "type": "message",
                    "role": "assistant",
                    "id": "msg_bench",
                    "content": [{"type": "output_text", "text": text}],
                },
            }
        )
    )
    parts.append(
        _event(
            {
                "type": "response.completed",
                "response": {
                    "id": response_id,
                    "usage": {
                        "input_tokens": 1,
                        "input_tokens_details": None,
                        "output_tokens": 1,
                        "output_tokens_details": None,
                        "total_tokens": 2,
                    },
                },
            }
        )
    )
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.path.rstrip("/").endswith("/responses"):
            self._send(404, b"{}", "application/json")
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        n = requested_deltas(_last_user_text(body))
        deltas = split(expected_text(n), n)
        self._send(200, sse_body(deltas), "text/event-stream")

    def do_GET(self) -> None:
        self._send(404, b"{}", "application/json")

    def _send(self, code: int, payload: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class MockModel:
    """A threaded loopback server; ``base_url`` ends in ``/v1``."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> MockModel:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def write_mock_home(directory: Path, base_url: str) -> None:
    """A CODEX_HOME whose config.toml points the runtime at ``base_url`` (no retries)."""
    (directory / "config.toml").write_text(
        'model = "mock-model"\n'
        'model_provider = "mock"\n'
        "[model_providers.mock]\n"
        'name = "mock"\n'
        f'base_url = "{base_url}"\n'
        'wire_api = "responses"\n'
        "request_max_retries = 0\n"
        "stream_max_retries = 0\n"
    )
