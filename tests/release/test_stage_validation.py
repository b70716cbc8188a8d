"""Unit tests of scripts/stage_sdk.py: version and tag validation, the runtime pin, pin rewriting.

Fast: nothing is built here. (The runtime requirement is spelled through RUNTIME so that this
file never holds a literal runtime pin; the layout test keeps the pin in one place.)
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = "openai-codex-cli-bin"
StageCli = Callable[..., subprocess.CompletedProcess[str]]


def _toml_loads(text: str) -> dict[str, Any]:
    import tomllib  # Python >= 3.11: the stage_sdk fixture skips these tests on 3.10

    data: dict[str, Any] = tomllib.loads(text)
    return data


# --- versions and tags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "version", ["0.1.0", "0.1.0b2", "1.0.0rc1", "0.1.0a1", "0.1.0.post1", "0.2.0.dev3", "1!2.0"]
)
def test_normalised_versions_are_accepted(stage_sdk: ModuleType, version: str) -> None:
    assert stage_sdk.validate_version(version) == version


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.0.0-dev", "source template version"),
        ("0.0.0.dev0", "source template version"),
        ("0.0.0dev", "source template version"),
        ("0.1.0-beta2", "not normalised PEP 440; use '0.1.0b2'"),
        ("v0.1.0", "not normalised PEP 440; use '0.1.0'"),
        ("0.1.0RC1", "not normalised PEP 440; use '0.1.0rc1'"),
        ("0.1.0-1", "not normalised PEP 440; use '0.1.0.post1'"),
        ("0.1.0+local.7", "local version label"),
        ("banana", "not a valid PEP 440 version"),
        ("0.1.0b2 extra", "not a valid PEP 440 version"),
        ("1..0", "not a valid PEP 440 version"),
        ("", "the version is empty"),
    ],
)
def test_bad_versions_are_refused_with_what_to_do(
    stage_sdk: ModuleType, version: str, message: str
) -> None:
    with pytest.raises(stage_sdk.StageError) as caught:
        stage_sdk.validate_version(version)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert caught.value.exit_code == 2


def test_tag_gives_the_version(stage_sdk: ModuleType) -> None:
    assert stage_sdk.version_from_tag("python-v0.1.0b2") == "0.1.0b2"
    assert stage_sdk.version_from_tag("python-v1.2.3") == "1.2.3"


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("v0.1.0", "must start with 'python-v'"),
        ("0.1.0", "must start with 'python-v'"),
        ("refs/tags/python-v0.1.0", "must start with 'python-v'"),
        ("rust-v0.1.0", "must start with 'python-v'"),
        ("python-v", "has no version"),
        ("python-v0.1.0-beta2", "tag 'python-v0.1.0-beta2': '0.1.0-beta2' is not normalised"),
        ("python-v0.0.0-dev", "source template version"),
        ("python-vbanana", "not a valid PEP 440"),
    ],
)
def test_bad_tags_are_refused(stage_sdk: ModuleType, tag: str, message: str) -> None:
    with pytest.raises(stage_sdk.StageError) as caught:
        stage_sdk.version_from_tag(tag)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("version", "pre"),
    [("0.1.0", False), ("0.1.0b2", True), ("1.0.0rc1", True), ("0.1.0.post1", False)],
)
def test_prerelease_detection(stage_sdk: ModuleType, version: str, pre: bool) -> None:
    assert stage_sdk.is_prerelease(version) is pre


# --- the runtime pin -------------------------------------------------------------------------


def test_the_real_facade_declares_exactly_one_runtime_pin(stage_sdk: ModuleType) -> None:
    project = _toml_loads((ROOT / "packages/openai-codex/pyproject.toml").read_text())["project"]
    pin = stage_sdk.runtime_pin(project)
    assert pin.startswith(f"{RUNTIME}==")
    assert pin in project["dependencies"]


@pytest.mark.parametrize(
    ("deps", "extras", "message"),
    [
        (["anyio>=4"], {}, "exactly one openai-codex-cli-bin== pin"),
        ([f"{RUNTIME}==1.0.0", f"{RUNTIME}==1.0.1"], {}, "found 2"),
        ([f"{RUNTIME}>=1.0"], {}, "must be an exact pin"),
        ([f"{RUNTIME}==1.*"], {}, "must be an exact pin"),
        ([f"{RUNTIME}==1.0,<2"], {}, "must be an exact pin"),
        ([f"{RUNTIME}"], {}, "must be an exact pin"),
        ([f"{RUNTIME}==1.0.0"], {"x": [f"{RUNTIME}==1.0.1"]}, "only be pinned in"),
        (["not a requirement!"], {}, "not a valid requirement"),
    ],
)
def test_runtime_pin_problems_are_refused(
    stage_sdk: ModuleType, deps: list[str], extras: dict[str, list[str]], message: str
) -> None:
    project = {"dependencies": deps, "optional-dependencies": extras}
    with pytest.raises(stage_sdk.StageError) as caught:
        stage_sdk.runtime_pin(project)
    assert message in str(caught.value)


# --- pin rewriting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("openai-codex-types==0.0.0-dev", "openai-codex-types==0.1.0b2"),
        ("openai-codex-transport>=0.0.0", "openai-codex-transport==0.1.0b2"),
        (
            "openai-codex-transport[websockets]==0.0.0-dev",
            "openai-codex-transport[websockets]==0.1.0b2",
        ),
        (
            'openai-codex-types==0.0.0-dev; python_version >= "3.11"',
            'openai-codex-types==0.1.0b2; python_version >= "3.11"',
        ),
    ],
)
def test_pin_internal(stage_sdk: ModuleType, requirement: str, expected: str) -> None:
    assert stage_sdk.pin_internal(requirement, "0.1.0b2") == expected


def test_rewriting_the_real_facade_changes_only_version_and_sibling_pins(
    stage_sdk: ModuleType,
) -> None:
    source = (ROOT / "packages/openai-codex/pyproject.toml").read_text()
    staged = stage_sdk.rewrite_pyproject(source, "0.1.0b2")
    before, after = _toml_loads(source), _toml_loads(staged)
    project = after["project"]
    assert project["version"] == "0.1.0b2"
    assert "openai-codex-types==0.1.0b2" in project["dependencies"]
    assert "openai-codex-transport==0.1.0b2" in project["dependencies"]
    assert project["optional-dependencies"]["websockets"] == [
        "openai-codex-transport[websockets]==0.1.0b2"
    ]
    # The runtime pin and every other dependency are untouched.
    runtime = [d for d in before["project"]["dependencies"] if d.startswith(RUNTIME)]
    assert len(runtime) == 1
    assert runtime[0] in project["dependencies"]
    assert "0.0.0-dev" not in staged
    # A minimal edit: the lines that differ are exactly the rewritten ones.
    changed = [
        (a, b) for a, b in zip(source.splitlines(), staged.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 4, changed
    # Everything outside [project] is byte-identical.
    assert source.split("[project.urls]", 1)[1] == staged.split("[project.urls]", 1)[1]


@pytest.mark.parametrize("name", ["openai-codex-types", "openai-codex-transport"])
def test_rewriting_a_leaf_package_changes_only_its_version(
    stage_sdk: ModuleType, name: str
) -> None:
    source = (ROOT / "packages" / name / "pyproject.toml").read_text()
    staged = stage_sdk.rewrite_pyproject(source, "2.0.0")
    assert staged == source.replace('version = "0.0.0-dev"', 'version = "2.0.0"', 1)


SYNTHETIC = f"""\
# a comment mentioning version = "0.0.0-dev"
[build-system]
requires = ["hatchling"]

