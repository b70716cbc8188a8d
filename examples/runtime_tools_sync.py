"""The runtime's tools from Python (sync): commands, files, typed events, usage, history.

python examples/runtime_tools_sync.py          # offline model
python examples/runtime_tools_sync.py --live   # the real service
"""

from __future__ import annotations

import os

from _support import example_config

from openai_codex import Codex
from openai_codex.events import ItemAgentMessageDeltaEvent
from openai_codex.testing import Reply


def main() -> None:
    here = os.getcwd()
    replies = (Reply.text("Streaming a short answer.", deltas=4), Reply.text("Second turn."))
    with example_config(*replies) as config, Codex(config) as codex:
        # a command on the runtime's host, without a turn
        result = codex.run_command(["sh", "-c", "echo hello from the runtime"], timeout=30)
        print(f"exit {result.returncode}: {result.stdout.strip()}")
        # files on the runtime's host
        notes = os.path.join(here, "notes.txt")
        codex.fs.write_text(notes, "remember the milk\n")
        print("notes.txt:", codex.fs.read_text(notes).strip())
        print("listing:", sorted(e.file_name for e in codex.fs.iterdir(here)))
        # typed events: the delta class narrows the payload
        thread = codex.thread_start()
        deltas = 0
        for ev in thread.turn("Answer briefly.").stream():
            if isinstance(ev, ItemAgentMessageDeltaEvent):
                deltas += 1
                print(ev.payload.delta, end="", flush=True)
        print(f"\n{deltas} deltas")
        second = thread.run("And again.")
        if second.turn_usage is not None and second.thread_usage is not None:
            print(f"turn tokens: {second.turn_usage.total_tokens}")
            print(f"thread tokens: {second.thread_usage.total_tokens}")
        print("turns, newest first:", len(list(thread.turns())))


if __name__ == "__main__":
    main()
