"""Quickstart (sync): start Codex, open a thread, run one turn, print the answer.

python examples/quickstart_sync.py          # offline model
python examples/quickstart_sync.py --live   # the real service
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex


def main() -> None:
    with example_config() as config, Codex(config) as codex:
        thread = codex.thread_start()
        result = thread.run("Say hello in one short sentence.")
        print(result.final_response)
        print(f"turn {result.id}: {result.status}, {len(result.items)} items")
        if result.usage is not None:
            print(f"tokens used: {result.usage.last.total_tokens}")


if __name__ == "__main__":
    main()
