"""What a hook function is given: one typed input per hook event.

The runtime sends each command hook the event as JSON on stdin (a Claude-Code-style
contract: ``session_id``, ``turn_id``, ``cwd``, ``hook_event_name``, ``model``,
``permission_mode``, ``transcript_path`` and the event's own fields). These classes
are that payload in Python: ``thread_id`` is the ``session_id`` (the runtime's session
is the thread), every input keeps the whole payload in ``raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "CompactInput",
    "HookInput",
    "PermissionRequestInput",
    "PostToolUseInput",
    "PreToolUseInput",
    "SessionEndInput",
    "SessionStartInput",
    "StopInput",
    "UserPromptSubmitInput",
]


def _str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _dict(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True)
class HookInput:
    """The fields every hook event carries (and, in ``raw``, everything the runtime sent)."""

    event: ClassVar[str] = ""
    """The hook event, as registered (``"pre_tool_use"``, ``"stop"``, ...)."""

    thread_id: str
    """The thread (the runtime's ``session_id``)."""
    turn_id: str | None
    """The running turn (``None`` for events outside a turn)."""
    cwd: str
    """The thread's working directory."""
    model: str | None
    """The model slug of the thread."""
    permission_mode: str | None
    """The runtime's permission mode (``"default"``, ``"bypassPermissions"``, ...)."""
    transcript_path: str | None
    """The thread's rollout file, when it has one."""
    raw: dict[str, Any] = field(repr=False, compare=False)
    """The payload exactly as the runtime sent it."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {
            "thread_id": _str(raw, "session_id") or "",
            "turn_id": _str(raw, "turn_id"),
            "cwd": _str(raw, "cwd") or "",
            "model": _str(raw, "model"),
            "permission_mode": _str(raw, "permission_mode"),
            "transcript_path": _str(raw, "transcript_path"),
            "raw": raw,
        }

    @classmethod
    def from_payload(cls, raw: dict[str, Any]) -> HookInput:
        """The input of this class from the runtime's JSON payload."""
        return cls(**cls._fields_from(raw))


@dataclass(frozen=True)
class _ToolInput(HookInput):
    tool_name: str = ""
    """The tool as the runtime names it to hooks: ``"Bash"`` for the shell,
    ``"apply_patch"`` for file edits, ``"mcp__SERVER__TOOL"`` for MCP tools."""
    tool_input: dict[str, Any] = field(default_factory=dict)
    """The tool's arguments (for the shell and ``apply_patch``: ``{"command": ...}``)."""

    @property
    def command(self) -> str | None:
        """The shell command (or the patch, for ``apply_patch``), when there is one."""
        return _str(self.tool_input, "command")

    @property
    def patch(self) -> str | None:
        """The patch of a file edit, else ``None``: the ``apply_patch`` tool's input, or
        the patch of an ``apply_patch <<'EOF'`` command sent through the shell (how models
        without the ``apply_patch`` tool edit files; the runtime then names the tool
        ``"Bash"``)."""
        command = self.command
        if command is None:
            return None
        if self.tool_name == "apply_patch":
            return command
        if not command.lstrip().startswith(("apply_patch", "applypatch")):
            return None
        start = command.find("*** Begin Patch")
        if start < 0:
            return None
        end = command.find("*** End Patch", start)
        return command[start:] if end < 0 else command[start : end + len("*** End Patch")] + "\n"

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {
            **super()._fields_from(raw),
            "tool_name": _str(raw, "tool_name") or "",
            "tool_input": _dict(raw, "tool_input"),
        }


@dataclass(frozen=True)
class PreToolUseInput(_ToolInput):
    """``pre_tool_use``: a tool call about to run. Decide ``Deny``, ``Allow(updated_input=)``,
    ``AddContext``, ``StopTurn`` or ``None``."""

    event: ClassVar[str] = "pre_tool_use"
    tool_use_id: str = ""
    """The model's id of this tool call (the same in ``post_tool_use``)."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {**super()._fields_from(raw), "tool_use_id": _str(raw, "tool_use_id") or ""}


@dataclass(frozen=True)
class PermissionRequestInput(_ToolInput):
    """``permission_request``: the runtime is about to ask for an approval. Decide ``Allow``,
    ``Deny`` or ``None`` (the approval request goes ahead)."""

    event: ClassVar[str] = "permission_request"
    description: str | None = None
    """Why the model asks (its justification), when it gave one."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        fields = super()._fields_from(raw)
        return {**fields, "description": _str(fields["tool_input"], "description")}


@dataclass(frozen=True)
class PostToolUseInput(_ToolInput):
    """``post_tool_use``: a tool call finished. Decide ``Deny`` (``reason`` is fed back to
    the model besides the output), ``AddContext``, ``StopTurn`` or ``None``."""

    event: ClassVar[str] = "post_tool_use"
    tool_use_id: str = ""
    """The model's id of this tool call."""
    tool_response: Any = None
    """What the tool returned (for the shell: its output text)."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {
            **super()._fields_from(raw),
            "tool_use_id": _str(raw, "tool_use_id") or "",
            "tool_response": raw.get("tool_response"),
        }


@dataclass(frozen=True)
class SessionStartInput(HookInput):
    """``session_start``: a thread starts working (its first turn after start or resume).
    Decide ``AddContext`` or ``None``."""

    event: ClassVar[str] = "session_start"
    source: str = ""
    """Why: ``"startup"``, ``"resume"``, ``"clear"``..."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {**super()._fields_from(raw), "source": _str(raw, "source") or ""}


@dataclass(frozen=True)
class UserPromptSubmitInput(HookInput):
    """``user_prompt_submit``: a prompt is about to reach the model. Decide ``Deny``
    (the turn does not run), ``AddContext`` or ``None``."""

    event: ClassVar[str] = "user_prompt_submit"
    prompt: str = ""
    """The user's prompt text."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {**super()._fields_from(raw), "prompt": _str(raw, "prompt") or ""}


@dataclass(frozen=True)
class StopInput(HookInput):
    """``stop`` (and ``subagent_stop``): the model is about to end its turn. Decide
    ``Continue(prompt)`` (the model keeps working on ``prompt``) or ``None``."""

    event: ClassVar[str] = "stop"
    stop_hook_active: bool = False
    """``True`` when the turn already continued because of a stop hook."""
    last_assistant_message: str | None = None
    """The model's last message."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {
            **super()._fields_from(raw),
            "stop_hook_active": raw.get("stop_hook_active") is True,
            "last_assistant_message": _str(raw, "last_assistant_message"),
        }


@dataclass(frozen=True)
class CompactInput(HookInput):
    """``pre_compact`` / ``post_compact``: the thread's history is (was) compacted.
    Observe only."""

    event: ClassVar[str] = "pre_compact"
    trigger: str = ""
    """What asked for it: ``"manual"`` (``thread.compact()``) or ``"auto"``."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {**super()._fields_from(raw), "trigger": _str(raw, "trigger") or ""}


@dataclass(frozen=True)
class SessionEndInput(HookInput):
    """``session_end``: the thread's session ends (the runtime allows such hooks 3 s).
    Observe only."""

    event: ClassVar[str] = "session_end"
    reason: str = ""
    """Why it ended, as the runtime says."""

    @classmethod
    def _fields_from(cls, raw: dict[str, Any]) -> dict[str, Any]:
        return {**super()._fields_from(raw), "reason": _str(raw, "reason") or ""}