[project]
name = 'openai-codex'
version = '0.0.0-dev'   # template
dependencies = [
    'openai-codex-types == 0.0.0-dev',
    "openai-codex-transport==0.0.0-dev",
    "{RUNTIME}==9.9.9",
]

[project.optional-dependencies]
websockets = ["openai-codex-transport[websockets]==0.0.0-dev"]

[tool.something]
version = "0.0.0-dev"
pin = "openai-codex-types==0.0.0-dev"
"""


def test_rewriting_handles_quotes_spacing_and_leaves_other_tables_alone(
    stage_sdk: ModuleType,
) -> None:
    staged = stage_sdk.rewrite_pyproject(SYNTHETIC, "0.3.0")
    data = _toml_loads(staged)
    assert data["project"]["version"] == "0.3.0"
    assert data["project"]["dependencies"] == [
        "openai-codex-types==0.3.0",
        "openai-codex-transport==0.3.0",
        f"{RUNTIME}==9.9.9",
    ]
    assert data["tool"]["something"] == {
        "version": "0.0.0-dev",
        "pin": "openai-codex-types==0.0.0-dev",
    }
    assert staged.startswith('# a comment mentioning version = "0.0.0-dev"\n')
    assert "# template" in staged


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[project]\nname = "x"\ndynamic = ["version"]\n', "[project].version must be"),
        ('[project]\nname = "x"\nversion = """0.0.0-dev"""\n', "expected one `version = ...`"),
        ('[project]\nname = "x"\n"version" = "0.0.0-dev"\n', "expected one `version = ...`"),
        (
            '[project]\nname = "x"\nversion = "0.0.0-dev"\n'
            'description = "openai-codex-types==0.0.0-dev"\n'
            'dependencies = ["openai-codex-types==0.0.0-dev"]\n',
            "changed more than intended",
        ),
    ],
)
def test_rewriting_refuses_what_it_cannot_edit_safely(
    stage_sdk: ModuleType, text: str, message: str
) -> None:
    with pytest.raises(stage_sdk.StageError) as caught:
        stage_sdk.rewrite_pyproject(text, "0.3.0")
    assert message in str(caught.value)


# --- the command line ------------------------------------------------------------------------


def test_validate_only_prints_github_output_lines(stage_cli: StageCli, tmp_path: Path) -> None:
    proc = stage_cli("--from-tag", "python-v0.1.0b2", "--validate-only", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split("=", 1) for line in proc.stdout.splitlines())
    assert lines["version"] == "0.1.0b2"
    assert lines["prerelease"] == "true"
    assert lines["runtime_pin"].startswith(f"{RUNTIME}==")
    assert list(tmp_path.iterdir()) == []  # validation writes nothing

    final = stage_cli("--sdk-version", "1.0.0", "--validate-only", "--out", str(tmp_path))
    assert "prerelease=false" in final.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sdk-version", "0.0.0-dev"], "source template version"),
        (["--sdk-version", "0.1.0-beta2"], "use '0.1.0b2'"),
        (["--from-tag", "v0.1.0"], "must start with 'python-v'"),
        (["--from-tag", "python-vnope"], "not a valid PEP 440 version"),
    ],
)
def test_cli_refusals_are_one_line_and_non_zero(
    stage_cli: StageCli, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    proc = stage_cli(*args, "--out", str(out))
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("stage-sdk: error: ")
    assert message in line
    assert not out.exists()


def test_cli_refuses_a_foreign_non_empty_out_dir(stage_cli: StageCli, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    proc = stage_cli("--sdk-version", "0.1.0", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "is not empty and holds no earlier staging" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["precious.txt"]


def test_cli_refuses_a_facade_without_exactly_one_runtime_pin(
    stage_sdk: ModuleType, stage_cli: StageCli, tmp_path: Path
) -> None:
    packages = tmp_path / "packages"
    for name in stage_sdk.PACKAGES:
        (packages / name).mkdir(parents=True)
        text = (ROOT / "packages" / name / "pyproject.toml").read_text()
        if name == "openai-codex":
            lines = [line for line in text.splitlines() if RUNTIME not in line]
            text = "\n".join(lines) + "\n"
        (packages / name / "pyproject.toml").write_text(text)
    proc = stage_cli(
        "--sdk-version", "0.1.0", "--packages-dir", str(packages), "--out", str(tmp_path / "o")
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert "must declare exactly one openai-codex-cli-bin== pin" in line


def test_cli_requires_a_version_source(stage_cli: StageCli) -> None:
    proc = stage_cli()
    assert proc.returncode == 2
    assert "one of the arguments --sdk-version --from-tag is required" in proc.stderr


def test_cli_finds_the_repository_packages_from_any_working_directory(
    stage_cli: StageCli, tmp_path: Path
) -> None:
    proc = stage_cli("--sdk-version", "0.1.0", "--validate-only", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "version=0.1.0" in proc.stdout.splitlines()


def test_cli_reports_a_missing_packages_dir(stage_cli: StageCli, tmp_path: Path) -> None:
    proc = stage_cli(
        "--sdk-version", "0.1.0", "--validate-only", "--packages-dir", str(tmp_path / "nope")
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert "pyproject.toml is missing; is --packages-dir right?" in line
