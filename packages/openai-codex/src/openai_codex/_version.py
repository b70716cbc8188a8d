"""The installed distribution's version (the source tree is a 0.0.0-dev template).

Resolved on first use, not at import: ``importlib.metadata`` pulls in email, zipfile,
csv, ... (~15-20 ms and ~1-2 MiB) that nothing else on the import path needs.
``from ._version import __version__`` and ``openai_codex.__version__`` both still work
(PEP 562 module ``__getattr__``); the value is looked up once and cached.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

DISTRIBUTION = "openai-codex"

if TYPE_CHECKING:
    __version__: str


@cache
def installed_version() -> str:
    """The version in the installed ``openai-codex`` distribution's metadata."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0.0.0.dev0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        value = installed_version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
