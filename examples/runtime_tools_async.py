"""The runtime's tools from Python (async): a streamed process, a file watch, text_stream.

python examples/runtime_tools_async.py          # offline model
python examples/runtime_tools_async.py --live   # the real service
"""

from __future__ import annotations

import os

import anyio
from _support import example_config

from openai_codex import AsyncCodex
from openai_codex.testing import Reply


async def main() -> None:
    here = os.getcwd()
    with example_config(Reply.text("Text, as it streams.", deltas=3)) as config:
        async with AsyncCodex(config) as codex:
            async with await codex.start_command(["sh", "-c", "cat; echo done >&2"]) as proc:
                await proc.write("typed into stdin\n")
                await proc.close_stdin()
                async for chunk in proc.output():
                    print(f"[{chunk.stream}] {chunk.text.strip()}")
                print("exit", (await proc.wait(timeout=30)).returncode)
            async with await codex.fs.watch(here) as watch:
                await codex.fs.write_text(os.path.join(here, "watched.txt"), "x")
                async for change in watch:
                    print("changed:", [os.path.basename(p) for p in change.changed_paths])
                    break
            thread = await codex.thread_start()
            handle = await thread.turn("Stream something.")
            async for text in handle.text_stream():
                print(text, end="", flush=True)
            print()


if __name__ == "__main__":
    anyio.run(main)
