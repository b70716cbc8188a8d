"""What the offline model sends for a benchmark prompt, shared by the server and the checks.

A prompt ``bench-reply N`` makes the model stream one assistant message as N text deltas;
every client must see exactly N ``item/agentMessage/delta`` notifications whose text,
joined, is ``expected_text(N)``. Any other prompt gets the 3-delta reply.
"""

from __future__ import annotations

PREFIX = "bench-reply "
BIG_PREFIX = "bench-big "
SHORT = 3
BIG_DELTAS = 200


def prompt(n_deltas: int) -> str:
    return f"{PREFIX}{n_deltas}"


def expected_text(n_deltas: int) -> str:
    # Pieces of varied length, mostly ASCII with a non-ASCII character every 97 pieces.
    return "".join(f"w{i}{'é' if i % 97 == 0 else ''} " for i in range(n_deltas))


def requested_deltas(user_text: str | None) -> int:
    text = (user_text or "").strip()
    if text.startswith(PREFIX):
        try:
            return max(1, int(text[len(PREFIX) :].split()[0]))
        except (ValueError, IndexError):
            pass
    return SHORT


def split(text: str, parts: int) -> list[str]:
    """``parts`` contiguous non-empty chunks of ``text`` (as the offline model splits)."""
    parts = max(1, min(parts, len(text)))
    size, rest = divmod(len(text), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < rest else 0)
        out.append(text[start:end])
        start = end
    return out


def big_prompt(megabytes: int) -> str:
    return f"{BIG_PREFIX}{megabytes}"


def big_text(megabytes: int) -> str:
    """``megabytes`` MiB of ASCII text, the same for every client."""
    size = megabytes * 1024 * 1024
    unit = "the quick brown fox jumps over the lazy dog. "
    return (unit * (size // len(unit) + 1))[:size]


def requested_megabytes(user_text: str | None) -> int | None:
    text = (user_text or "").strip()
    if text.startswith(BIG_PREFIX):
        try:
            return max(1, int(text[len(BIG_PREFIX) :].split()[0]))
        except (ValueError, IndexError):
            return None
    return None
