"""Scripted replies of the offline model: what one ``POST /v1/responses`` answers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

__all__ = [
    "FunctionCallOutput",
    "MessageOutput",
    "Output",
    "ReasoningOutput",
    "Reply",
    "Usage",
]

MessagePhase = Literal["commentary", "final_answer"]
#: The statuses the runtime's ``update_goal`` tool accepts from a model.
GoalToolStatus = Literal["complete", "blocked", "paused"]
_GOAL_TOOL_STATUSES: tuple[str, ...] = get_args(GoalToolStatus)


@dataclass(frozen=True)
class Usage:
    """Token usage reported in ``response.completed`` (becomes ``thread/tokenUsage/updated``)."""

    input_tokens: int = 10
    output_tokens: int = 5
    cached_input_tokens: int = 0
    reasoning_output_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def to_wire(self) -> dict[str, Any]:
        """The Responses API ``usage`` object."""
        return {
            "input_tokens": self.input_tokens,
            "input_tokens_details": {"cached_tokens": self.cached_input_tokens},
            "output_tokens": self.output_tokens,
            "output_tokens_details": {"reasoning_tokens": self.reasoning_output_tokens},
            "total_tokens": self.total_tokens,
        }


@dataclass(frozen=True)
class MessageOutput:
    """An assistant message (``agentMessage`` item), streamed as ``deltas`` text deltas."""

    text: str
    deltas: int = 1
    phase: MessagePhase | None = None

    def __post_init__(self) -> None:
        _check_str(self.text, "MessageOutput text")
        _check_deltas(self.deltas)


@dataclass(frozen=True)
class ReasoningOutput:
    """A reasoning item with one summary part (``reasoning`` item, summary text deltas)."""

    summary: str
    deltas: int = 1

    def __post_init__(self) -> None:
        _check_str(self.summary, "ReasoningOutput summary")
        _check_deltas(self.deltas)


@dataclass(frozen=True)
class FunctionCallOutput:
    """A function (tool) call the runtime executes, then sends its output in the next request."""

    name: str
    arguments: str
    call_id: str | None = None
    namespace: str | None = None  # how the runtime addresses MCP tools (the server's name)

    def __post_init__(self) -> None:
        _check_str(self.name, "FunctionCallOutput name")
        _check_str(self.arguments, "FunctionCallOutput arguments (a JSON string)")


Output = MessageOutput | ReasoningOutput | FunctionCallOutput

ReplyKind = Literal["outputs", "http_error", "failed", "hang", "cut_short"]
_REPLY_KINDS = frozenset(get_args(ReplyKind))


@dataclass(frozen=True)
class Reply:
    """One scripted answer to one model request.

    Build replies with the class methods (:meth:`text`, :meth:`function_call`,
    :meth:`reasoning`, :meth:`outputs`, :meth:`error`, :meth:`failed`, :meth:`hang`,
    :meth:`cut_short`) and queue them with ``OfflineModel.enqueue``.
    ``delay`` (seconds) is waited before each server-sent event, so a turn can be
    watched streaming, steered or interrupted while it runs.
    """

    kind: ReplyKind
    outputs: tuple[Output, ...] = ()
    usage: Usage | None = None
    delay: float = 0.0
    status: int = 200
    error_message: str = ""
    error_code: str | None = None
    error_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    abort: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _REPLY_KINDS:
            raise ValueError(
                f"unknown Reply kind {self.kind!r}; build replies with Reply.text(), "
                "Reply.error(), Reply.hang() and the other class methods"
            )
        for output in self.outputs:
            if not isinstance(output, (MessageOutput, ReasoningOutput, FunctionCallOutput)):
                raise TypeError(
                    "Reply outputs must be MessageOutput, ReasoningOutput or "
                    f"FunctionCallOutput; got {type(output).__name__}"
                )
        if self.usage is not None and not isinstance(self.usage, Usage):
            raise TypeError(f"usage must be a Usage; got {type(self.usage).__name__}")
        if isinstance(self.delay, bool) or not isinstance(self.delay, (int, float)):
            raise TypeError(f"delay must be a number of seconds; got {self.delay!r}")
        if self.delay < 0:
            raise ValueError(f"delay must be >= 0 seconds; got {self.delay!r}")
        if self.kind == "http_error" and not 400 <= self.status <= 599:
            raise ValueError(f"Reply.error status must be 400-599; got {self.status!r}")

    # -- successful responses -------------------------------------------------------------

    @classmethod
    def text(
        cls,
        text: str,
        *,
        deltas: int = 1,
        phase: MessagePhase | None = None,
        reasoning: str | None = None,
        usage: Usage | None = None,
        delay: float = 0.0,
    ) -> Reply:
        """An assistant message ``text``, sent as ``deltas`` ``response.output_text.delta`` events.

        ``phase`` (``"commentary"`` or ``"final_answer"``) is passed through to the item;
        ``reasoning`` adds a reasoning item (with that summary) before the message.
        """
        outputs: list[Output] = []
        if reasoning is not None:
            outputs.append(ReasoningOutput(reasoning))
        outputs.append(MessageOutput(text, deltas=deltas, phase=phase))
        return cls.outputs_of(outputs, usage=usage, delay=delay)

    @classmethod
    def reasoning(cls, summary: str, *, deltas: int = 1, then: str | None = None) -> Reply:
        """A reasoning item (summary streamed in ``deltas`` parts), optionally then a message."""
        outputs: list[Output] = [ReasoningOutput(summary, deltas=deltas)]
        if then is not None:
            outputs.append(MessageOutput(then))
        return cls.outputs_of(outputs)

    @classmethod
    def update_goal(
        cls,
        status: GoalToolStatus = "complete",
        *,
        text: str | None = None,
        call_id: str | None = None,
        usage: Usage | None = None,
        delay: float = 0.0,
    ) -> Reply:
        """A call of the runtime's goal tool ``update_goal`` with ``{"status": status}``.

        This is how a model ends a goal's work: ``"complete"`` (the objective is
        achieved), ``"blocked"`` or ``"paused"``. The runtime records the status (a
        ``thread/goal/updated`` notification), answers the call and asks the model again
        in the same turn (queue that reply too, or let the default answer it); with the
        goal no longer active it starts no follow-up turn. ``text`` adds a commentary
        message before the call.
        """
        if status not in _GOAL_TOOL_STATUSES:
            raise ValueError(
                f"update_goal status must be one of {', '.join(_GOAL_TOOL_STATUSES)} (the "
                f"runtime's tool accepts no other); got {status!r}"
            )
        return cls.function_call(
            "update_goal", {"status": status}, call_id=call_id, text=text, usage=usage, delay=delay
        )

    @classmethod
    def function_call(
        cls,
        name: str,
        arguments: Mapping[str, Any] | str,
        *,
        call_id: str | None = None,
        namespace: str | None = None,
        text: str | None = None,
        usage: Usage | None = None,
        delay: float = 0.0,
    ) -> Reply:
        """A call of the runtime tool ``name`` with ``arguments`` (a dict or a JSON string).

        ``namespace`` addresses a tool inside a namespace (MCP tools are in their server's).

        The runtime runs the tool and sends a new request whose input ends with a
        ``function_call_output`` for ``call_id``; queue the reply to that request too (or let
        the default answer it). ``text`` adds a commentary message before the call.
        """
        args = arguments if isinstance(arguments, str) else json.dumps(dict(arguments))
        outputs: list[Output] = []
        if text is not None:
            outputs.append(MessageOutput(text, phase="commentary"))
        outputs.append(FunctionCallOutput(name, args, call_id, namespace))
        return cls.outputs_of(outputs, usage=usage, delay=delay)

    @classmethod
    def shell(
        cls,
        command: str,
        *,
        call_id: str | None = None,
        workdir: str | None = None,
        escalated: bool = False,
        justification: str = "The offline model asks to run this outside the sandbox.",
        login: bool = False,
        yield_time_ms: int | None = None,
        usage: Usage | None = None,
    ) -> Reply:
        """A call of the runtime's shell tool (``exec_command``) running ``command``.

        ``escalated=True`` asks to run it outside the sandbox (``sandbox_permissions:
        "require_escalated"``), which makes the runtime request an approval (with
        ``ApprovalMode.host`` it reaches your ``command_approval`` handler).

        ``login=False`` (the default here; the runtime's own default is a login shell)
        runs the command without sourcing the host's shell profile, so tests do not depend
        on the machine. ``yield_time_ms`` is how long the runtime waits for output before
        answering the model (the runtime's default is 10000 ms; range 250-30000).
        ``usage`` sets the tokens this reply reports (``thread/tokenUsage/updated``).

        The runtime's hooks see the call as tool ``"Bash"`` with ``{"command": command}``
        (``pre_tool_use``/``post_tool_use``; see ``openai_codex.hooks``).
        """
        _check_str(command, "Reply.shell command")
        arguments: dict[str, Any] = {"cmd": command, "login": bool(login)}
        if workdir is not None:
            arguments["workdir"] = workdir
        if yield_time_ms is not None:
            if isinstance(yield_time_ms, bool) or not isinstance(yield_time_ms, int):
                raise TypeError(
                    f"yield_time_ms must be an int (milliseconds); got {yield_time_ms!r}"
                )
            if yield_time_ms <= 0:
                raise ValueError(f"yield_time_ms must be > 0; got {yield_time_ms!r}")
            arguments["yield_time_ms"] = yield_time_ms
        if escalated:
            arguments["sandbox_permissions"] = "require_escalated"
            arguments["justification"] = justification
        return cls.function_call("exec_command", arguments, call_id=call_id, usage=usage)

    @classmethod
    def apply_patch(
        cls,
        patch: str | None = None,
        *,
        add: Mapping[str, str] | None = None,
        update: Mapping[str, tuple[str, str]] | None = None,
        delete: Sequence[str] = (),
        workdir: str | None = None,
        call_id: str | None = None,
        text: str | None = None,
    ) -> Reply:
        """A file change the runtime applies: its ``apply_patch`` command, as a model sends it.

        Give either ``patch``, the text in the runtime's patch format (``*** Begin Patch``
        ... ``*** End Patch``; the markers are added when missing), or the changes:
        ``add`` maps new paths to their content, ``update`` maps a path to ``(old, new)``
        (the lines of ``old``, which must occur in the file, are replaced by ``new``),
        ``delete`` lists paths to remove. Paths are relative to ``workdir`` (default: the
        turn's working directory).

        The runtime reports a ``fileChange`` item with the diff and, when the sandbox does
        not allow the write (``Sandbox.read_only``), asks for approval first
        (``file_change_approval`` with ``ApprovalMode.host``). The call is sent through the
        shell tool ``exec_command`` (``apply_patch <<'EOF' ... EOF``): the runtime recognises
        that shape and applies the patch itself; ``Reply.function_call("apply_patch", ...)``
        is not a tool this runtime offers.
        """
        body = _patch_body(patch, add=add, update=update, delete=delete)
        # every line of a patch starts with "*** ", "@@", "+", "-" or " ": never a bare EOF
        command = f"apply_patch <<'EOF'\n{body}\nEOF\n"
        arguments: dict[str, Any] = {"cmd": command, "login": False}
        if workdir is not None:
            arguments["workdir"] = workdir
        return cls.function_call("exec_command", arguments, call_id=call_id, text=text)

    @classmethod
    def outputs_of(
        cls, outputs: Sequence[Output], *, usage: Usage | None = None, delay: float = 0.0
    ) -> Reply:
        """Any sequence of output items (messages, reasoning, function calls), in order."""
        return cls(kind="outputs", outputs=tuple(outputs), usage=usage, delay=delay)

    def with_headers(self, headers: Mapping[str, str]) -> Reply:
        """This reply with extra HTTP response headers, e.g. the rate-limit headers the
        runtime reports as ``account/rateLimits/updated`` events::

            Reply.text("hi").with_headers({"x-codex-primary-used-percent": "42",
                                           "x-codex-primary-window-minutes": "300"})
        """
        extra = []
        for name, value in dict(headers).items():
            _check_str(name, "a header name")
            _check_str(value, f"the value of header {name!r}")
            if not name or any(c in name + value for c in "\r\n"):
                raise ValueError(f"header {name!r}: names and values cannot hold line breaks")
            extra.append((name, value))
        return replace(self, headers=self.headers + tuple(extra))

    # -- failures ----------------------------------------------------------------------

    @classmethod
    def error(
        cls,
        status: int = 500,
        message: str = "offline model: scripted error",
        *,
        code: str | None = None,
        type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An HTTP error status with an OpenAI-style JSON error body (no event stream).

        ``type`` defaults to ``server_error`` for 5xx and ``invalid_request_error`` otherwise.
        With retries off, the runtime fails the turn at once; it reports 5xx as
        ``internalServerError``, 429 as ``responseTooManyFailedAttempts``, other 4xx with the
        status and body in the message.
        """
        return cls(
            kind="http_error",
            status=status,
            error_message=message,
            error_code=code,
            error_type=type,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def failed(
        cls, message: str = "offline model: scripted failure", *, code: str = "server_error"
    ) -> Reply:
        """A stream that starts, then reports ``response.failed`` with this error."""
        return cls(kind="failed", error_message=message, error_code=code)

    @classmethod
    def hang(cls, *, partial_text: str | None = None, deltas: int = 1) -> Reply:
        """A stream that starts (optionally streams ``partial_text``), then sends nothing more.

        The turn stays in progress until it is interrupted, the model's
        ``release_hangs()`` is called, or the model closes; the connection is then dropped.
        """
        outputs: tuple[Output, ...] = ()
        if partial_text is not None:
            outputs = (MessageOutput(partial_text, deltas=deltas),)
        return cls(kind="hang", outputs=outputs)

    @classmethod
    def cut_short(
        cls, *, partial_text: str | None = None, deltas: int = 1, abort: bool = False
    ) -> Reply:
        """A stream that ends before ``response.completed``.

        With ``partial_text`` some text deltas are streamed first. By default the HTTP body
        ends cleanly (the runtime reports "stream closed before response.completed");
        ``abort=True`` drops the connection mid-body instead.
        """
        outputs: tuple[Output, ...] = ()
        if partial_text is not None:
            outputs = (MessageOutput(partial_text, deltas=deltas),)
        return cls(kind="cut_short", outputs=outputs, abort=abort)


_BEGIN_PATCH = "*** Begin Patch"
_END_PATCH = "*** End Patch"


def _patch_body(
    patch: str | None,
    *,
    add: Mapping[str, str] | None,
    update: Mapping[str, tuple[str, str]] | None,
    delete: Sequence[str],
) -> str:
    """The apply_patch text (``*** Begin Patch`` ... ``*** End Patch``) for ``Reply.apply_patch``."""
    changes = bool(add) or bool(update) or bool(delete)
    if patch is not None:
        _check_str(patch, "Reply.apply_patch patch")
        if changes:
            raise ValueError("Reply.apply_patch: give either patch text or add/update/delete")
        body = patch.strip("\n")
        if not body.startswith(_BEGIN_PATCH):
            body = f"{_BEGIN_PATCH}\n{body}"
        if not body.endswith(_END_PATCH):
            body = f"{body}\n{_END_PATCH}"
        return body
    if not changes:
        raise ValueError("Reply.apply_patch needs patch text or at least one add/update/delete")
    if isinstance(delete, str):
        raise TypeError("Reply.apply_patch delete= must be a list of paths, not one string")
    lines = [_BEGIN_PATCH]
    for path, content in (add or {}).items():
        _check_str(path, "Reply.apply_patch add path")
        _check_str(content, f"Reply.apply_patch add content of {path}")
        lines.append(f"*** Add File: {path}")
        lines += [f"+{line}" for line in content.splitlines()]
    for path, pair in (update or {}).items():
        _check_str(path, "Reply.apply_patch update path")
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Reply.apply_patch update[{path!r}] must be a tuple (old, new)")
        old, new = pair
        _check_str(old, f"Reply.apply_patch old text of {path}")
        _check_str(new, f"Reply.apply_patch new text of {path}")
        if not old.strip("\n"):
            raise ValueError(f"Reply.apply_patch update[{path!r}]: the old text is empty")
        lines += [f"*** Update File: {path}", "@@"]
        lines += [f"-{line}" for line in old.splitlines()]
        lines += [f"+{line}" for line in new.splitlines()]
    for path in delete:
        _check_str(path, "Reply.apply_patch delete path")
        lines.append(f"*** Delete File: {path}")
    lines.append(_END_PATCH)
    return "\n".join(lines)


def _check_str(value: object, what: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str; got {type(value).__name__}: {value!r:.80}")


def _check_deltas(deltas: object) -> None:
    if isinstance(deltas, bool) or not isinstance(deltas, int):
        raise TypeError(f"deltas must be an int (how many delta events); got {deltas!r}")


def split_text(text: str, parts: int) -> list[str]:
    """Split ``text`` into ``parts`` contiguous non-empty chunks (fewer if the text is short)."""
    if not text:
        return []
    parts = max(1, min(parts, len(text)))
    size, rest = divmod(len(text), parts)
    chunks: list[str] = []
    start = 0
    for index in range(parts):
        end = start + size + (1 if index < rest else 0)
        chunks.append(text[start:end])
        start = end
    return chunks
