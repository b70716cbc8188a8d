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
    found = _dist_info_version()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0.0.0.dev0"


def _dist_info_version() -> str | None:
    """The ``Version:`` of the first ``openai_codex-*.dist-info`` on ``sys.path`` (where
    ``importlib.metadata`` looks first, read without its imports); None if there is none."""
    import os
    import sys

    prefix = DISTRIBUTION.replace("-", "_") + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as f:
                        for line in f:
                            if line.startswith("Version:"):
                                return line[8:].strip()
                            if not line.strip():  # end of the headers
                                break
                except OSError:
                    pass
                return None  # not readable here: importlib.metadata decides
    return None


def __getattr__(name: str) -> str:
    if name == "__version__":
        value = installed_version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
