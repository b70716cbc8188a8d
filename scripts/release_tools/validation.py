"""Validating the requested version, a release tag and the facade's runtime pin."""

from __future__ import annotations

from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .common import RUNTIME, TAG_PREFIX, TEMPLATE_VERSION, StageError


def validate_version(raw: str) -> str:
    """Return ``raw`` if it is a normalised, publishable PEP 440 version; raise StageError."""
    text = raw.strip()
    if not text:
        raise StageError("the version is empty; pass e.g. --sdk-version 0.1.0b2")
    if text.lower() in {TEMPLATE_VERSION, "0.0.0.dev0"}:
        raise StageError(
            f"{text!r} is the source template version; pass the release version, e.g. 0.1.0b2"
        )
    try:
        parsed = Version(text)
    except InvalidVersion:
        raise StageError(
            f"{raw!r} is not a valid PEP 440 version; use e.g. 0.1.0, 0.1.0b2, 0.1.0rc1 or 0.1.0.post1"
        ) from None
    if parsed == Version(TEMPLATE_VERSION):
        raise StageError(
            f"{text!r} is the source template version; pass the release version, e.g. 0.1.0b2"
        )
    if parsed.local is not None:
        raise StageError(
            f"{text!r} has a local version label (+{parsed.local}); PyPI refuses those, drop it"
        )
    if str(parsed) != text:
        raise StageError(f"{raw!r} is not normalised PEP 440; use {str(parsed)!r}")
    return text


def version_from_tag(tag: str) -> str:
    """The validated version of a ``python-vX`` tag; raise StageError."""
    name = tag.strip()
    if not name.startswith(TAG_PREFIX):
        raise StageError(f"tag {tag!r} must start with {TAG_PREFIX!r}, e.g. {TAG_PREFIX}0.1.0b2")
    version = name[len(TAG_PREFIX) :]
    if not version:
        raise StageError(
            f"tag {tag!r} has no version after {TAG_PREFIX!r}, e.g. {TAG_PREFIX}0.1.0b2"
        )
    try:
        return validate_version(version)
    except StageError as exc:
        raise StageError(f"tag {tag!r}: {exc}") from None


def is_prerelease(version: str) -> bool:
    """True for alpha, beta, release-candidate and dev versions (pip skips them by default)."""
    return Version(version).is_prerelease


def _requirements(project: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(extra or None, requirement string) for every dependency of a [project] table."""
    out: list[tuple[str | None, str]] = [(None, dep) for dep in project.get("dependencies", [])]
    for extra, deps in project.get("optional-dependencies", {}).items():
        out.extend((extra, dep) for dep in deps)
    return out


def parse_requirement(text: str, where: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise StageError(f"{where}: {text!r} is not a valid requirement ({exc})") from None


def runtime_pin(facade_project: dict[str, Any], where: str = "openai-codex pyproject.toml") -> str:
    """The facade's one reviewed ``openai-codex-cli-bin==V`` requirement, validated."""
    pins = [
        dep
        for dep in facade_project.get("dependencies", [])
        if canonicalize_name(parse_requirement(dep, where).name) == RUNTIME
    ]
    if len(pins) != 1:
        raise StageError(
            f"{where} must declare exactly one {RUNTIME}== pin in [project].dependencies, found {len(pins)}"
        )
    req = parse_requirement(pins[0], where)
    specs = list(req.specifier)
    if (
        len(specs) != 1
        or specs[0].operator != "=="
        or "*" in specs[0].version
        or req.extras
        or req.marker is not None
    ):
        raise StageError(
            f"{where}: the runtime requirement {pins[0]!r} must be an exact pin, {RUNTIME}==<version>"
        )
    for extra, dep in _requirements(facade_project):
        if extra is not None and canonicalize_name(parse_requirement(dep, where).name) == RUNTIME:
            raise StageError(f"{where}: {RUNTIME} must only be pinned in [project].dependencies")
    pin: str = pins[0]
    return pin
