"""What a turn's notifications look like as lines of text (no terminal, no rich).

:class:`TurnView` takes a turn's notifications one by one (raw ``method`` and ``params``)
and answers with what to show: :class:`Print` (finished lines), :class:`Delta` (agent text
as it streams) and :class:`MessageDone` (the end of a streamed message). It also keeps
the state of what is in progress (streamed text, a running command's output, a pending
approval, tokens so far) for a live display. Both outputs (plain lines and the rich live
display) are built on it, so they show the same text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Delta", "Line", "MessageDone", "Output", "Print", "TurnView"]

#: Methods of the SDK's own notifications on a turn's stream (see ``openai_codex.handlers``).
HANDLER_FAILED = "openai_codex/handlerFailed"
SERVER_REQUEST = "openai_codex/serverRequest"
SERVER_REQUEST_ANSWERED = "openai_codex/serverRequestAnswered"

#: Lines of a command's output shown when it finishes (the last ones).
COMMAND_OUTPUT_LINES = 8
#: Lines of one file's diff shown.
DIFF_LINES = 40
#: Characters of a tool result shown.
TOOL_RESULT_CHARS = 60

_SHELL_WRAPPER = re.compile(r"^\S*/?(?:ba|z|da|)sh -l?c '(?P<inner>.*)'$", re.DOTALL)


@dataclass(frozen=True)
class Line:
    """One line of output and its rich style (``""``: plain)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Print:
    """Finished lines to print now."""

    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Delta:
    """A piece of agent text as it streams (plain output writes it inline)."""

    text: str


@dataclass(frozen=True)
class MessageDone:
    """An agent message finished: ``lines`` is the whole message; ``streamed`` what
    :class:`Delta` outputs already carried of it."""

    lines: tuple[Line, ...]
    streamed: str


Output = Print | Delta | MessageDone


@dataclass
class _Usage:
    total: int = 0
    input: int = 0
    output: int = 0


