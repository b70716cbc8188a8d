"""The stream writer: turns one ``Reply`` into a Responses-API HTTP answer.

A successful reply becomes a chunked ``text/event-stream`` body of server-sent events
(``response.created``, the output items with their deltas, ``response.completed``); an
error reply becomes an OpenAI-style JSON error body.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import time
from typing import Any, Protocol

from ._replies import (
    FunctionCallOutput,
    MessageOutput,
    Output,
    ReasoningOutput,
    Reply,
    Usage,
    split_text,
)

__all__ = ["Dropped", "ReplyStream", "StreamHost", "default_usage", "error_body"]


class StreamHost(Protocol):
    """What a stream needs from the model serving it (``OfflineModel``'s internals)."""

    model_name: str
    _closing: threading.Event
    """Set when the model closes: every stream stops at its next event."""

    def _new_id(self, prefix: str) -> str:
        """A fresh id such as ``msg_offline_7``."""
        ...

    def _wait_released(self, connection: socket.socket, generation: int) -> None:
        """Block until the hang of ``generation`` is released, the model closes or the
        client goes away."""
        ...


class Dropped(Exception):
    """The connection was dropped on purpose (hang released, abort, server closing)."""


def default_usage(reply: Reply) -> Usage:
    """The usage reported when a reply sets none: 10 input tokens, one output token a word."""
    words = 0
    for output in reply.outputs:
        if isinstance(output, MessageOutput):
            words += len(output.text.split())
        elif isinstance(output, ReasoningOutput):
            words += len(output.summary.split())
        else:
            words += 1
    return Usage(input_tokens=10, output_tokens=max(1, words))


def error_body(reply: Reply) -> dict[str, Any]:
    """The OpenAI-style JSON body of an ``http_error`` reply."""
    error_type = reply.error_type
    if error_type is None:
        error_type = "server_error" if reply.status >= 500 else "invalid_request_error"
    return {
        "error": {
            "message": reply.error_message,
            "type": error_type,
            "code": reply.error_code,
            "param": None,
        }
    }


class ReplyStream:
    """Writes one reply's events as a chunked ``text/event-stream`` body to ``wfile``.

    The HTTP status line and headers are the caller's; this class writes the body only.
    ``connection`` is the client socket (dropped for ``hang`` and ``abort`` replies).
    """

    def __init__(
        self,
        host: StreamHost,
        reply: Reply,
        wfile: io.BufferedIOBase,
        connection: socket.socket,
        generation: int,
    ) -> None:
        self.host = host
        self.reply = reply
        self.wfile = wfile
        self.connection = connection
        self.generation = generation
        self.response_id = host._new_id("resp")
        self.output_items: list[dict[str, Any]] = []

    def write(self) -> None:
        """Write every event of the reply. Raises ``Dropped`` (or ``OSError`` when the
        client went away) if the body was not ended cleanly."""
        reply = self.reply
        self._send("response.created", {"response": self._response("in_progress")})
        for index, output in enumerate(reply.outputs):
            self._output(index, output)
        if reply.kind == "outputs":
            response = self._response("completed")
            response["output"] = self.output_items
            response["usage"] = (reply.usage or default_usage(reply)).to_wire()
            self._send("response.completed", {"response": response})
            self._end()
        elif reply.kind == "failed":
            response = self._response("failed")
            response["error"] = {"code": reply.error_code, "message": reply.error_message}
            self._send("response.failed", {"response": response})
            self._end()
        elif reply.kind == "hang":
            self.host._wait_released(self.connection, self.generation)
            self._drop()
        elif reply.kind == "cut_short":
            if reply.abort:
                self._drop()
            self._end()

    def _response(self, status: str) -> dict[str, Any]:
        return {
            "id": self.response_id,
            "object": "response",
            "created_at": int(time.time()),
            "status": status,
            "model": self.host.model_name,
            "output": [],
        }

    def _output(self, index: int, output: Output) -> None:
        base = {"output_index": index}
        if isinstance(output, MessageOutput):
            item = self._message(base, output)
            if item is None:  # a hang or cut-short stream stops inside the message
                return
        elif isinstance(output, ReasoningOutput):
            item = self._reasoning(base, output)
        else:
            item = self._function_call(base, output)
        self.output_items.append(item)
        self._send("response.output_item.done", {**base, "item": item})

    def _message(self, base: dict[str, Any], output: MessageOutput) -> dict[str, Any] | None:
        item_id = self.host._new_id("msg")
        item: dict[str, Any] = {
            "type": "message",
            "id": item_id,
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        if output.phase is not None:
            item["phase"] = output.phase
        self._send("response.output_item.added", {**base, "item": item})
        part = {"type": "output_text", "text": "", "annotations": []}
        where = {**base, "item_id": item_id, "content_index": 0}
        self._send("response.content_part.added", {**where, "part": part})
        for delta in split_text(output.text, output.deltas):
            self._send("response.output_text.delta", {**where, "delta": delta})
        if self.reply.kind in ("hang", "cut_short"):
            return None
        self._send("response.output_text.done", {**where, "text": output.text})
        done_part = {"type": "output_text", "text": output.text, "annotations": []}
        self._send("response.content_part.done", {**where, "part": done_part})
        return {**item, "status": "completed", "content": [done_part]}

    def _reasoning(self, base: dict[str, Any], output: ReasoningOutput) -> dict[str, Any]:
        item_id = self.host._new_id("rs")
        item: dict[str, Any] = {"type": "reasoning", "id": item_id, "summary": []}
        self._send("response.output_item.added", {**base, "item": item})
        where = {**base, "item_id": item_id, "summary_index": 0}
        part = {"type": "summary_text", "text": ""}
        self._send("response.reasoning_summary_part.added", {**where, "part": part})
        for delta in split_text(output.summary, output.deltas):
            self._send("response.reasoning_summary_text.delta", {**where, "delta": delta})
        self._send("response.reasoning_summary_text.done", {**where, "text": output.summary})
        return {**item, "summary": [{"type": "summary_text", "text": output.summary}]}

    def _function_call(self, base: dict[str, Any], output: FunctionCallOutput) -> dict[str, Any]:
        item_id = self.host._new_id("fc")
        item: dict[str, Any] = {
            "type": "function_call",
            "id": item_id,
            "call_id": output.call_id or self.host._new_id("call"),
            "name": output.name,
            "arguments": "",
            "status": "in_progress",
        }
        if output.namespace is not None:
            item["namespace"] = output.namespace
        self._send("response.output_item.added", {**base, "item": item})
        where = {**base, "item_id": item_id}
        self._send("response.function_call_arguments.delta", {**where, "delta": output.arguments})
        self._send(
            "response.function_call_arguments.done", {**where, "arguments": output.arguments}
        )
        return {**item, "arguments": output.arguments, "status": "completed"}

    def _send(self, event: str, data: dict[str, Any]) -> None:
        if self.reply.delay > 0 and self.host._closing.wait(self.reply.delay):
            self._drop()
        if self.host._closing.is_set():
            self._drop()
        payload = json.dumps({"type": event, **data}, separators=(",", ":"))
        chunk = f"event: {event}\ndata: {payload}\n\n".encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.flush()

    def _end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        raise Dropped
