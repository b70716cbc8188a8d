"""Redaction, the SDK's one set of rules for keeping secrets out of logs, reprs and errors,
and the wire trace that uses it.

- :func:`redact` copies a JSON-like value with secret-named members masked and secret-looking
  text inside strings masked (the facade's ``openai_codex.tracing.redact`` is this function);
- :func:`redact_text` masks secrets inside free text (stderr lines, error messages, URLs);
- :func:`redact_mapping` masks an environment-style ``{name: value}`` mapping;
- :func:`redact_argv` masks a command line (``--config K=V`` values included).

What counts as a secret (masked as ``[REDACTED]``): members and variables named like a
credential (``apiKey``, ``*_TOKEN``, ``client_secret``, ``password``, ``Authorization``,
``cookie``, ...; usage counters such as ``inputTokens`` are not); inside text, bearer tokens,
``Authorization:`` header values (any scheme), ``NAME=value`` assignments whose name ends in
``_KEY``/``_TOKEN``/``_SECRET``/``PASSWORD`` (also TOML ``key = "..."``), URL query parameters
such as ``?token=``/``&access_token=``, the password of ``scheme://user:pass@host``, secret
members of JSON or Python-repr text (``"apiKey": "..."``), ``sk-...`` API keys, GitHub tokens
and JWTs.

The wire trace: one DEBUG record per message on logger ``openai_codex_transport``, redacted.
Nothing here runs unless DEBUG is enabled for that logger: the connection asks
``logger.isEnabledFor(logging.DEBUG)`` once per batch of messages read (and once per message
sent) and only then builds the redacted copy.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "REDACTED",
    "RedactingFilter",
    "logger",
    "protect_logger",
    "redact",
    "redact_argv",
    "redact_exception",
    "redact_mapping",
    "redact_text",
]

logger = logging.getLogger("openai_codex_transport")

REDACTED = "[REDACTED]"

# Key names whose values are secrets wherever they appear in a message.
_SECRET_KEY_SOURCE = (
    r"(api[_-]?key|token|secret|password|passwd|authorization|cookie|credential|"
    r"private[_-]?key|session[_-]?key|client[_-]?secret|bearer)"
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
        "maxoutputtokens",
        "modelcontextwindow",
        "last",
        "total",
        "usage",
        "tokenlimit",
    }
)
# An environment-style name that holds a secret: *_KEY, *_TOKEN, *_SECRET, *PASSWORD, ...
_SECRET_NAME = (
    r"(?:[A-Za-z0-9]+[_.-])*"
    r"(?:api[_-]?key|key|token|secret|password|passwd|credentials?|private[_-]?key|pat)"
)

# Secret-looking substrings inside free text. Each alternative keeps its non-secret context
# (the group named ``keep``) and replaces the rest with REDACTED.
_SECRET_TEXT_SOURCE = "|".join(
    [
        # Authorization: Bearer xxx / Authorization: Basic xxx / authorization=xxx
        r"(?P<auth>(?i:\b(?:proxy-)?authorization)[\"']?\s*[:=]\s*[\"']?"
        r"(?:(?i:bearer|basic|token|digest|negotiate)\s+)?)[^\s\"',;}]+",
        # Bearer xxx anywhere
        r"(?P<bearer>\b(?i:bearer)\s+)[A-Za-z0-9._~+/=-]{8,}",
        # scheme://user:password@host
        r"(?P<userinfo>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@?#\"']+:)[^\s/@?#\"']+(?=@)",
        # ?token=... &access_token=... #access_token=... (URL query or fragment)
        r"(?P<query>[?&#](?i:[A-Za-z0-9_.-]*(?:token|key|secret|password|passwd|sig|"
        r"signature|credentials?|auth|code))=)[^&#\s\"']+",
        # "apiKey": "..." / 'token': '...' (JSON or Python repr inside text)
        r"(?P<member>(?P<q>[\"'])(?P<member_key>[^\"'\n]{0,60}"
        r"(?i:api[_-]?key|token|secret|password|passwd|authorization|cookie|credential|"
        r"bearer)[^\"'\n]{0,60})(?P=q)\s*:\s*)"
        r"(?P<member_value>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')",
        # --api-key X, --token X, --db-password X (a command line's secret option and its value)
        r"(?P<flag>(?<![\w-])--?(?i:[a-z0-9]+[_-])*(?i:api[_-]?key|token|secret|password|"
        r"passwd|auth|credentials?)\s+)(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'&;,]+)",
        # OPENAI_API_KEY=..., api_key = "...", FOO_TOKEN=..., PASSWORD=...
        rf"(?P<assign>(?<![A-Za-z0-9_])(?i:{_SECRET_NAME})\s*=\s*)"
        r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'&;,]+)",
        # sk-... API keys, GitHub tokens, JWTs
        r"\bsk-[A-Za-z0-9_-]{8,}",
        r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})",
        r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
    ]
)
_KEEP_GROUPS = ("auth", "bearer", "userinfo", "query", "flag", "assign")
# ``--config K=V`` components whose whole value is a set of secrets-bearing entries.
_SECRET_CONTAINERS = frozenset({"env", "http_headers", "env_http_headers", "headers", "set"})
_CONFIG_FLAGS = frozenset({"-c", "--config"})


# Token *counts* (inputTokens, tokensUsed, tokenBudget, model_auto_compact_token_limit, ...).
_TOKEN_FIGURE_SOURCE = r"tokens$|tokens?(?:used|usage|limit|budget|count|window)"


class _Patterns:
    """The compiled patterns, made on first use: compiling them costs ~3 ms, which every
    ``import openai_codex`` would pay while most programs never redact anything."""

    def __init__(self) -> None:
        self.secret_key = re.compile(_SECRET_KEY_SOURCE, re.IGNORECASE)
        self.secret_text = re.compile(_SECRET_TEXT_SOURCE)
        self.token_figure = re.compile(_TOKEN_FIGURE_SOURCE)
        self.secret_flag = re.compile(
            r"--?(?:[a-z0-9]+[_-])*(?:api[_-]?key|token|secret|password|passwd|auth|credentials?)",
            re.IGNORECASE,
        )
        self.secret_env_name = re.compile(
            rf"{_SECRET_NAME}|.*(?:authorization|cookie|password|passwd|secret|credential|"
            r"api[_-]?key).*",
            re.IGNORECASE,
        )


_compiled: _Patterns | None = None


def _patterns() -> _Patterns:
    global _compiled
    if _compiled is None:
        _compiled = _Patterns()
    return _compiled


def _is_secret_key(key: str) -> bool:
    return bool(_patterns().secret_key.search(key)) and _normalized(key) not in _NOT_SECRET


def _normalized(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _is_secret_member(key: str, value: Any) -> bool:
    """A member whose value must be masked: a secret-looking name, and not a token count."""
    if value is None or isinstance(value, bool) or not _is_secret_key(key):
        return False
    return not (
        isinstance(value, (int, float)) and _patterns().token_figure.search(_normalized(key))
    )


def _redact_match(match: re.Match[str]) -> str:
    member = match.group("member")
    if member is not None:
        value = match.group("member_value")
        if not _is_secret_key(match.group("member_key")):  # a usage figure: look inside
            return member + redact_text(value)
        return f"{member}{value[0]}{REDACTED}{value[0]}"
    for name in _KEEP_GROUPS:
        kept = match.group(name)
        if kept is not None:
            return kept + REDACTED
    return REDACTED


def redact_text(text: str) -> str:
    """``text`` with the secrets it contains replaced by ``[REDACTED]`` (see the module)."""
    return _patterns().secret_text.sub(_redact_match, text)


def _truncated(text: str, max_string: int | None) -> str:
    if max_string is not None and len(text) > max_string:
        return f"{text[:max_string]}...<{len(text) - max_string} more chars>"
    return text


def redact(value: Any, _depth: int = 0, *, max_string: int | None = None) -> Any:
    """A copy of a JSON-like value safe to log.

    Members with a secret-looking name are masked (a mapping under such a name keeps its keys,
    its values masked; ``None``, booleans and token counts such as ``tokensUsed: 5`` are
    kept); every other string is passed through
    :func:`redact_text`; tuples become lists; ``max_string`` (if given) truncates long strings.
    """
    if _depth > 64:
        return "..."
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) else str(key)
            if _is_secret_member(name, item):
                if isinstance(item, Mapping):
                    out[name] = {str(k): REDACTED for k in item}
                else:
                    out[name] = REDACTED
            else:
                out[name] = redact(item, _depth + 1, max_string=max_string)
        return out
    if isinstance(value, (list, tuple)):
        return [redact(item, _depth + 1, max_string=max_string) for item in value]
    if isinstance(value, str):
        return _truncated(redact_text(value), max_string)
    return value


def _is_secret_env_name(name: str) -> bool:
    """``OPENAI_API_KEY``, ``GH_TOKEN``, ``AWS_SECRET_ACCESS_KEY``: yes; ``TOKENIZERS_X``: no."""
    return _patterns().secret_env_name.fullmatch(name) is not None


def redact_mapping(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an environment-style mapping safe to log or show in a ``repr``.

    Values of names that look like credentials (``OPENAI_API_KEY``, ``*_TOKEN``, ``*_SECRET``,
    ``PASSWORD``, ...) become ``[REDACTED]``; other string values go through
    :func:`redact_text` (a URL with a password, an inline token); ``None`` stays ``None``.
    """
    out: dict[str, Any] = {}
    for name, value in mapping.items():
        if value is None:
            out[name] = None
        elif _is_secret_env_name(str(name)):
            out[name] = REDACTED
        elif isinstance(value, str):
            out[name] = redact_text(value)
        else:
            out[name] = redact(value)
    return out