@dataclass
class TurnView:
    """The display state of one turn, fed notification by notification.

    ``cwd``: file paths under it are shown relative to it.
    """

    cwd: str | None = None
    #: Agent text streamed so far for the message in progress (``None``: no message).
    streaming_text: str | None = None
    #: Reasoning summary streamed so far (``None``: not reasoning).
    reasoning_text: str | None = None
    #: What is running (a command, a tool, a file change), shown with the spinner.
    activity: str | None = None
    #: Output of the running command so far.
    command_output: str = ""
    #: The approval question waiting for an answer.
    pending_approval: str | None = None
    #: Set by ``turn/completed``.
    completed: bool = False
    status: str | None = None
    usage: _Usage = field(default_factory=_Usage)
    _baseline: _Usage | None = None
    _streamed: str = ""
    _running: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    _goal_status: str | None = None

    # -- feeding ----------------------------------------------------------------------
    def feed(self, method: str, params: Mapping[str, Any]) -> list[Output]:
        """Take one notification; return what to show now."""
        handler = _HANDLERS.get(method)
        if handler is None:
            return []
        return handler(self, params)

    def _item_started(self, params: Mapping[str, Any]) -> list[Output]:
        item = _mapping(params.get("item"))
        kind = item.get("type")
        if isinstance(item.get("id"), str):
            self._running[item["id"]] = item
        if kind == "agentMessage":
            self.streaming_text = ""
            self._streamed = ""
        elif kind == "reasoning":
            self.reasoning_text = ""
        elif kind == "commandExecution":
            command = _command_text(item)
            self.activity = f"running {_first_line(command)}"
            self.command_output = ""
            return [Print((Line(f"$ {command}", "bold cyan"),))]
        elif kind == "fileChange":
            self.activity = "changing files"
        elif kind in ("dynamicToolCall", "mcpToolCall"):
            self.activity = f"calling {_tool_name(item)}"
        elif kind == "webSearch":
            self.activity = "searching the web"
        return []

    def _item_completed(self, params: Mapping[str, Any]) -> list[Output]:
        item = _mapping(params.get("item"))
        kind = item.get("type")
        self._running.pop(_str(item.get("id")), None)
        if kind == "userMessage":
            return _print(_user_message_lines(item))
        if kind == "agentMessage":
            text = _str(item.get("text"))
            streamed, self._streamed, self.streaming_text = self._streamed, "", None
            style = "italic" if item.get("phase") == "commentary" else ""
            lines = tuple(Line(line, style) for line in text.split("\n")) if text else ()
            return [MessageDone(lines, streamed)]
        if kind == "reasoning":
            self.reasoning_text = None
            return _print(_reasoning_lines(item))
        self.activity = None
        if kind == "commandExecution":
            self.command_output = ""
            return _print(_command_result_lines(item))
        if kind == "fileChange":
            return _print(_file_change_lines(item, self.cwd))
        if kind in ("dynamicToolCall", "mcpToolCall"):
            return _print(_tool_lines(item))
        if kind == "webSearch":
            return _print([Line(f"search {_str(item.get('query'))}", "bold")])
        return []

    def _message_delta(self, params: Mapping[str, Any]) -> list[Output]:
        delta = _str(params.get("delta"))
        self.streaming_text = (self.streaming_text or "") + delta
        self._streamed += delta
        return [Delta(delta)] if delta else []

    def _reasoning_delta(self, params: Mapping[str, Any]) -> list[Output]:
        self.reasoning_text = (self.reasoning_text or "") + _str(params.get("delta"))
        return []

    def _command_output(self, params: Mapping[str, Any]) -> list[Output]:
        self.command_output = (self.command_output + _str(params.get("delta")))[-4000:]
        return []

    def _token_usage(self, params: Mapping[str, Any]) -> list[Output]:
        usage = _mapping(params.get("tokenUsage"))
        total, last = _mapping(usage.get("total")), _mapping(usage.get("last"))
        if self._baseline is None:  # the thread's totals before this turn's first call
            self._baseline = _Usage(
                _int(total.get("totalTokens")) - _int(last.get("totalTokens")),
                _int(total.get("inputTokens")) - _int(last.get("inputTokens")),
                _int(total.get("outputTokens")) - _int(last.get("outputTokens")),
            )
        self.usage = _Usage(
            _int(total.get("totalTokens")) - self._baseline.total,
            _int(total.get("inputTokens")) - self._baseline.input,
            _int(total.get("outputTokens")) - self._baseline.output,
        )
        return []

    def _error(self, params: Mapping[str, Any]) -> list[Output]:
        error = _mapping(params.get("error"))
        if not params.get("willRetry"):
            return []  # the failed turn/completed says it
        return _print([Line(f"! {_str(error.get('message'))} (retrying)", "yellow")])

    def _server_request(self, params: Mapping[str, Any]) -> list[Output]:
        request_params = _mapping(params.get("params"))
        item = self._running.get(_str(request_params.get("itemId")), {})
        question = _approval_question(_str(params.get("request")), request_params, item, self.cwd)
        if question is None:
            return []
        self.pending_approval = question
        return _print([Line(f"? {question}", "bold yellow")])

    def _server_request_answered(self, params: Mapping[str, Any]) -> list[Output]:
        request = _str(params.get("request"))
        if _approval_question(request, _mapping(params.get("params")), {}, self.cwd) is None:
            return []
        self.pending_approval = None
        answer = _answer_text(request, params.get("answer"))
        good = answer.startswith("accept") or answer in ("granted", "answered")
        return _print([Line(f"  -> {answer}", "green" if good else "red")])

    def _handler_failed(self, params: Mapping[str, Any]) -> list[Output]:
        self.pending_approval = None
        message = _str(params.get("message"))
        answer = json.dumps(params.get("answer"), separators=(", ", ": "))
        return _print([Line(f"! {message}; sent {answer}", "bold red")])

    def _goal_updated(self, params: Mapping[str, Any]) -> list[Output]:
        """A goal's logical turn: one line each time the goal's status changes."""
        goal = _mapping(params.get("goal"))
        status = _str(goal.get("status"))
        if not status or status == self._goal_status:
            return []
        first = self._goal_status is None
        self._goal_status = status
        used = _int(goal.get("tokensUsed"))
        budget = goal.get("tokenBudget")
        tokens = f" · {used:,}" + (f" of {budget:,}" if isinstance(budget, int) else "")
        text = f"goal {status}{tokens} tokens used"
        if first:
            text += f": {_first_line(_str(goal.get('objective')))}"
        return _print([Line(text, "bold")])

    def _hook_completed(self, params: Mapping[str, Any]) -> list[Output]:
        """One line per hook run: event, outcome, duration and what it told the model."""
        run = _mapping(params.get("run"))
        status = _str(run.get("status")) or "completed"
        text = f"hook {_str(run.get('eventName'))}: {status}"
        took = _duration(run.get("durationMs"))
        if took:
            text += f" ({took})"
        entries = run.get("entries")
        for entry in entries if isinstance(entries, list) else []:
            message = _str(_mapping(entry).get("text"))
            if message:
                text += f": {_cut(_first_line(message, 120), 120)}"
                break
        style = {"completed": "dim", "failed": "bold red"}.get(status, "yellow")
        return _print([Line(text, style)])

    def _turn_completed(self, params: Mapping[str, Any]) -> list[Output]:
        turn = _mapping(params.get("turn"))
        self.completed = True
        self.status = _str(turn.get("status")) or "completed"
        self.streaming_text = self.reasoning_text = self.activity = self.pending_approval = None
        return _print(self.summary_lines(turn.get("durationMs"), _mapping(turn.get("error"))))

    def summary_lines(
        self, duration_ms: Any, error: Mapping[str, Any], *, usage_scope: str = ""
    ) -> list[Line]:
        """The closing line(s): status, duration, tokens (and the error of a failed turn).

        ``usage_scope`` follows the token counts (e.g. ``" in the thread"``)."""
        parts = [self.status or "in progress"]
        if isinstance(duration_ms, int):
            parts[0] += f" in {duration_ms / 1000:.1f} s"
        if self.usage.total:
            parts.append(
                f"{self.usage.total:,} tokens ({self.usage.input:,} in, "
                f"{self.usage.output:,} out){usage_scope}"
            )
        style = {"completed": "dim", "failed": "bold red"}.get(self.status or "", "yellow")
        lines = [Line(f"-- {' · '.join(parts)}", style)]
        message = _str(error.get("message"))
        if message:
            lines += [Line(f"   {line}", "red") for line in message.split("\n")]
        return lines


