"""The bundled Codex runtime: where it is, and ``python -m openai_codex.runtime ARGS`` to run it.

Installing ``openai-codex`` installs the reviewed runtime binary (the ``openai-codex-cli-bin``
package) but puts no ``codex`` command on ``PATH``. This module runs that binary with the
arguments you give it, with the helper directories the runtime expects on its ``PATH`` (the
ones the SDK adds when it spawns the runtime itself)::

    python -m openai_codex.runtime app-server --listen ws://127.0.0.1:4500
    python -m openai_codex.runtime --version
    python -m openai_codex.runtime --path      # print the binary's path and exit

On POSIX the runtime replaces the Python process (signals reach it directly); elsewhere it
runs as a child and its exit status is returned.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

__all__ = ["bundled_codex_path", "main", "runtime_env"]


def bundled_codex_path() -> str:
    """The path of the installed runtime binary (``openai-codex-cli-bin``).

    Raises:
        CodexBinaryNotFoundError: the runtime package is missing or broken; the message says
            how to install it.
    """
    from openai_codex_transport.binary import resolve_codex_binary

    return resolve_codex_binary()[0]


def runtime_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment to run the bundled binary in: ``base`` (default ``os.environ``) with the
    runtime's helper directories first on ``PATH``."""
    from openai_codex_transport.binary import resolve_codex_binary

    env = dict(os.environ if base is None else base)
    extra = resolve_codex_binary()[1]
    if extra:
        env["PATH"] = os.pathsep.join(p for p in (extra, env.get("PATH", "")) if p)
    return env


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bundled runtime with ``argv`` (default ``sys.argv[1:]``); ``--path`` prints its path.

    Returns the runtime's exit status where the process is not replaced (Windows), or 2 with a
    message on stderr when there is no runtime binary.
    """
    from openai_codex_transport.errors import CodexBinaryNotFoundError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        binary = bundled_codex_path()
        env = runtime_env()
    except CodexBinaryNotFoundError as exc:
        print(f"openai_codex.runtime: {exc}", file=sys.stderr)
        return 2
    if args == ["--path"]:
        print(binary)
        return 0
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(binary, [binary, *args], env)
    import subprocess

    return subprocess.call([binary, *args], env=env)


if __name__ == "__main__":
    raise SystemExit(main())
