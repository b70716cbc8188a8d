"""The installed distribution's version (the source tree is a 0.0.0-dev template)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("openai-codex-transport")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0.0.0.dev0"
