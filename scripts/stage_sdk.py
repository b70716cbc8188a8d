"""Stage, build and check the three openai-codex packages for a release.

    python scripts/stage_sdk.py --sdk-version 0.1.0b2 --out stage
    python scripts/stage_sdk.py --from-tag python-v0.1.0b2 --out stage
    python scripts/stage_sdk.py --from-tag python-v0.1.0b2 --validate-only   # GITHUB_OUTPUT lines

Also installed as the ``stage-sdk`` command (``pip install -e scripts``; ``nox -s stage`` runs
it). The work is done by the ``release_tools`` package beside this file (see its docstring).
"""

from __future__ import annotations

import sys

from release_tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
