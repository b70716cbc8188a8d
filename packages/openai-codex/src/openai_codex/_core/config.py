"""How the SDK launches and identifies the Codex runtime."""

from __future__ import annotations

from dataclasses import dataclass, field

from .._version import installed_version


@dataclass(slots=True)
class CodexConfig:
    """Configuration for launching and identifying the local Codex runtime.

    ``Codex()`` and ``AsyncCodex()`` work without one. Fields:

    - ``codex_bin``: a specific ``codex`` executable (must exist); default is the one
      installed with the ``openai-codex-cli-bin`` package.
    - ``launch_args_override``: the complete argv to run instead (advanced).
    - ``config_overrides``: ``"key=value"`` strings, each passed as ``--config key=value``.
    - ``cwd``: working directory of the runtime process.
    - ``env``: variables merged over the parent environment (``CODEX_HOME`` for example).
    - ``client_name``/``client_title``/``client_version``: sent in ``initialize``
      (``client_version`` defaults to ``openai_codex.__version__``).
    - ``experimental_api``: opt in to the runtime's experimental protocol fields.
    """

    codex_bin: str | None = None
    launch_args_override: tuple[str, ...] | None = None
    config_overrides: tuple[str, ...] = ()
    cwd: str | None = None
    env: dict[str, str] | None = None
    client_name: str = "codex_python_sdk"
    client_title: str = "Codex Python SDK"
    client_version: str = field(default_factory=installed_version)
    experimental_api: bool = True

    def _child_env(self) -> dict[str, str] | None:
        """Variables to merge over the parent environment for the runtime."""
        return dict(self.env) if self.env else None

    def _initialize_params(self) -> dict[str, object]:
        return {
            "clientInfo": {
                "name": self.client_name,
                "title": self.client_title,
                "version": self.client_version,
            },
            "capabilities": {"experimentalApi": self.experimental_api},
        }
