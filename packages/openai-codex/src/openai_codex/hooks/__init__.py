"""Hooks as Python functions: policy, context and control at every point of the agent's loop.

Register functions on a :class:`Hooks` set and give it to a client or a thread::

    from openai_codex import Codex
    from openai_codex.hooks import Deny, Hooks, PreToolUseInput

    hooks = Hooks()

    @hooks.pre_tool_use(matcher="Bash")
    def no_rm(event: PreToolUseInput) -> Deny | None:
        if "rm -rf" in (event.command or ""):
            return Deny("rm -rf is not allowed here")
        return None

    with Codex(hooks=hooks) as codex:  # or codex.thread_start(hooks=hooks)
        codex.thread_start().run("clean up the build directory")

The runtime runs a small relay for each matching event; it reaches back to this client
over a private Unix socket (a directory only your user can enter, a random token), waits
for the function's decision under a deadline and fails closed (denies) when the client
cannot answer. See docs/hooks.md.
"""

from ._decisions import AddContext, Allow, Continue, Deny, HookDecision, StopTurn
from ._events import HookEventArg
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
from ._registry import DEFAULT_TIMEOUT, HookFunction, HookRegistration, Hooks

__all__ = [
    "DEFAULT_TIMEOUT",
    "AddContext",
    "CompactInput",
    "Allow",
    "Continue",
    "Deny",
    "HookDecision",
    "HookEventArg",
    "HookFunction",
    "HookInput",
    "HookRegistration",
    "Hooks",
    "PermissionRequestInput",
    "PostToolUseInput",
    "PreToolUseInput",
    "SessionEndInput",
    "SessionStartInput",
    "StopInput",
    "StopTurn",
    "UserPromptSubmitInput",
]
