"""The check that keeps credentials out of a store: a rollout is scanned before it is saved.

Only credential-shaped values are looked for (an ``sk-`` API key, a GitHub token, a JWT,
a bearer token), not words such as ``token`` that code and prose use all the time. The
runtime never writes its login into a rollout; this catches a secret that was typed into
the conversation or printed by a command.
"""

from __future__ import annotations

import re

from ._errors import RolloutSecretError

__all__ = ["check_no_secrets"]

_CREDENTIAL = re.compile(
    rb"(?P<api_key>\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,})"
    rb"|(?P<github_token>\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}))"
    rb"|(?P<jwt>\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})"
    rb"|(?P<bearer_token>\b[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*)"
)


def check_no_secrets(thread_id: str, data: bytes, start: int = 0) -> None:
    """Raise ``RolloutSecretError`` (naming the line, never the value) when ``data[start:]``
    holds a credential."""
    match = _CREDENTIAL.search(data, start)
    if match is None:
        return
    line = data.count(b"\n", 0, match.start()) + 1
    kind = (match.lastgroup or "credential").replace("_", " ")
    raise RolloutSecretError(
        f"thread {thread_id} was not saved: line {line} of its rollout holds what looks like "
        f"a {kind}; a thread store never keeps credentials (rotate it, and continue the work "
        "on a new thread)",
        thread_id=thread_id,
    )
