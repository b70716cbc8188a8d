"""The check that keeps credentials out of a store: a rollout is scanned before it is saved
(about 10 ms per MB: each kind's literal prefix is found first, the pattern checked there).

Only credential-shaped values are looked for (an ``sk-`` API key, a GitHub token, a JWT,
a bearer token), not words such as ``token`` that code and prose use all the time. The
runtime never writes its login into a rollout; this catches a secret that was typed into
the conversation or printed by a command.
"""

from __future__ import annotations

import re

from ._errors import RolloutSecretError

__all__ = ["check_no_secrets"]

# (literal that starts it, offset of the literal in the match, pattern, what it is): the
# literal is found with bytes.find (fast), the pattern checked only there.
_CREDENTIALS = (
    (b"sk-", 0, re.compile(rb"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"), "api key"),
    (b"_", 3, re.compile(rb"gh[pousr]_[A-Za-z0-9]{30,}"), "github token"),
    (b"github_pat_", 0, re.compile(rb"github_pat_[A-Za-z0-9_]{30,}"), "github token"),
    (
        b"eyJ",
        0,
        re.compile(rb"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
        "jwt",
    ),
    (b"earer", 1, re.compile(rb"[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*"), "bearer token"),
)
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _first(data: bytes, start: int) -> tuple[int, str] | None:
    """Where the first credential-shaped value starts in ``data[start:]``, and its kind."""
    found: tuple[int, str] | None = None
    for literal, back, pattern, kind in _CREDENTIALS:
        at = data.find(literal, start)
        while at != -1 and (found is None or at - back < found[0]):
            begin = at - back
            boundary = begin == 0 or data[begin - 1] not in _WORD
            if begin >= start and boundary and pattern.match(data, begin):
                found = (begin, kind)
                break
            at = data.find(literal, at + 1)
    return found


def check_no_secrets(thread_id: str, data: bytes, start: int = 0) -> None:
    """Raise ``RolloutSecretError`` (naming the line, never the value) when ``data[start:]``
    holds a credential."""
    found = _first(data, start)
    if found is None:
        return
    at, kind = found
    line = data.count(b"\n", 0, at) + 1
    raise RolloutSecretError(
        f"thread {thread_id} was not saved: line {line} of its rollout holds what looks like "
        f"a {kind}; a thread store never keeps credentials (rotate it, and continue the work "
        "on a new thread)",
        thread_id=thread_id,
    )
