"""Names, constants and the one error type every step of a staging shares."""

from __future__ import annotations

TAG_PREFIX = "python-v"
TEMPLATE_VERSION = "0.0.0-dev"
RUNTIME = "openai-codex-cli-bin"
TYPES = "openai-codex-types"
TRANSPORT = "openai-codex-transport"
FACADE = "openai-codex"
# Publication order: the facade depends on the other two.
PACKAGES: tuple[str, ...] = (TYPES, TRANSPORT, FACADE)
INTERNAL = frozenset(PACKAGES)
MANIFEST = "stage.json"

# Never copied into the staging directory, and never allowed inside an artifact.
IGNORED_DIRS = frozenset(
    {
        "tests",
        "__pycache__",
        ".venv",
        "venv",
        ".nox",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
        ".git",
    }
)
IGNORED_SUFFIXES = (".pyc", ".pyo", ".egg-info", ".orig", ".rej", ".swp")


class StageError(Exception):
    """A refusal or failure, reported as one line; ``exit_code`` 2 = bad request, 1 = failure."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
