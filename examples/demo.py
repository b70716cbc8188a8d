"""The demo: a real Codex turn that reads, edits and runs a small project, shown live.

    nox -s demo                      # against the offline model (no network, no key)
    python examples/demo.py          # the same, in any environment with the SDK installed
    python examples/demo.py --live   # against the real service (run `codex login` first)

The turn works in a temporary directory holding ``greet.py``. ``openai_codex.console``
shows it as it runs: the reasoning summary, each command with its output and exit code,
the file change as a diff, the approval it needs (the sandbox is read-only, so the edit
is asked for and this program accepts file changes, and declines anything else), the
answer as it streams, and the tokens used. On a terminal with the ``[console]`` extra
(``rich``) a spinner shows the elapsed time while the model works; piped, it prints
plain lines.

Offline, the real ``codex`` runtime runs exactly as it would live (sandbox, approvals,
the patch applied to the file); only the model behind it is
``openai_codex.testing.OfflineModel``, a loopback server speaking the Responses API,
scripted here to do what a model would.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _support import LIVE, example_config

from openai_codex import ApprovalMode, Codex, Sandbox, TurnFailedError
from openai_codex.console import render
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.testing import MessageOutput, ReasoningOutput, Reply, Usage

PROMPT = "greet.py only says hello. Make it greet the world, then run it to check."

OFFLINE_REPLIES = (
    Reply.outputs_of(
        [
            ReasoningOutput("Read greet.py first, then change the greeting.", deltas=3),
            MessageOutput("Let me look at greet.py.", phase="commentary"),
            *Reply.shell("cat greet.py", yield_time_ms=2000).outputs,
        ],
        delay=0.05,
    ),
    Reply.apply_patch(
        update={"greet.py": ('print("hello")', 'print("hello, world")')},
        text="I'll change the greeting.",
    ),
    Reply.shell("python3 greet.py", yield_time_ms=5000),
    Reply.text(
        "greet.py now prints `hello, world`; I ran it to check.",
        deltas=12,
        delay=0.04,
        phase="final_answer",
        usage=Usage(input_tokens=2400, output_tokens=60),
    ),
)

# The demo's host policy: file edits inside the project are accepted, commands that ask to
# leave the sandbox are declined.
HANDLERS = ServerRequestHandlers(
    file_change_approval=lambda params: "accept",
    command_approval=lambda params: "decline",
)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="codex-demo-") as directory:
        project = Path(directory)
        (project / "greet.py").write_text('print("hello")\n', encoding="utf-8")
        with example_config(*OFFLINE_REPLIES) as config, Codex(config, handlers=HANDLERS) as codex:
            meta = codex.metadata
            print(f"runtime: codex {meta.runtime_version} ({meta.platform_os})")
            print(f"model:   {'your Codex account (live)' if LIVE else 'offline model (loopback)'}")
            if LIVE:
                account = codex.account()
                if account.account is None and account.requires_openai_auth:
                    print("Not logged in: run `codex login` first (see docs/getting-started.md).")
                    return 1
            thread = codex.thread_start(
                cwd=str(project), sandbox=Sandbox.read_only, approval_mode=ApprovalMode.host
            )
            print(f"thread:  {thread.id}\n")
            try:
                render(thread.turn(PROMPT), cwd=str(project))
            except TurnFailedError:
                return 1  # the renderer has shown the error
            print(f"\ngreet.py is now: {(project / 'greet.py').read_text().strip()}")
            return 0


if __name__ == "__main__":
    sys.exit(main())
