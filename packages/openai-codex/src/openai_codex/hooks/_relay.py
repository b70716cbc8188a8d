"""The relay the runtime runs for a Python hook: stdin -> the client's socket -> stdout.

The runtime starts it as a command hook (``python -I -S _relay.py DIR HOOK_ID DEADLINE``)
on every matching event, so it imports the standard library only and nothing of the
SDK: it starts in about 20 ms. It reads the event (JSON) from stdin, reads the client's
token from ``DIR/token``, connects to ``DIR/socket`` (a Unix socket in a directory only
the client's user can enter), sends one line ``{"token", "hook", "input"}`` and waits,
until ``DEADLINE`` seconds have passed, for one line ``{"exit", "stdout", "stderr"}``,
which it writes out and exits with.

When the client cannot answer (it is gone, it closed the socket, the deadline passed,
the reply is garbled) the relay fails closed: for the events that can block
(``PreToolUse``, ``PermissionRequest``, ``UserPromptSubmit``) it answers a denial the
model sees; for the others it exits 0 without output (no opinion).
"""

import json
import os
import socket
import sys
import time

_CLOSED_REASON = "blocked: the Python hook that guards this could not be reached ({why})"


def _fail_closed(event: str, why: str) -> int:
    reason = _CLOSED_REASON.format(why=why)
    out: dict[str, object]
    if event == "PreToolUse":
        out = {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        }
    elif event == "PermissionRequest":
        out = {
            "hookSpecificOutput": {
                "hookEventName": "PermissionRequest",
                "decision": {"behavior": "deny", "message": reason},
            }
        }
    elif event == "UserPromptSubmit":
        out = {"decision": "block", "reason": reason}
    else:
        return 0
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    return 0


def _event_name(raw: str) -> str:
    try:
        name = json.loads(raw).get("hook_event_name")
    except Exception:
        return ""
    return name if isinstance(name, str) else ""


def main(argv: list[str]) -> int:
    raw = sys.stdin.read()
    if len(argv) != 4:
        sys.stderr.write("usage: _relay.py DIR HOOK_ID DEADLINE_SECONDS\n")
        return _fail_closed(_event_name(raw), "bad relay arguments")
    directory, hook_id, deadline_text = argv[1], argv[2], argv[3]
    try:
        deadline = time.monotonic() + float(deadline_text)
        with open(os.path.join(directory, "token"), encoding="ascii") as f:
            token = f.read().strip()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            sock.connect(os.path.join(directory, "socket"))
            request = {"token": token, "hook": hook_id, "input": raw}
            sock.sendall(json.dumps(request).encode() + b"\n")
            chunks = []
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the hook did not answer in time")
                sock.settimeout(left)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    break
        finally:
            sock.close()
        reply = json.loads(b"".join(chunks).decode())
        exit_code = int(reply["exit"])
        stdout = reply.get("stdout") or ""
        stderr = reply.get("stderr") or ""
    except (OSError, ValueError, KeyError, TypeError) as exc:
        why = "timed out" if isinstance(exc, (TimeoutError, socket.timeout)) else "client gone"
        return _fail_closed(_event_name(raw), why)
    if stdout:
        sys.stdout.write(stdout)
        sys.stdout.flush()
    if stderr:
        sys.stderr.write(stderr)
        sys.stderr.flush()
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
