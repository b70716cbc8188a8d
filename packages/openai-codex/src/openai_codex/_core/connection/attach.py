"""Attaching to a runtime that is already running (``CodexConfig(url=...)``).

``ws://HOST:PORT`` and ``wss://...`` connect over TCP (TLS for ``wss``); ``unix://PATH``
connects to a runtime started with ``codex app-server --listen unix://PATH``, and a bare
``unix://`` to the control socket under ``$CODEX_HOME``. The bearer token (the runtime's
``--ws-auth capability-token`` or signed-bearer-token mode) comes from the config, an
environment variable or a file, is read at connect time, and never appears in a repr, a log
line or an error message.

An attached connection that drops is not re-established behind the caller's back: every
pending and later call raises ``TransportClosedError``; nothing is replayed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from openai_codex_transport import TransportClosedError

from ...errors import RuntimeAuthError

if TYPE_CHECKING:
    from openai_codex_transport import Transport

    from ..config import CodexConfig

#: URL schemes ``CodexConfig.url`` accepts.
SCHEMES = ("ws://", "wss://", "unix://")

_AUTH_REFUSED = re.compile(r"HTTP (401|403)\b")


def check_url(url: str) -> None:
    """Refuse a URL that names no runtime we can attach to, at the config."""
    if not isinstance(url, str) or not url.startswith(SCHEMES):
        raise ValueError(
            f"CodexConfig.url must start with one of {', '.join(SCHEMES)}; got {_shown(url)!r}"
        )
    if url.startswith(("ws://", "wss://")) and len(url.split("://", 1)[1].strip("/")) == 0:
        raise ValueError(f"CodexConfig.url names no host: {_shown(url)!r}")


def _shown(url: object) -> str:
    from openai_codex_transport import redact_text

    return redact_text(str(url))


def resolve_token(config: CodexConfig) -> str | None:
    """The bearer token from ``token``, ``token_env`` or ``token_file`` (at most one is set)."""
    if config.token is not None:
        return config.token
    if config.token_env is not None:
        value = os.environ.get(config.token_env)
        if not value:
            raise ValueError(
                f"CodexConfig.token_env names {config.token_env!r}, which is not set or empty"
            )
        return value.strip()
    if config.token_file is not None:
        path = Path(config.token_file).expanduser()
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(
                f"CodexConfig.token_file {str(path)!r} cannot be read: {exc.strerror}"
            ) from None
        if not value:
            raise ValueError(f"CodexConfig.token_file {str(path)!r} is empty")
        return value
    return None


async def attach(config: CodexConfig, open_timeout: float = 10.0) -> Transport:
    """A connected transport to the runtime at ``config.url``.

    A refused token raises :class:`RuntimeAuthError`; an unreachable runtime raises
    ``TransportClosedError`` naming the URL (its secrets redacted).
    """
    from openai_codex_transport import UnixSocketTransport, WebSocketTransport

    url = config.url
    assert url is not None
    token = resolve_token(config)
    try:
        if url.startswith("unix://"):
            path = url[len("unix://") :]
            return await UnixSocketTransport.connect(
                path or None, token=token, open_timeout=open_timeout
            )
        return await WebSocketTransport.connect(url, token=token, open_timeout=open_timeout)
    except TransportClosedError as exc:
        if _AUTH_REFUSED.search(exc.message):
            how = "no token was given" if token is None else "the token was refused"
            raise RuntimeAuthError(
                f"the runtime at {_shown(url)} refused the connection ({how}): {exc.message}. "
                "Pass the runtime's token with CodexConfig(token_env=...) or token_file=..."
            ) from None
        raise
