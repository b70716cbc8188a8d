"""What a hook function returns: a typed decision (or ``None``: no opinion).

Each decision becomes the runtime's command-hook answer (JSON on stdout, exit 0):

======================  ==========================================================
``Deny(reason)``        ``pre_tool_use``: the call does not run, the model sees
                        ``reason``; ``permission_request``: the approval is denied;
                        ``user_prompt_submit``: the prompt is blocked;
                        ``post_tool_use``: ``reason`` is fed back to the model.
``Allow()``             ``permission_request``: approved without asking;
                        ``pre_tool_use``: runs (``updated_input=`` replaces the
                        tool's arguments; ``context=`` adds a note for the model).
``AddContext(text)``    ``pre_tool_use``, ``post_tool_use``, ``user_prompt_submit``,
                        ``session_start``: ``text`` is added for the model.
``Continue(prompt)``    ``stop``, ``subagent_stop``: the model keeps working on
                        ``prompt`` instead of ending its turn.
``StopTurn(reason)``    ``pre_tool_use``, ``post_tool_use``: the turn ends now (the
                        SDK interrupts it; the model sees ``reason`` as the tool's
                        result).
======================  ==========================================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AddContext",
    "Allow",
    "Continue",
    "Deny",
    "HookDecision",
    "StopTurn",
    "WireAnswer",
    "allowed_decisions",
    "to_wire",
]


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


@dataclass(frozen=True)
class Deny:
    """Refuse: the tool call, the approval or the prompt does not go ahead; the model
    sees ``reason``."""

    reason: str

    def __post_init__(self) -> None:
        _text(self.reason, "Deny.reason")


@dataclass(frozen=True)
class Allow:
    """Let it go ahead. For ``pre_tool_use``, ``updated_input`` replaces the tool's
    arguments (for the shell: ``{"command": "..."}``) and ``context`` adds a note for
    the model; for ``permission_request`` the approval is granted without asking."""

    updated_input: dict[str, Any] | None = None
    context: str | None = None


@dataclass(frozen=True)
class AddContext:
    """Add ``text`` to what the model sees next (a developer note)."""

    text: str

    def __post_init__(self) -> None:
        _text(self.text, "AddContext.text")


@dataclass(frozen=True)
class Continue:
    """For a ``stop`` hook: do not stop yet; the model keeps working on ``prompt``."""

    prompt: str

    def __post_init__(self) -> None:
        _text(self.prompt, "Continue.prompt")


@dataclass(frozen=True)
class StopTurn:
    """For a tool hook: end the turn now. The call's result becomes ``reason`` (a
    ``pre_tool_use`` call does not run) and the SDK interrupts the turn (its status is
    ``interrupted``): runtime 0.163.0 itself only replaces the result and asks the model
    again."""

    reason: str

    def __post_init__(self) -> None:
        _text(self.reason, "StopTurn.reason")


HookDecision = Deny | Allow | AddContext | Continue | StopTurn
"""Any decision a hook function may return (or ``None``: no opinion)."""

_ALLOWED: dict[str, tuple[type, ...]] = {
    "pre_tool_use": (Deny, Allow, AddContext, StopTurn),
    "permission_request": (Deny, Allow),
    "post_tool_use": (Deny, AddContext, StopTurn),
    "user_prompt_submit": (Deny, AddContext),
    "session_start": (AddContext,),
    "stop": (Continue,),
    "subagent_stop": (Continue,),
}


def allowed_decisions(event: str) -> tuple[type, ...]:
    """The decision classes ``event``'s hooks may return (empty: observe only)."""
    return _ALLOWED.get(event, ())


@dataclass(frozen=True)
class WireAnswer:
    """The command hook's answer: exit code, stdout, stderr."""

    exit: int = 0
    stdout: str = ""
    stderr: str = ""

    def to_bytes(self) -> bytes:
        """The relay's framing: ``EXIT STDOUT_BYTES\\n``, stdout, stderr."""
        out, err = self.stdout.encode(), self.stderr.encode()
        return f"{self.exit} {len(out)}\n".encode() + out + err


def _specific(config_name: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"hookEventName": config_name}
    out.update({k: v for k, v in fields.items() if v is not None})
    return {"hookSpecificOutput": out}


def to_wire(event: str, config_name: str, decision: HookDecision | None) -> WireAnswer:
    """The runtime's answer for ``decision`` (already checked against the event)."""
    if decision is None:
        return WireAnswer()
    out: dict[str, Any]
    if event == "pre_tool_use":
        if isinstance(decision, StopTurn):
            decision = Deny(decision.reason)
        if isinstance(decision, Deny):
            out = _specific(
                config_name, permissionDecision="deny", permissionDecisionReason=decision.reason
            )
        elif isinstance(decision, Allow):
            if decision.updated_input is None and decision.context is None:
                return WireAnswer()
            if decision.updated_input is None:
                out = _specific(config_name, additionalContext=decision.context)
            else:
                out = _specific(
                    config_name,
                    permissionDecision="allow",
                    updatedInput=decision.updated_input,
                    additionalContext=decision.context,
                )
        else:
            assert isinstance(decision, AddContext)
            out = _specific(config_name, additionalContext=decision.text)
    elif event == "permission_request":
        if isinstance(decision, Deny):
            verdict = {"behavior": "deny", "message": decision.reason}
        else:
            verdict = {"behavior": "allow"}
        out = _specific(config_name, decision=verdict)
    elif isinstance(decision, Deny):
        out = {"decision": "block", "reason": decision.reason}
    elif isinstance(decision, Continue):
        out = {"decision": "block", "reason": decision.prompt}
    elif isinstance(decision, StopTurn):
        out = {"continue": False, "stopReason": decision.reason, "reason": decision.reason}
    else:
        assert isinstance(decision, AddContext)
        out = _specific(config_name, additionalContext=decision.text)
    return WireAnswer(stdout=json.dumps(out))
