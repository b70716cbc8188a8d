"""Error handling and retry (sync).

- A turn that fails (the model errored, the stream broke, ...) raises
  ``TurnFailedError`` (also a ``RuntimeError``) with the runtime's error details and
  the partial result. Retrying means running a new turn; decide whether that is safe
  (did the failed turn already run commands or edit files? see ``exc.result.items``).
- A request the runtime rejects raises a ``JsonRpcError`` subclass carrying ``code``,
  ``message`` and ``data``.
- ``retry_on_overload(op)`` retries an operation the runtime refused because it was
  overloaded (``ServerBusyError``), with exponential backoff; other errors pass through.
"""

from __future__ import annotations

from _support import example_config

from openai_codex import Codex, JsonRpcError, TurnFailedError, retry_on_overload
from openai_codex.testing import Reply

# Offline: the first model call fails with HTTP 500; the retry gets the default reply.
OFFLINE_REPLIES = (Reply.error(500, "the model is having a bad day"),)


def main() -> None:
    with example_config(*OFFLINE_REPLIES) as config, Codex(config) as codex:
        thread = retry_on_overload(codex.thread_start, max_attempts=3)

        for attempt in range(1, 4):
            try:
                result = thread.run("Say hello.")
            except TurnFailedError as exc:
                print(f"attempt {attempt} failed: {exc.message} (info: {exc.codex_error_info})")
                did_work = [i.type for i in (exc.result.items if exc.result else [])]
                print(f"  items produced before the failure: {did_work}")
                continue
            print(f"attempt {attempt} succeeded: {result.final_response}")
            break

        try:
            codex.thread_resume("00000000-0000-0000-0000-000000000000")
        except JsonRpcError as exc:
            print(f"thread_resume refused: {type(exc).__name__} code={exc.code}: {exc.message}")


if __name__ == "__main__":
    main()
