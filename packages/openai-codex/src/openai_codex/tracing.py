"""Logging and optional OpenTelemetry tracing for the SDK.

Logging
    Every module logs through the stdlib :mod:`logging` under named loggers:
    ``openai_codex`` (and children such as ``openai_codex.handlers``,
    ``openai_codex.tools``, ``openai_codex.turns``), ``openai_codex_transport`` and
    ``openai_codex_types``. Each of the three has a ``logging.NullHandler``, so nothing
    reaches stderr (not even warnings, through Python's last-resort handler) unless the
    application configures logging, or the environment variable ``OPENAI_CODEX_LOG`` is
    set to a level name (``debug``, ``info``, ``warning``, ``error``, ``critical``; ``off``
    or empty for nothing): then :func:`configure_logging_from_env` (called when a client is
    made) attaches one stderr handler to those loggers. Another value is refused with a
    ``ValueError`` naming the accepted ones. At ``info``, ``openai_codex.turns`` logs one
    line per turn start and end, command, file change, tool call and approval. Log records
    never carry secrets: payloads go through :func:`redact` first; the runtime's ANSI
    colour codes are stripped from its log lines.

OpenTelemetry
    When ``opentelemetry-api`` is importable (``pip install 'openai-codex[otel]'``),
    :func:`turn_span` and :func:`tool_span` open spans named ``codex.turn`` and
    ``codex.tool_call`` under the tracer ``openai_codex``; :func:`current_trace_context`
    gives the W3C ``traceparent``/``tracestate`` of the current span, which the
    client sends in the JSON-RPC request's ``trace`` member so the runtime's own
    traces join the caller's. Without OpenTelemetry all of these are cheap no-ops.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from openai_codex_transport.redaction import REDACTED as _REDACTED
from openai_codex_transport.redaction import protect_logger as _protect_logger
from openai_codex_transport.redaction import redact as _redact

__all__ = [
    "LOG_ENV_VAR",
    "configure_logging_from_env",
    "log_level_from_env",
    "activate",
    "current_trace_context",
    "get_logger",
    "otel_available",
    "redact",
    "tool_span",
    "turn_span",
]

LOG_ENV_VAR = "OPENAI_CODEX_LOG"
"""Environment variable naming the log level for the SDK's loggers (e.g. ``debug``)."""

SDK_LOGGER_NAMES = ("openai_codex", "openai_codex_transport", "openai_codex_types")
#: Every logger the SDK writes to: each redacts its records before a handler sees them
#: (``openai_codex_transport.redaction.RedactingFilter``; ``get_logger`` adds new ones).
_REDACTED_LOGGERS = (
    *SDK_LOGGER_NAMES,
    "openai_codex.handlers",
    "openai_codex.host",
    "openai_codex.tools",
    "openai_codex.turns",
    "openai_codex.temporal",
    "openai_codex.console",
    "openai_codex_transport.stderr",
    "openai_codex_transport.websocket",
)

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "1": logging.DEBUG,
    "true": logging.DEBUG,
}
_OFF = frozenset({"", "0", "off", "false", "none"})

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

_env_handler: logging.Handler | None = None


def _install_null_handlers() -> None:
    """A ``NullHandler`` on each SDK logger: no last-resort output to stderr."""
    for name in SDK_LOGGER_NAMES:
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())


_install_null_handlers()
for _name in _REDACTED_LOGGERS:
    _protect_logger(_name)


def get_logger(name: str = "") -> logging.Logger:
    """The logger ``openai_codex.<name>`` (``openai_codex`` for an empty name); its records
    are redacted before any handler sees them."""
    return _protect_logger(f"openai_codex.{name}" if name else "openai_codex")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted (it may be replaced
    after the handler is made: test capture, a redirected stream)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


class _PlainFormatter(logging.Formatter):
    """The ``OPENAI_CODEX_LOG`` format, with ANSI colour codes removed."""

    def format(self, record: logging.LogRecord) -> str:
        return _ANSI.sub("", super().format(record))


def log_level_from_env(environ: Mapping[str, str] | None = None) -> int | None:
    """The level ``OPENAI_CODEX_LOG`` names, or ``None`` when unset, empty or ``off``.

    Raises ``ValueError`` for any other value, naming the accepted ones.
    """
    env = os.environ if environ is None else environ
    raw = env.get(LOG_ENV_VAR, "").strip().lower()
    if raw in _OFF:
        return None
    level = _LEVELS.get(raw)
    if level is None:
        raise ValueError(
            f"{LOG_ENV_VAR}={env.get(LOG_ENV_VAR)!r} is not a log level: use one of "
            "debug, info, warning, error, critical (or off / unset for no SDK logging)"
        )
    return level


