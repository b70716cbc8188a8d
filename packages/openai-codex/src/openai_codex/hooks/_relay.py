"""The relay the runtime runs for a Python hook: stdin -> the client's socket -> stdout.

The runtime starts it as a command hook (``python -I -S _relay.py DIR HOOK_ID DEADLINE
EVENT``) on every matching event, so it must start fast: it imports nothing beyond what
the interpreter has loaded at start-up and ``_socket`` (``json`` alone costs more than
the interpreter's own start, ``socket`` ten times ``_socket``). It reads the client's
token from ``DIR/token``, connects to ``DIR/socket`` (a Unix socket in a directory only
the client's user can enter) and sends ``TOKEN HOOK_ID\\n`` then the event exactly as
the runtime wrote it to stdin, then waits, until ``DEADLINE`` seconds have passed, for
``EXIT STDOUT_BYTES\\n`` followed by the answer's stdout and stderr bytes, which it
writes out before exiting with ``EXIT``.

When the client cannot answer (it is gone, it closed the connection, the deadline
passed, the reply is garbled) the relay fails closed: for the events that can block
(``PreToolUse``, ``PermissionRequest``, ``UserPromptSubmit``: ``EVENT``) it answers a
denial the model sees; for the others it exits 0 without output (no opinion).
"""

import _socket
import sys
import time

_REASON = "blocked: the Python hook that guards this could not be reached ({why})"
_DENIALS = {
    "PreToolUse": '{{"hookSpecificOutput": {{"hookEventName": "PreToolUse", '
    '"permissionDecision": "deny", "permissionDecisionReason": "{reason}"}}}}',
    "PermissionRequest": '{{"hookSpecificOutput": {{"hookEventName": "PermissionRequest", '
    '"decision": {{"behavior": "deny", "message": "{reason}"}}}}}}',
    "UserPromptSubmit": '{{"decision": "block", "reason": "{reason}"}}',
}


def fail_closed(event: str, why: str) -> int:
    """Answer a denial for a blocking ``event`` (``why`` is plain ASCII without quotes)."""
    template = _DENIALS.get(event)
    if template is not None:
        sys.stdout.write(template.format(reason=_REASON.format(why=why)))
        sys.stdout.flush()
    return 0


def relay(directory: str, hook_id: str, deadline: float, event: bytes) -> tuple[int, bytes, bytes]:
    """One round trip: the answer's ``(exit code, stdout, stderr)``."""
    with open(directory + "/token", "rb") as f:
        token = f.read().strip()
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        sock.connect(directory + "/socket")
        sock.sendall(token + b" " + hook_id.encode() + b"\n" + event)
        sock.shutdown(_socket.SHUT_WR)
        chunks = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        sock.close()
    reply = b"".join(chunks)
    header, _, body = reply.partition(b"\n")
    exit_text, stdout_size = header.split(b" ")
    size = int(stdout_size)
    return int(exit_text), body[:size], body[size:]


def main(argv: list[str]) -> int:
    event_name = argv[4] if len(argv) > 4 else ""
    if len(argv) != 5:
        sys.stderr.write("usage: _relay.py DIR HOOK_ID DEADLINE_SECONDS EVENT\n")
        return fail_closed(event_name, "bad relay arguments")
    try:
        deadline = time.monotonic() + float(argv[3])
        event = sys.stdin.buffer.read()
        exit_code, stdout, stderr = relay(argv[1], argv[2], deadline, event)
    except TimeoutError:
        return fail_closed(event_name, "timed out")
    except (OSError, ValueError):
        return fail_closed(event_name, "client gone")
    if stdout:
        sys.stdout.buffer.write(stdout)
        sys.stdout.flush()
    if stderr:
        sys.stderr.buffer.write(stderr)
        sys.stderr.flush()
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
