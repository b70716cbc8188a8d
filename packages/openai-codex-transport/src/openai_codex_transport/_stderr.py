"""The runtime's stderr: a bounded ring buffer and the tail shown when the runtime dies.

The tail is what a crash message shows after the exit status, so it must point at the cause:
colours (ANSI escape sequences) are stripped, secrets redacted, and the warnings every
``codex app-server`` prints at start-up on a healthy machine are left out. These were read
from runtime 0.163.0 on Linux:

- ``WARNING: proceeding, even though we could not create PATH aliases: ...`` (CODEX_HOME
  under a temporary directory);
- ``... ERROR codex_app_server: Codex could not find bubblewrap on PATH. ... Codex will use
  the bundled bubblewrap in the meantime.`` (no system bubblewrap; printed at start-up and
  again for each new sandbox configuration).

The full, unfiltered text stays available (``StderrBuffer.text()``) and every line is
logged at DEBUG on ``openai_codex_transport.stderr``.
"""

from __future__ import annotations

import re

from .redaction import redact_text

__all__ = ["HARMLESS_STARTUP_NOISE", "StderrBuffer", "strip_ansi"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

#: Substrings of the start-up warnings left out of a crash message's stderr tail.
HARMLESS_STARTUP_NOISE: tuple[str, ...] = (
    "could not create PATH aliases",
    "could not find bubblewrap on PATH",
)


def strip_ansi(text: str) -> str:
    """``text`` without ANSI colour and cursor escape sequences."""
    return _ANSI.sub("", text)


def _is_noise(line: str) -> bool:
    return any(marker in line for marker in HARMLESS_STARTUP_NOISE)


class StderrBuffer:
    """The last ``limit`` bytes a child wrote to stderr."""

    def __init__(self, limit: int = 64 * 1024) -> None:
        self.limit = limit
        self._buf = bytearray()

    def append(self, chunk: bytes) -> None:
        """Add what was read; the oldest bytes beyond ``limit`` are dropped."""
        buf = self._buf
        buf += chunk
        if len(buf) > self.limit:
            del buf[: len(buf) - self.limit]

    def text(self) -> str:
        """Everything buffered, decoded, colours stripped, secrets redacted (no filtering)."""
        return redact_text(strip_ansi(self._buf.decode("utf-8", "replace")))

    def tail(self, max_chars: int = 4000) -> str:
        """The last lines, whole, at most ``max_chars``: colours stripped, secrets redacted,
        known-harmless start-up warnings left out (empty if nothing else was written)."""
        lines = strip_ansi(self._buf.decode("utf-8", "replace")).splitlines()
        kept: list[str] = []
        size = 0
        for line in reversed(lines):
            if not line.strip() or _is_noise(line):
                continue
            size += len(line) + 1
            if size > max_chars and kept:
                break
            kept.append(line[-max_chars:])
        return redact_text("\n".join(reversed(kept)))
