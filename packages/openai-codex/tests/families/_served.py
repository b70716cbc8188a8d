"""A runtime served on a socket: ``codex app-server --listen unix://PATH|ws://IP:PORT``."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

WAIT = 30.0  # seconds; every wait is bounded


class ServedRuntime:
    """A ``codex app-server --listen URL`` process; ``url`` is where clients attach."""

    def __init__(
        self, kind: str, env: dict[str, str], cwd: Path, socket_path: Path, extra: list[str]
    ) -> None:
        full_env = dict(os.environ, **env)
        if kind == "unix":
            self.socket_path: Path | None = socket_path
            listen = f"unix://{self.socket_path}"
        elif kind == "ws":
            self.socket_path = None
            listen = "ws://127.0.0.1:0"
        else:
            raise ValueError(kind)
        self._listening = threading.Event()
        self.url = listen
        self.stderr = ""
        self.proc = subprocess.Popen(
            # the documented way to start the bundled runtime (docs/attach.md): on POSIX the
            # entry point execs the binary, so this process is the runtime itself
            [
                sys.executable,
                "-m",
                "openai_codex.runtime",
                "app-server",
                "--listen",
                listen,
                *extra,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=full_env,
            cwd=cwd,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_ready()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr += line
            found = re.search(r"listening on: (ws://\S+)", line)
            if found:
                self.url = found.group(1)
                self._listening.set()

    def _wait_ready(self) -> None:
        if self.socket_path is None:
            if not self._listening.wait(WAIT):
                raise TimeoutError(f"the runtime did not listen in {WAIT}s:\n{self.stderr}")
            return
        deadline = time.monotonic() + WAIT
        # the file system offers no event to wait on: poll, bounded by the deadline
        while not self.socket_path.exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise TimeoutError(f"no socket at {self.socket_path}:\n{self.stderr}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Kill the runtime (a dropped connection, seen from the clients)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(WAIT)
        if self.proc.stderr is not None:
            with contextlib.suppress(Exception):
                self.proc.stderr.close()
