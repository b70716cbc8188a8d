"""Repository-wide invariants: the runtime pin lives in one place, versions are templates."""

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = {"stage", "build", "dist"}
PACKAGES = ["openai-codex-types", "openai-codex-transport", "openai-codex"]


def test_every_package_is_a_0_0_0_dev_template() -> None:
    for name in PACKAGES:
        data = tomllib.loads((ROOT / "packages" / name / "pyproject.toml").read_text())
        assert data["project"]["version"] == "0.0.0-dev", name
        assert data["project"]["requires-python"] == ">=3.10", name


def test_runtime_pin_lives_only_in_the_facade() -> None:
    """Requirement files and code name the runtime pin nowhere but the facade's pyproject."""
    pin = re.compile(r"openai-codex-cli-bin\s*==\s*\d")
    holders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.is_file()
        and path.suffix in {".toml", ".py", ".yml", ".yaml", ".txt", ".cfg"}
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
        and path.relative_to(ROOT).parts[0] not in SCRATCH
        and "_generated" not in path.parts  # generated headers name their source runtime
        and pin.search(path.read_text(errors="ignore"))
    ]
    assert holders == ["packages/openai-codex/pyproject.toml"]
