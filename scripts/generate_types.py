#!/usr/bin/env python3
"""Generate openai_codex_types from the pinned Codex runtime's JSON schema.

    python scripts/generate_types.py            # (re)write the generated package
    python scripts/generate_types.py --check    # exit 1, naming stale files, if anything differs

The work is done by the ``codegen`` package beside this file (see its docstring).
"""

from __future__ import annotations

from codegen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
