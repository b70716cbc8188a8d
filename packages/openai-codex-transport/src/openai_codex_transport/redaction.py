"""The wire trace: one DEBUG record per message on logger ``openai_codex_transport``, redacted.

Nothing here runs unless DEBUG is enabled for that logger: the connection asks
``logger.isEnabledFor(logging.DEBUG)`` once per batch of messages read (and once per message
sent) and only then builds the redacted copy.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["REDACTED", "logger", "redact", "redact_text"]

logger = logging.getLogger("openai_codex_transport")

REDACTED = "[REDACTED]"

# Key names whose values are secrets wherever they appear in a message.
_SECRET_KEY = re.compile(
    r"(api[_-]?key|token|secret|password|passwd|authorization|cookie|credential|"
    r"private[_-]?key|session[_-]?key|client[_-]?secret|bearer)",
    re.IGNORECASE,
)
# Keys that match the pattern above but hold no secret (counts, limits, usage figures).
_NOT_SECRET = frozenset(
    {
        "tokenusage",
        "tokens",
        "inputtokens",
        "outputtokens",
        "cachedinputtokens",
        "reasoningoutputtokens",
        "totaltokens",
        "maxtokens",
        "modelcontextwindow",
        "last",
        "total",
        "usage",
        "tokenlimit",
    }
)
# Secret-looking substrings inside free text (stderr lines, error messages, argv).
_SECRET_TEXT = re.compile(
    r"(?P<bearer>\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}"
    r"|\bsk-[A-Za-z0-9_-]{8,}"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"
)


def _is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key)) and key.lower().replace("_", "") not in _NOT_SECRET


def _redact_match(match: re.Match[str]) -> str:
    prefix = match.group("bearer")
    return (prefix or "") + REDACTED


def redact_text(text: str) -> str:
    """Replace bearer tokens, ``sk-`` API keys and JWTs inside free text."""
    return _SECRET_TEXT.sub(_redact_match, text)


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of a JSON value with secret-named members and secret-looking strings replaced."""
    if _depth > 64:
        return "..."
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and _is_secret_key(key) and isinstance(item, str):
                out[key] = REDACTED
            elif isinstance(key, str) and _is_secret_key(key) and isinstance(item, Mapping):
                out[key] = {k: REDACTED for k in item}
            else:
                out[key] = redact(item, _depth + 1)
        return out
    if isinstance(value, list):
        return [redact(item, _depth + 1) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def trace(direction: str, message: Any, *, limit: int = 4096) -> None:
    """Log one wire message at DEBUG (the caller already checked that DEBUG is on)."""
    text = json.dumps(redact(message), separators=(",", ":"), ensure_ascii=False, default=str)
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text)} chars)"
    logger.debug("%s %s", direction, text)


def trace_raw(direction: str, raw: bytes | str, *, limit: int = 4096) -> None:
    """Log bytes that are not a JSON object (malformed input), truncated and redacted."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text)} chars)"
    logger.debug("%s %s", direction, redact_text(text))
