"""Every protocol model by name (the published SDK's module path).

A view of ``openai_codex_types``: ``from openai_codex.generated.v2_all import
ThreadStartParams`` is ``openai_codex_types.ThreadStartParams``. Where the published kind
differs from the generated one, the published kind is given (``ReasoningSummary`` is a
model over the ``ReasoningSummaryValue`` enum). Names resolve on first access.
"""

from __future__ import annotations

from typing import Any

#: published names whose kind differs from the generated types (see _core/published_models.py)
_PUBLISHED_KINDS = ("ReasoningSummary", "ReasoningSummaryValue")


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    import openai_codex_types

    value: Any
    if name == "__all__":
        value = sorted(
            {n for n in openai_codex_types.__all__ if not n.startswith("__")} | {*_PUBLISHED_KINDS}
        )
    elif name in _PUBLISHED_KINDS:
        from .._core import published_models

        value = getattr(published_models, name)
    else:
        try:
            value = getattr(openai_codex_types, name)
        except AttributeError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    import openai_codex_types

    return sorted({*openai_codex_types.__all__, *_PUBLISHED_KINDS})
