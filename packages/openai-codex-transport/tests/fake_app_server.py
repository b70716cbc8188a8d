"""A small scripted stand-in for ``codex app-server --listen stdio://``, for transport faults the
real runtime cannot be made to show on demand. Each request's method picks a behaviour:

- ``initialize``: answers like the runtime; ``echo``: result = params;
- ``die``: writes ``params.stderr`` to stderr and exits with ``params.code`` without answering
  (``params.orphan``: first start a ``sleep`` grandchild that keeps stdout open;
  ``params.stamp``: last, send the notification ``fake/exiting`` {"at": time.monotonic()},
  the moment of the exit on the system-wide monotonic clock);
- ``garbage``: writes a malformed line, a non-object line, a response for an unknown id and a
  message with neither method nor id, then answers ``{"ok": true}``;
- ``ask``: sends the server request ``params.method``/``params.params`` to the client, waits for
  the client's reply and answers with ``{"reply": <that whole response message>}``;
- ``ask_many``: sends ``params.count`` server requests at once, then answers with all replies;
- ``error``: answers with the error object ``params`` (e.g. -32001 with or without data);
- ``busy``: answers -32001 (overloaded) to the first ``params.times`` requests with the same
  ``params.key``, then ``{"attempts": n}`` (how many it received with that key);
- ``big``: answers with a string of ``params.size`` times ``params.char`` (default "x"; one
  long line);
- ``bad_utf8``: in one write, a notification ``fake/n`` {"i": 0}, a line that is not UTF-8, a
  notification {"i": 1, "text": "é€😀"}, then the answer ``{"ok": true}``;
- ``notify``: sends ``params.count`` notifications ``fake/n`` then answers;
- ``hang``: never answers; ``slow``: answers after ``params.seconds`` (blocking the fake).
- ``seen``: answers with the methods of every message received so far (in order);
- ``no_result``: answers ``{"id": ...}`` (neither result nor error);
- ``bad_error``: answers with an error member that is not an object (``"oops"``);
- ``env``: answers with the value of the environment variable ``params.name`` (or null);
- ``cwd``: answers with the fake's working directory.

``--ignore-sigterm``: ignore SIGTERM and keep running after stdin closes (until SIGKILL).
``--banner TEXT``: write TEXT to stderr at start (repeatable).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

out = sys.stdout.buffer
pending_client_replies: dict[int, dict[str, object]] = {}
next_server_id = 0
seen_methods: list[object] = []
busy_counts: dict[str, int] = {}


def write(message: object) -> None:
    out.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
    out.flush()


def read_message() -> dict[str, object] | None:
    line = sys.stdin.buffer.readline()
    if not line:
        return None
    message = json.loads(line)
    seen_methods.append(message.get("method"))
    return message  # type: ignore[no-any-return]


def send_server_request(method: str, params: object) -> int:
    global next_server_id
    request_id = next_server_id
    next_server_id += 1
    write({"id": request_id, "method": method, "params": params})
    return request_id


def ask_client(method: str, params: object) -> dict[str, object]:
    return wait_reply(send_server_request(method, params))


def wait_reply(request_id: int) -> dict[str, object]:
    while request_id not in pending_client_replies:
        message = read_message()
        if message is None:
            sys.exit(0)
        if "method" not in message:
            pending_client_replies[message["id"]] = message  # type: ignore[index]
        else:
            handle(message)  # nested requests are served while we wait
    return pending_client_replies.pop(request_id)


def handle(message: dict[str, object]) -> None:
    method = message.get("method")
    params: object = message.get("params")
    request_id = message.get("id")
    if request_id is None:
        return  # notifications (initialized) need nothing
    p = params if isinstance(params, dict) else {}
    if method == "initialize":
        write(
            {
                "id": request_id,
                "result": {
                    "userAgent": "fake/0.0.0",
                    "codexHome": "/nonexistent",
                    "platformFamily": "unix",
                    "platformOs": "linux",
                },
            }
        )
    elif method == "echo":
        write({"id": request_id, "result": params})
    elif method == "die":
        if p.get("orphan"):  # leave a grandchild holding our stdout open
            import subprocess

            subprocess.Popen(["sleep", "60"], stdin=subprocess.DEVNULL)
        sys.stderr.write(str(p.get("stderr", "")))
        sys.stderr.flush()
        if p.get("stamp"):
            write({"method": "fake/exiting", "params": {"at": time.monotonic()}})
        os._exit(int(p.get("code", 1)))
    elif method == "garbage":
        out.write(b"{this is not json\n")
        out.write(b"[1, 2, 3]\n")
        out.write(b'"just a string"\n')
        write({"id": 987654, "result": {"late": True}})
        write({"unexpected": True})
        write({"id": request_id, "result": {"ok": True}})
    elif method == "ask":
        reply = ask_client(str(p["method"]), p.get("params"))
        write({"id": request_id, "result": {"reply": reply}})
    elif method == "ask_many":
        ids = [send_server_request(str(p["method"]), i) for i in range(int(p["count"]))]
        write({"id": request_id, "result": {"replies": [wait_reply(i) for i in ids]}})
    elif method == "error":
        write({"id": request_id, "error": params})
    elif method == "busy":
        key = str(p.get("key"))
        busy_counts[key] = attempts = busy_counts.get(key, 0) + 1
        if attempts <= int(p.get("times", 1)):  # type: ignore[call-overload]
            overloaded = {"code": -32001, "message": "Server overloaded; retry later."}
            write({"id": request_id, "error": overloaded})
        else:
            write({"id": request_id, "result": {"attempts": attempts}})
    elif method == "big":
        data = str(p.get("char", "x")) * int(p["size"])
        out.write(
            json.dumps(
                {"id": request_id, "result": {"data": data}},
                separators=(",", ":"),
                ensure_ascii=False,
            ).encode()
            + b"\n"
        )
        out.flush()
    elif method == "bad_utf8":
        good = json.dumps(
            {"method": "fake/n", "params": {"i": 1, "text": "é€😀"}}, ensure_ascii=False
        )
        out.write(
            b'{"method":"fake/n","params":{"i":0}}\n'
            b'{"method":"fake/n","params":{"i":"\xff\xfe"}}\n'
            + good.encode()
            + b"\n"
            + json.dumps({"id": request_id, "result": {"ok": True}}).encode()
            + b"\n"
        )
        out.flush()
    elif method == "notify":
        for i in range(int(p.get("count", 1))):
            write({"method": "fake/n", "params": {"i": i}})
        write({"id": request_id, "result": {"sent": p.get("count", 1)}})
    elif method == "hang":
        pass
    elif method == "seen":
        write({"id": request_id, "result": seen_methods})
    elif method == "env":
        write({"id": request_id, "result": os.environ.get(str(p["name"]))})
    elif method == "cwd":
        write({"id": request_id, "result": os.getcwd()})
    elif method == "no_result":
        write({"id": request_id})
    elif method == "bad_error":
        write({"id": request_id, "error": "oops"})
    elif method == "slow":
        time.sleep(float(p.get("seconds", 0.5)))
        write({"id": request_id, "result": "late"})
    else:
        write({"id": request_id, "error": {"code": -32601, "message": f"unknown {method}"}})


def main() -> None:
    args = sys.argv[1:]
    ignore_sigterm = "--ignore-sigterm" in args
    if ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for index, arg in enumerate(args[:-1]):
        if arg == "--banner":
            sys.stderr.write(args[index + 1] + "\n")
    sys.stderr.flush()
    while True:
        message = read_message()
        if message is None:
            break
        if "method" not in message:
            pending_client_replies[message["id"]] = message  # type: ignore[index]
            continue
        handle(message)
    if ignore_sigterm:
        while True:  # only SIGKILL ends us now
            time.sleep(3600)


if __name__ == "__main__":
    main()
