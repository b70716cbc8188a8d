"""The runtime's hook events: their Python name, config name, input class and limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._inputs import (
    CompactInput,
    HookInput,
    PermissionRequestInput,
    PostToolUseInput,
    PreToolUseInput,
    SessionEndInput,
    SessionStartInput,
    StopInput,
    UserPromptSubmitInput,
)

__all__ = ["EVENTS", "HookEventArg", "EventSpec", "event_spec"]

HookEventArg = Literal[
    "pre_tool_use",
    "permission_request",
    "post_tool_use",
    "pre_compact",
    "post_compact",
    "session_start",
    "session_end",
    "user_prompt_submit",
    "subagent_start",
    "subagent_stop",
    "stop",
    "interrupt",
]
"""A hook event by its Python name (``HookEventName``'s member names)."""


@dataclass(frozen=True)
class EventSpec:
    """One hook event as the runtime knows it."""

    name: str
    """The Python name (``"pre_tool_use"``); also the runtime's trust-key label."""
    config_name: str
    """The key under ``[hooks]`` in the runtime's config (``"PreToolUse"``)."""
    input_class: type[HookInput]
    blocking: bool
    """Its hooks guard something: a failure answers a denial (fail closed)."""
    takes_matcher: bool
    """Its hooks may have a matcher (the runtime ignores it for the others)."""
    max_timeout: int | None = None
    """The runtime clamps its hooks' timeout to this many seconds."""


def _spec(
    name: str,
    config_name: str,
    input_class: type[HookInput] = HookInput,
    *,
    blocking: bool = False,
    matcher: bool = True,
    max_timeout: int | None = None,
) -> EventSpec:
    return EventSpec(name, config_name, input_class, blocking, matcher, max_timeout)


EVENTS: dict[str, EventSpec] = {
    s.name: s
    for s in (
        _spec("pre_tool_use", "PreToolUse", PreToolUseInput, blocking=True),
        _spec("permission_request", "PermissionRequest", PermissionRequestInput, blocking=True),
        _spec("post_tool_use", "PostToolUse", PostToolUseInput),
        _spec("pre_compact", "PreCompact", CompactInput),
        _spec("post_compact", "PostCompact", CompactInput),
        _spec("session_start", "SessionStart", SessionStartInput),
        _spec("session_end", "SessionEnd", SessionEndInput, max_timeout=3),
        _spec(
            "user_prompt_submit",
            "UserPromptSubmit",
            UserPromptSubmitInput,
            blocking=True,
            matcher=False,
        ),
        _spec("subagent_start", "SubagentStart"),
        _spec("subagent_stop", "SubagentStop", StopInput),
        _spec("stop", "Stop", StopInput, matcher=False),
        _spec("interrupt", "Interrupt", matcher=False, max_timeout=3),
    )
}
"""Every event of the runtime's ``HookEventName``, by Python name."""

_BY_WIRE = {
    "".join(part.title() if i else part for i, part in enumerate(name.split("_"))): name
    for name in EVENTS
}


def event_spec(event: str) -> EventSpec:
    """The event ``event`` names: a Python name (``"pre_tool_use"``), a wire name
    (``"preToolUse"``, a ``HookEventName``) or a config name (``"PreToolUse"``)."""
    value = getattr(event, "value", event)
    if isinstance(value, str):
        spec = EVENTS.get(value) or EVENTS.get(_BY_WIRE.get(value, ""))
        if spec is None:
            spec = next((s for s in EVENTS.values() if s.config_name == value), None)
        if spec is not None:
            return spec
    raise ValueError(f"unknown hook event {event!r}; expected one of: {', '.join(EVENTS)}")
