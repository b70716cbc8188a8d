"""OUT/stage.json: what a staging built, with hashes (the release workflow uploads it)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .common import MANIFEST, PACKAGES
from .staging import Plan


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(plan: Plan, artifacts: dict[str, list[Path]]) -> Path:
    manifest = {
        "version": plan.version,
        "prerelease": plan.prerelease,
        "runtime_pin": plan.runtime_pin,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "publish_order": list(PACKAGES),
        "artifacts": {
            name: [{"file": str(p.relative_to(plan.out)), "sha256": _sha256(p)} for p in paths]
            for name, paths in artifacts.items()
        },
    }
    path = plan.out / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
