"""Hooks (sync): Python functions that guard, inform and steer the agent's loop.

- ``pre_tool_use`` refuses dangerous shell commands (the command never runs; the model
  is told why);
- ``post_tool_use`` audits every shell command and its output;
- ``user_prompt_submit`` adds context the model receives with the prompt;
- ``stop`` asks the model to go on once before it ends its turn.

The runtime calls these through a small relay that reaches back to this process over a
private Unix socket; see docs/hooks.md.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex
from openai_codex.hooks import (
    AddContext,
    Continue,
    Deny,
    Hooks,
    PostToolUseInput,
    PreToolUseInput,
    StopInput,
    UserPromptSubmitInput,
)
from openai_codex.testing import Reply

hooks = Hooks()


@hooks.pre_tool_use(matcher="^Bash$")
def no_deletions(event: PreToolUseInput) -> Deny | None:
    if "rm " in (event.command or ""):
        print(f"hook: denied {event.command!r}")
        return Deny("deleting files is not allowed; move them to ./trash instead")
    return None


@hooks.post_tool_use(matcher="^Bash$")
def audit(event: PostToolUseInput) -> None:
    print(f"audit: {event.command!r} -> {str(event.tool_response).strip().splitlines()[-1]!r}")


@hooks.user_prompt_submit
def house_rules(event: UserPromptSubmitInput) -> AddContext:
    return AddContext("House rule: never delete files; explain every command you run.")


@hooks.stop
def double_check(event: StopInput) -> Continue | None:
    if event.stop_hook_active:
        return None  # it already went on once
    print("stop hook: asked the model to double-check")
    return Continue("Before you stop: double-check that nothing was deleted.")


REPLIES = (
    Reply.shell("rm -rf build", yield_time_ms=30_000),
    Reply.shell("echo cleaned", yield_time_ms=30_000),
    Reply.text("Cleaned up without deleting anything."),
    Reply.text("Double-checked: nothing was deleted."),
)


def main() -> None:
    with example_config(*REPLIES) as config, Codex(config, hooks=hooks) as codex:
        result = codex.thread_start().run("Clean up the build directory.")
        print(f"final answer: {result.final_response}")


if __name__ == "__main__":
    main()
