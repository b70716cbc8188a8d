"""Watch a turn in the terminal: ``openai_codex.console`` (the ``[console]`` extra).

::

    pip install 'openai-codex[console]'

    from openai_codex.console import render

    with Codex() as codex:
        result = render(codex.thread_start().turn("Fix the failing test"))

:func:`render` shows the turn as it runs and returns its ``TurnResult``: the prompt,
reasoning summaries, the agent's text as it streams, each command with its output and
exit code, file changes as diffs, approvals asked and answered, tool calls, and at the end
the status, duration and tokens; while the model works, a spinner with the elapsed time.
On a terminal it draws with ``rich``; when stdout is not a terminal (a pipe, a CI log)
or ``rich`` is not installed it writes the same text as plain lines. ``await
render(async_handle)`` does the same for an ``AsyncTurnHandle``.

:class:`TurnRenderer` is the same display fed one notification at a time, for code that
reads the stream itself.

Importing ``openai_codex`` never imports this module or ``rich``.
"""

from __future__ import annotations

from ._render import TurnRenderer, render

__all__ = ["TurnRenderer", "render"]