def _redact_config_override(override: str) -> str:
    """``K=V`` of a ``--config``: V masked if K names a secret or a container of secrets."""
    key, sep, value = override.partition("=")
    if not sep:
        return redact_text(override)
    parts = [part.strip().strip("\"'") for part in key.split(".")]
    if any(_is_secret_env_name(part) or part.lower() in _SECRET_CONTAINERS for part in parts):
        return f"{key}={REDACTED}"
    return f"{key}={redact_text(value)}"


def redact_argv(argv: Iterable[str]) -> list[str]:
    """A copy of a command line safe to log: ``--config K=V`` / ``-c K=V`` values masked when
    ``K`` names a secret (``...api_key``, ``...env.FOO_TOKEN``, ``...http_headers``), the value
    after a secret option (``--api-key X``, ``--token X``) masked, every argument passed
    through :func:`redact_text`."""
    out: list[str] = []
    config_value_next = False
    secret_next = False
    for arg in argv:
        text = str(arg)
        if secret_next:
            out.append(REDACTED)
            secret_next = False
        elif _patterns().secret_flag.fullmatch(text):
            out.append(text)
            secret_next = True
        elif config_value_next:
            out.append(_redact_config_override(text))
            config_value_next = False
        elif text in _CONFIG_FLAGS:
            out.append(text)
            config_value_next = True
        elif text.startswith("--config="):
            out.append("--config=" + _redact_config_override(text[len("--config=") :]))
        else:
            out.append(redact_text(text))
    return out


def redact_exception(exc: BaseException) -> str:
    """``exc``'s formatted traceback (with its causes) safe to log: :func:`redact_text`."""
    import traceback

    return redact_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


class RedactingFilter(logging.Filter):
    """A logger filter that makes each record safe before any handler sees it: the message
    is formatted with its arguments and redacted (:func:`redact_text`), and an exception
    (``exc_info``) or stack is replaced by its redacted text (``exc_text``), so handlers,
    formatters and ``caplog`` never see the raw values. Installed on the SDK's loggers by
    :func:`protect_logger`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: keep what the logging module would show
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact_text(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            text = redact_exception(record.exc_info[1]).rstrip("\n")
            record.exc_text = f"{record.exc_text}\n{text}" if record.exc_text else text
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


_FILTER = RedactingFilter()


def protect_logger(name: str | logging.Logger) -> logging.Logger:
    """The logger, with :class:`RedactingFilter` installed on it (once)."""
    target = logging.getLogger(name) if isinstance(name, str) else name
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(_FILTER)
    return target


protect_logger(logger)
protect_logger("openai_codex_transport.stderr")


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