_Handler = Callable[[TurnView, Mapping[str, Any]], list[Output]]
_HANDLERS: dict[str, _Handler] = {
    "item/started": TurnView._item_started,
    "item/completed": TurnView._item_completed,
    "item/agentMessage/delta": TurnView._message_delta,
    "item/reasoning/summaryTextDelta": TurnView._reasoning_delta,
    "item/commandExecution/outputDelta": TurnView._command_output,
    "thread/tokenUsage/updated": TurnView._token_usage,
    "error": TurnView._error,
    SERVER_REQUEST: TurnView._server_request,
    SERVER_REQUEST_ANSWERED: TurnView._server_request_answered,
    HANDLER_FAILED: TurnView._handler_failed,
    "thread/goal/updated": TurnView._goal_updated,
    "hook/completed": TurnView._hook_completed,
    "turn/completed": TurnView._turn_completed,
}


# -- formatting helpers -------------------------------------------------------------------


def _print(lines: Sequence[Line]) -> list[Output]:
    return [Print(tuple(lines))] if lines else []


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _first_line(text: str, limit: int = 60) -> str:
    line = text.split("\n", 1)[0]
    return line if len(line) <= limit and "\n" not in text else line[: limit - 3] + "..."


def _indented(text: str, style: str, limit: int, *, keep_last: bool) -> list[Line]:
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if len(lines) <= limit:
        return [Line(f"  {line}", style) for line in lines]
    hidden = len(lines) - limit
    if keep_last:
        return [Line(f"  ... {hidden} earlier lines", "dim")] + [
            Line(f"  {line}", style) for line in lines[-limit:]
        ]
    return [Line(f"  {line}", style) for line in lines[:limit]] + [
        Line(f"  ... {hidden} more lines", "dim")
    ]


