"""How a turn is shown, lent to the core by the layer above it.

The core never imports the console: ``run(progress=True)`` and a ``TurnResult``'s
notebook and rich displays call the presenters installed here, and
``openai_codex/__init__.py`` installs the console's (each imports its module on first
use, so ``import openai_codex`` stays light).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .handle import AsyncTurnHandle
    from .results import TurnResult


@dataclass
class Presenters:
    """The console's entry points the core calls (``None`` until installed)."""

    progress: Callable[[AsyncTurnHandle, float | None], Awaitable[TurnResult]] | None = None
    """Run a turn to its result while showing it live (``run(progress=True)``)."""
    html: Callable[[TurnResult], str] | None = None
    """A result as HTML (notebooks)."""
    markdown: Callable[[TurnResult], str] | None = None
    """A result as Markdown."""
    rich_repr: Callable[[TurnResult], Iterator[Any]] | None = None
    """A result's ``__rich_repr__``."""


#: the installed presenters (one set per process)
PRESENTERS = Presenters()


def presenter(name: str) -> Callable[..., Any]:
    """The installed presenter ``name`` (a clear error when nothing installed it)."""
    found: Callable[..., Any] | None = getattr(PRESENTERS, name)
    if found is None:
        raise RuntimeError(
            f"no {name} presenter is installed: import openai_codex (it installs the console's)"
        )
    return found


__all__ = ["PRESENTERS", "Presenters", "presenter"]