def configure_logging_from_env(environ: Mapping[str, str] | None = None) -> int | None:
    """Apply ``OPENAI_CODEX_LOG``: set the SDK loggers' level and add one stderr handler.

    Returns the level applied, or ``None`` when the variable is unset, empty or ``off``
    (then nothing is touched: the application's own logging configuration rules). Calling
    it again does not add a second handler. An unknown value raises ``ValueError``.
    """
    global _env_handler
    level = log_level_from_env(environ)
    if level is None:
        return None
    if _env_handler is None:
        handler = _StderrHandler()
        handler.setFormatter(_PlainFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _env_handler = handler
    for name in SDK_LOGGER_NAMES:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if _env_handler not in logger.handlers:
            logger.addHandler(_env_handler)
    _env_handler.setLevel(level)
    return level


REDACTED = _REDACTED
"""What a secret is replaced with (the transport's marker: one set of redaction rules)."""


def redact(value: Any, *, max_string: int = 2000) -> Any:
    """A copy of a JSON-like value safe to log: secrets masked, long strings cut.

    The rules are the transport's (:func:`openai_codex_transport.redaction.redact`: secret
    key names and secret-looking strings); strings longer than ``max_string`` are then
    truncated.
    """
    return _truncate(_redact(value), max_string)


def _truncate(value: Any, max_string: int) -> Any:
    if isinstance(value, Mapping):
        return {k: _truncate(v, max_string) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_truncate(v, max_string) for v in value]
    if isinstance(value, str) and len(value) > max_string:
        return value[:max_string] + f"...<{len(value) - max_string} more chars>"
    return value


# --------------------------------------------------------------------------- OpenTelemetry

_OTEL_TRACE_MODULE = "opentelemetry.trace"

_otel_checked = False
_otel_trace: Any = None
_otel_propagate: Any = None


def _load_otel() -> bool:
    global _otel_checked, _otel_trace, _otel_propagate
    if not _otel_checked:
        _otel_checked = True
        try:
            # imported by name: opentelemetry is optional, and typed as Any here
            trace = importlib.import_module(_OTEL_TRACE_MODULE)
            propagate = importlib.import_module("opentelemetry.propagate")
        except ImportError:  # the optional extra is not installed
            _otel_trace = None
            _otel_propagate = None
        else:
            _otel_trace = trace
            _otel_propagate = propagate
    return _otel_trace is not None


def otel_available() -> bool:
    """Whether ``opentelemetry-api`` is importable (spans and trace propagation are active)."""
    return _load_otel()


def _tracer() -> Any:
    from ._version import __version__

    return _otel_trace.get_tracer("openai_codex", __version__)


def _clean_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in attributes.items()
        if v is not None and isinstance(v, (str, bool, int, float))
    }


@contextmanager
def _span(name: str, attributes: Mapping[str, Any]) -> Iterator[Any]:
    if not _load_otel():
        yield None
        return
    with _tracer().start_as_current_span(
        name, attributes=_clean_attributes(attributes), record_exception=True
    ) as span:
        yield span


def turn_span(*, thread_id: str | None = None, model: str | None = None) -> Any:
    """Context manager: a ``codex.turn`` span (``None`` inside when OpenTelemetry is absent).

    Open it around ``turn/start`` so the request carries the span in its ``trace`` member;
    :func:`set_span_attributes` adds the turn id and final status later.
    """
    return _span("codex.turn", {"codex.thread_id": thread_id, "codex.model": model})


def tool_span(
    *,
    tool: str,
    call_id: str | None = None,
    thread_id: str | None = None,
    turn_id: str | None = None,
) -> Any:
    """Context manager: a ``codex.tool_call`` span for one dynamic tool call."""
    return _span(
        "codex.tool_call",
        {
            "codex.tool.name": tool,
            "codex.tool.call_id": call_id,
            "codex.thread_id": thread_id,
            "codex.turn_id": turn_id,
        },
    )


@contextmanager
def activate(span: Any) -> Iterator[None]:
    """Make ``span`` the current span inside the block without ending it (``None``: no-op)."""
    if span is None or not _load_otel():
        yield
        return
    with _otel_trace.use_span(span, end_on_exit=False):
        yield


def set_span_attributes(span: Any, **attributes: Any) -> None:
    """Set ``codex.<key>`` attributes on ``span`` (a no-op for ``None``)."""
    if span is None:
        return
    for key, value in _clean_attributes(attributes).items():
        span.set_attribute(f"codex.{key}", value)


def mark_span_error(span: Any, description: str) -> None:
    """Set the span's status to ERROR with ``description`` (redacted; a no-op for ``None``)."""
    if span is None:
        return
    from openai_codex_transport.redaction import redact_text

    span.set_status(_otel_trace.Status(_otel_trace.StatusCode.ERROR, redact_text(description)))


def _level1_traceparent(value: str | None) -> str | None:
    """``value`` with only the W3C level-1 ``sampled`` bit kept in its flags.

    Recent OpenTelemetry SDKs set the level-2 "random trace id" flag (``03``); the pinned
    runtime (0.163.0) ignores such a ``traceparent`` entirely, so it is sent as ``01``.
    """
    if not value:
        return None
    parts = value.split("-")
    if len(parts) != 4 or len(parts[3]) != 2:
        return value
    try:
        flags = int(parts[3], 16) & 0x01
    except ValueError:
        return value
    return "-".join([*parts[:3], f"{flags:02x}"])


def current_trace_context() -> dict[str, str] | None:
    """The W3C trace context of the current span, as the JSON-RPC ``trace`` member wants it.

    ``{"traceparent": "00-<trace id>-<span id>-<flags>", "tracestate": ...}`` (``tracestate``
    only when non-empty), or ``None`` when OpenTelemetry is absent or no span is recording
    a valid context.

    Called for every request, so the common cases cost next to nothing: without
    OpenTelemetry (probed once) or before the application imported ``opentelemetry.trace``
    (then no span can exist, and nothing is imported here) it is a couple of lookups; with
    no valid current span it returns before running the propagators.
    """
    trace = _otel_trace
    if trace is None:
        if _otel_checked or _OTEL_TRACE_MODULE not in sys.modules or not _load_otel():
            return None
        trace = _otel_trace
    if not trace.get_current_span().get_span_context().is_valid:
        return None  # the W3C propagator writes nothing for an invalid context either
    carrier: dict[str, str] = {}
    _otel_propagate.inject(carrier)
    traceparent = _level1_traceparent(carrier.get("traceparent"))
    if not traceparent:
        return None
    out = {"traceparent": traceparent}
    if carrier.get("tracestate"):
        out["tracestate"] = carrier["tracestate"]
    return out
