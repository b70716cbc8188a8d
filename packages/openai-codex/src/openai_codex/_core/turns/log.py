"""One INFO log line per turn step, on the logger ``openai_codex.turns``.

``OPENAI_CODEX_LOG=info`` (or an application's logging config at INFO) shows when each
turn starts and ends, each command with its exit code, each file change, each tool call,
each hook run (event, outcome, duration, its first message) and each approval asked of the
host with its answer. :func:`log_turn_event` is a router
listener (it sees every notification); :func:`log_server_request` is called by host
control once a server request is answered. Both return at once when INFO is off.
Commands and arguments go through the transport's text redaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from openai_codex_transport.redaction import redact_text

__all__ = ["TURN_LOGGER_NAME", "log_server_request", "log_turn_event"]

TURN_LOGGER_NAME = "openai_codex.turns"

logger = logging.getLogger(TURN_LOGGER_NAME)

_INFO = logging.INFO
_MAX = 200  # characters of a command or argument list in one line


def _short(text: str) -> str:
    text = redact_text(" ".join(text.split()))
    return text if len(text) <= _MAX else text[: _MAX - 3] + "..."


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _turn_started(params: Mapping[str, Any]) -> None:
    turn = _mapping(params.get("turn"))
    logger.info("turn %s started (thread %s)", turn.get("id"), params.get("threadId"))


def _turn_completed(params: Mapping[str, Any]) -> None:
    turn = _mapping(params.get("turn"))
    status = turn.get("status")
    duration = turn.get("durationMs")
    took = f" in {duration / 1000:.1f} s" if isinstance(duration, int) else ""
    message = _mapping(turn.get("error")).get("message")
    level = logging.WARNING if status == "failed" else _INFO
    logger.log(
        level,
        "turn %s %s%s (thread %s)%s",
        turn.get("id"),
        status,
        took,
        params.get("threadId"),
        f": {_short(message)}" if isinstance(message, str) else "",
    )


def _command(item: Mapping[str, Any]) -> str:
    actions = item.get("commandActions")
    if isinstance(actions, list) and len(actions) == 1:
        command = _mapping(actions[0]).get("command")
        if isinstance(command, str):
            return command
    command = item.get("command")
    return command if isinstance(command, str) else ""


def _item_completed(params: Mapping[str, Any]) -> None:
    item = _mapping(params.get("item"))
    kind = item.get("type")
    turn = params.get("turnId")
    if kind == "commandExecution":
        logger.info(
            "turn %s: command %s (exit %s, %s ms): %s",
            turn,
            item.get("status"),
            item.get("exitCode"),
            item.get("durationMs"),
            _short(_command(item)),
        )
    elif kind == "fileChange":
        changes = item.get("changes")
        paths = [
            str(_mapping(c).get("path")) for c in (changes if isinstance(changes, list) else [])
        ]
        logger.info("turn %s: file change %s: %s", turn, item.get("status"), ", ".join(paths))
    elif kind in ("dynamicToolCall", "mcpToolCall"):
        prefix = item.get("server") or item.get("namespace")
        name = f"{prefix}.{item.get('tool')}" if prefix else str(item.get("tool"))
        logger.info(
            "turn %s: tool %s %s (%s ms)", turn, name, item.get("status"), item.get("durationMs")
        )


def _hook_completed(params: Mapping[str, Any]) -> None:
    run = _mapping(params.get("run"))
    entries = run.get("entries")
    first = _mapping(entries[0]) if isinstance(entries, list) and entries else {}
    text = first.get("text")
    status = run.get("status")
    logger.log(
        logging.WARNING if status == "failed" else _INFO,
        "turn %s: hook %s %s (%s ms)%s",
        params.get("turnId"),
        run.get("eventName"),
        status,
        run.get("durationMs"),
        f": {first.get('kind')}: {_short(text)}" if isinstance(text, str) else "",
    )


_LOGGED: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "turn/started": _turn_started,
    "hook/completed": _hook_completed,
    "turn/completed": _turn_completed,
    "item/completed": _item_completed,
}


def log_turn_event(method: str, params: dict[str, Any]) -> None:
    """Log one notification at INFO if it is a turn step (a router listener)."""
    log = _LOGGED.get(method)
    if log is not None and logger.isEnabledFor(_INFO):
        log(params)


def log_server_request(method: str, params: Mapping[str, Any], answer: Any) -> None:
    """Log a server request of a turn (an approval, a question) and the answer sent."""
    if not logger.isEnabledFor(_INFO):
        return
    decision = _mapping(answer).get("decision", _mapping(answer).get("action"))
    if isinstance(decision, Mapping):
        decision = next(iter(decision), None)
    subject = params.get("command") or params.get("reason") or ""
    if isinstance(subject, list):
        subject = " ".join(str(part) for part in subject)
    logger.info(
        "turn %s: %s -> %s%s",
        params.get("turnId"),
        method,
        decision if decision is not None else "answered",
        f": {_short(str(subject))}" if subject else "",
    )
