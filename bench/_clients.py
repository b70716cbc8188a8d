"""The clients a benchmark run compares, and the venv holding the published SDK.

``floor`` (bench/floor.py) and ``transport`` (our transport with no facade) run in this
interpreter; ``ours`` runs ``sdk_worker.py`` here too; ``published`` runs the same
``sdk_worker.py`` in its own venv under ``.bench/published`` with the published 0.163.0.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PUBLISHED_VENV = ROOT / ".bench" / "published"
PUBLISHED_REQ = "openai-codex==0.163.0"


@dataclass(frozen=True)
class Client:
    name: str
    python: str
    worker: Path
    import_stmt: str


def ensure_published_venv(log: Callable[[str], None]) -> str | None:
    """The published SDK in its own venv under .bench/ (reused when present and matching)."""
    py = PUBLISHED_VENV / "bin" / "python"
    want = f"{sys.version_info.major}.{sys.version_info.minor}"
    if py.exists():
        probe = subprocess.run(
            [
                str(py),
                "-c",
                "import sys, importlib.metadata as m; "
                "print(f'{sys.version_info.major}.{sys.version_info.minor}', "
                "m.version('openai-codex'))",
            ],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.split() == [want, PUBLISHED_REQ.split("==")[1]]:
            return str(py)
        shutil.rmtree(PUBLISHED_VENV, ignore_errors=True)
    uv = shutil.which("uv")
    if uv is None:
        log("uv not found: the published SDK is skipped (pip install uv)")
        return None
    log(f"creating {PUBLISHED_VENV} with {PUBLISHED_REQ} ...")
    try:
        subprocess.run(
            [uv, "venv", "-q", "--python", sys.executable, str(PUBLISHED_VENV)], check=True
        )
        subprocess.run([uv, "pip", "install", "-q", "--python", str(py), PUBLISHED_REQ], check=True)
    except subprocess.CalledProcessError as exc:
        log(f"could not install {PUBLISHED_REQ} ({exc}): the published SDK is skipped")
        return None
    return str(py)


def make_clients(wanted: list[str], log: Callable[[str], None]) -> list[Client]:
    clients = []
    for name in wanted:
        if name == "floor":
            clients.append(Client("floor", sys.executable, BENCH / "floor_worker.py", "floor"))
        elif name == "transport":  # diagnostic: our transport with no facade
            clients.append(
                Client(
                    "transport",
                    sys.executable,
                    BENCH / "transport_worker.py",
                    "openai_codex_transport",
                )
            )
        elif name == "ours":
            clients.append(Client("ours", sys.executable, BENCH / "sdk_worker.py", "openai_codex"))
        elif name == "published":
            py = ensure_published_venv(log)
            if py is not None:
                clients.append(Client("published", py, BENCH / "sdk_worker.py", "openai_codex"))
        else:
            raise SystemExit(f"unknown client {name!r} (floor, transport, ours, published)")
    return clients
