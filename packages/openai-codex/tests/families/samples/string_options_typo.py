"""Must NOT type-check: a string that is not a value of the option's enum."""

from __future__ import annotations

from openai_codex import Codex


def typo(codex: Codex) -> None:
    codex.thread_start().run("q", effort="hihg")  # BAD-EFFORT-LINE
