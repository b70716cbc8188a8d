"""Hooks (async): the same as hooks_sync.py with AsyncCodex and async hook functions.

Hook functions may be sync (they run in a worker thread) or async (they run on the
client's event loop, asyncio or trio); the hooks given to ``thread_start(hooks=...)``
apply to that thread only.
"""

from __future__ import annotations

import asyncio

from _support import example_config

from openai_codex import AsyncCodex
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
async def no_deletions(event: PreToolUseInput) -> Deny | None:
    if "rm " in (event.command or ""):
        print(f"hook: denied {event.command!r}")
        return Deny("deleting files is not allowed; move them to ./trash instead")
    return None


@hooks.post_tool_use(matcher="^Bash$")
async def audit(event: PostToolUseInput) -> None:
    print(f"audit: {event.command!r} -> {str(event.tool_response).strip().splitlines()[-1]!r}")


@hooks.user_prompt_submit
async def house_rules(event: UserPromptSubmitInput) -> AddContext:
    return AddContext("House rule: never delete files; explain every command you run.")


@hooks.stop
async def double_check(event: StopInput) -> Continue | None:
    if event.stop_hook_active:
        return None
    print("stop hook: asked the model to double-check")
    return Continue("Before you stop: double-check that nothing was deleted.")


REPLIES = (
    Reply.shell("rm -rf build", yield_time_ms=30_000),
    Reply.shell("echo cleaned", yield_time_ms=30_000),
    Reply.text("Cleaned up without deleting anything."),
    Reply.text("Double-checked: nothing was deleted."),
)


async def main() -> None:
    with example_config(*REPLIES) as config:
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start(hooks=hooks)
            result = await thread.run("Clean up the build directory.")
            print(f"final answer: {result.final_response}")


if __name__ == "__main__":
    asyncio.run(main())