def _user_message_lines(item: Mapping[str, Any]) -> list[Line]:
    content = item.get("content")
    texts = [
        _str(part.get("text"))
        for part in (content if isinstance(content, list) else [])
        if isinstance(part, Mapping) and part.get("type") == "text"
    ]
    text = "\n".join(t for t in texts if t)
    if not text:
        return []
    lines = text.split("\n")
    return [Line(f"> {lines[0]}", "bold")] + [Line(f"  {line}", "bold") for line in lines[1:]]


def _reasoning_lines(item: Mapping[str, Any]) -> list[Line]:
    summary = item.get("summary")
    text = "\n".join(
        s for s in (summary if isinstance(summary, list) else []) if isinstance(s, str)
    )
    if not text.strip():
        return []
    lines = text.strip().split("\n")
    return [Line(f"thinking: {lines[0]}", "dim italic")] + [
        Line(f"  {line}", "dim italic") for line in lines[1:]
    ]


def _command_text(item: Mapping[str, Any]) -> str:
    """The command as the model wrote it (without the runtime's ``bash -c '...'`` wrapper)."""
    actions = item.get("commandActions")
    if isinstance(actions, list) and len(actions) == 1:
        command = _mapping(actions[0]).get("command")
        if isinstance(command, str) and command:
            return command
    command = _str(item.get("command"))
    match = _SHELL_WRAPPER.match(command)
    return match.group("inner").replace("'\\''", "'") if match else command


