"""The thread config that installs the relay as the runtime's command hooks, trusted.

The runtime (0.163.0) runs a command hook only when it is trusted: managed (system or
MDM requirements), run with ``bypass_hook_trust``, or listed under ``hooks.state`` with a
``trusted_hash`` equal to the hook's current hash. Hooks given in a thread's ``config``
(``thread/start``, ``thread/resume``, ``thread/fork``) form the ``<session-flags>``
layer, whose ``hooks.state`` the runtime also reads. So the SDK sends, per thread, its
relay hooks *and* their trust entries, and trusts nothing else: the user's own
untrusted hooks stay untrusted (``bypass_hook_trust`` would run those too).

The hash is the runtime's ``version_for_toml`` of the hook's normalized identity:
SHA-256 of the compact, key-sorted JSON of ``{"event_name": LABEL, "matcher": M,
"hooks": [{"type": "command", "command": C, "timeout": T, "async": false}]}``
(``matcher`` left out when there is none), written ``sha256:HEX``. A test checks it
against the runtime's own ``hooks/list``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any

from ._events import EVENTS

__all__ = ["SESSION_FLAGS_SOURCE", "RelayHook", "hook_hash", "runtime_timeout", "thread_config"]

SESSION_FLAGS_SOURCE = "/<session-flags>/config.toml"
"""The path the runtime gives the layer of a thread's config overrides (trust keys start so)."""


def runtime_timeout(event: str, deadline: float) -> int:
    """The ``timeout`` (whole seconds) for the runtime: the relay's deadline plus a margin,
    within the event's cap."""
    seconds = math.ceil(deadline) + 2
    cap = EVENTS[event].max_timeout
    return min(seconds, cap) if cap is not None else seconds


def hook_hash(event: str, matcher: str | None, command: str, timeout: int) -> str:
    """The runtime's trust hash of one command hook (see the module docstring)."""
    identity: dict[str, Any] = {
        "event_name": event,
        "hooks": [{"type": "command", "command": command, "timeout": timeout, "async": False}],
    }
    if matcher is not None:
        identity["matcher"] = matcher
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class RelayHook:
    """One relay command hook for the runtime: event, matcher, command line, timeout."""

    __slots__ = ("command", "event", "matcher", "timeout")

    def __init__(self, event: str, matcher: str | None, command: str, timeout: int) -> None:
        self.event = event
        self.matcher = matcher
        self.command = command
        self.timeout = timeout


def thread_config(hooks: Sequence[RelayHook], config: dict[str, Any] | None) -> dict[str, Any]:
    """``config`` (a thread's overrides, not modified) plus ``hooks`` and their trust
    entries; hooks already in ``config["hooks"]`` keep their places before ours."""
    merged: dict[str, Any] = copy.deepcopy(config) if config else {}
    section = merged.get("hooks")
    if section is None:
        section = merged["hooks"] = {}
    elif not isinstance(section, dict):
        raise TypeError(f'config["hooks"] must be a mapping; got {section!r}')
    state = section.get("state")
    if state is None:
        state = section["state"] = {}
    elif not isinstance(state, dict):
        raise TypeError(f'config["hooks"]["state"] must be a mapping; got {state!r}')
    for hook in hooks:
        spec = EVENTS[hook.event]
        groups = section.setdefault(spec.config_name, [])
        if not isinstance(groups, list):
            raise TypeError(f'config["hooks"][{spec.config_name!r}] must be a list')
        group: dict[str, Any] = {
            "hooks": [{"type": "command", "command": hook.command, "timeout": hook.timeout}]
        }
        if hook.matcher is not None:
            group["matcher"] = hook.matcher
        key = f"{SESSION_FLAGS_SOURCE}:{spec.name}:{len(groups)}:0"
        groups.append(group)
        state[key] = {
            "enabled": True,
            "trusted_hash": hook_hash(spec.name, hook.matcher, hook.command, hook.timeout),
        }
    return merged