def _duration(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return f"{value} ms" if value < 1000 else f"{value / 1000:.1f} s"


def _command_result_lines(item: Mapping[str, Any]) -> list[Line]:
    lines = _indented(
        _str(item.get("aggregatedOutput")), "dim", COMMAND_OUTPUT_LINES, keep_last=True
    )
    status = _str(item.get("status"))
    exit_code = item.get("exitCode")
    duration = _duration(item.get("durationMs"))
    if status == "declined":
        lines.append(Line("  declined: not run", "yellow"))
    elif isinstance(exit_code, int):
        text = f"  exit {exit_code}" + (f" · {duration}" if duration else "")
        lines.append(Line(text, "green" if exit_code == 0 else "bold red"))
    elif status:
        lines.append(Line(f"  {status}", "bold red" if status == "failed" else "yellow"))
    return lines


def _display_path(path: str, cwd: str | None) -> str:
    base = cwd if cwd is not None else os.getcwd()
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


_CHANGE_VERBS = {"add": "add", "delete": "delete", "update": "edit"}


def _file_change_lines(item: Mapping[str, Any], cwd: str | None) -> list[Line]:
    changes = item.get("changes")
    status = _str(item.get("status"))
    suffix = "" if status in ("completed", "") else f" ({status})"
    lines: list[Line] = []
    for change in changes if isinstance(changes, list) else []:
        change = _mapping(change)
        kind = _str(_mapping(change.get("kind")).get("type"))
        verb = _CHANGE_VERBS.get(kind, kind or "change")
        path = _display_path(_str(change.get("path")), cwd)
        move = _mapping(change.get("kind")).get("move_path")
        target = f" -> {_display_path(move, cwd)}" if isinstance(move, str) else ""
        lines.append(Line(f"{verb} {path}{target}{suffix}", "bold magenta"))
        diff = _str(change.get("diff"))
        if kind == "add":
            diff = "\n".join(f"+{line}" for line in diff.rstrip("\n").split("\n")) if diff else ""
        elif kind == "delete":
            diff = ""
        for line in _indented(diff, "", DIFF_LINES, keep_last=False):
            body = line.text[2:]
            style = line.style or (
                "green"
                if body.startswith("+")
                else "red"
                if body.startswith("-")
                else "cyan"
                if body.startswith("@@")
                else ""
            )
            lines.append(Line(line.text, style))
    return lines


def _tool_name(item: Mapping[str, Any]) -> str:
    tool = _str(item.get("tool"))
    prefix = _str(item.get("server")) or _str(item.get("namespace"))
    return f"{prefix}.{tool}" if prefix else tool


def _arguments_text(arguments: Any) -> str:
    if isinstance(arguments, Mapping):
        return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
    if arguments is None:
        return ""
    return json.dumps(arguments, ensure_ascii=False)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _tool_result_text(item: Mapping[str, Any]) -> str:
    contents = item.get("contentItems")
    if isinstance(contents, list):
        return " ".join(_str(_mapping(c).get("text")) for c in contents)
    result = _mapping(item.get("result"))
    content = result.get("content")
    if isinstance(content, list):
        return " ".join(_str(_mapping(c).get("text")) for c in content)
    return ""


def _tool_lines(item: Mapping[str, Any]) -> list[Line]:
    call = f"tool {_tool_name(item)}({_cut(_arguments_text(item.get('arguments')), 60)})"
    status = _str(item.get("status"))
    failed = status == "failed" or item.get("success") is False
    if failed:
        error = _str(_mapping(item.get("error")).get("message")) or _tool_result_text(item)
        return [Line(f"{call} -> failed" + (f": {_cut(error, 60)}" if error else ""), "bold red")]
    result = _cut(_tool_result_text(item), TOOL_RESULT_CHARS)
    return [Line(f"{call} -> {result}" if result else call, "bold blue")]


def _approval_question(
    request: str, params: Mapping[str, Any], item: Mapping[str, Any], cwd: str | None
) -> str | None:
    """The question shown for a server request (``None``: not one to show); ``item`` is
    the in-progress item it is about, when known."""
    reason = _str(params.get("reason"))
    because = f" ({reason})" if reason else ""
    if request == "item/commandExecution/requestApproval":
        command = params.get("command")
        if isinstance(command, list):
            command = " ".join(str(c) for c in command)
        return f"approve command: {_first_line(_str(command))}{because}"
    if request == "item/fileChange/requestApproval":
        root = _str(params.get("grantRoot"))
        changes = item.get("changes")
        paths = [
            _display_path(_str(_mapping(change).get("path")), cwd)
            for change in (changes if isinstance(changes, list) else [])
        ]
        what = f"changes to {', '.join(paths)}" if paths else "file changes"
        return f"approve {what}" + (f" (write access to {root})" if root else "") + because
    if request == "item/permissions/requestApproval":
        return f"approve permissions{because}"
    if request == "item/tool/requestUserInput":
        questions = params.get("questions")
        first = _mapping(questions[0]) if isinstance(questions, list) and questions else {}
        return f"question: {_first_line(_str(first.get('question')))}"
    if request == "mcpServer/elicitation/request":
        server = _str(params.get("serverName")) or "an MCP server"
        return f"{server} asks: {_first_line(_str(params.get('message')))}"
    return None


def _answer_text(request: str, answer: Any) -> str:
    answer = _mapping(answer)
    if request == "item/permissions/requestApproval":
        return "granted" if _mapping(answer.get("permissions")) else "nothing granted"
    if request == "item/tool/requestUserInput":
        return "answered" if _mapping(answer.get("answers")) else "no answer"
    decision = answer.get("decision", answer.get("action"))
    if isinstance(decision, Mapping):
        decision = next(iter(decision), "")
    return _str(decision) or "answered"
