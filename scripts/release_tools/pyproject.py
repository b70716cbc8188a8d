"""Rewriting a staged pyproject.toml: the version and the sibling pins (a minimal text edit,
verified by re-parsing)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

import tomllib  # type: ignore[import-not-found,unused-ignore]  # mypy runs as 3.10
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .common import INTERNAL, StageError
from .validation import parse_requirement


def pin_internal(requirement: str, version: str) -> str:
    """``requirement`` with its version specifier replaced by ``==version`` (extras, marker kept)."""
    req = Requirement(requirement)
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    marker = f"; {req.marker}" if req.marker is not None else ""
    return f"{req.name}{extras}=={version}{marker}"


def _section_spans(text: str) -> list[tuple[str, int, int]]:
    """(header, start, end) of each ``[table]`` section; the preamble has header ``""``."""
    headers = list(
        re.finditer(r"(?m)^[ \t]*\[{1,2}[ \t]*([^\]\n]+?)[ \t]*\]{1,2}[ \t]*(?:#.*)?$", text)
    )
    spans: list[tuple[str, int, int]] = []
    starts = [0, *[m.start() for m in headers]]
    names = ["", *[m.group(1) for m in headers]]
    for i, (name, start) in enumerate(zip(names, starts, strict=True)):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        spans.append((name.replace(" ", ""), start, end))
    return spans


def _replace_in_sections(
    text: str,
    sections: Iterable[str],
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
) -> tuple[str, int]:
    wanted = set(sections)
    out: list[str] = []
    count = 0
    for name, start, end in _section_spans(text):
        chunk = text[start:end]
        if name in wanted:
            chunk, n = pattern.subn(repl, chunk)
            count += n
        out.append(chunk)
    return "".join(out), count


def _literal(value: str) -> Callable[[re.Match[str]], str]:
    """A substitution writing ``value`` as a TOML basic string (JSON string syntax is valid TOML)."""
    quoted = json.dumps(value)
    return lambda _match: quoted


def rewrite_pyproject(text: str, version: str, where: str = "pyproject.toml") -> str:
    """Write ``version`` into [project].version and pin every sibling package to ``==version``.

    The edit touches only those string literals; the result is re-parsed and compared with the
    expected data, so anything unexpected (an inline table, a multi-line string, a missed pin) is
    refused rather than silently staged.
    """
    data = tomllib.loads(text)
    project = data.get("project")
    if not isinstance(project, dict) or not isinstance(project.get("version"), str):
        raise StageError(f"{where}: [project].version must be a literal string")

    expected = json.loads(json.dumps(data))  # a deep copy
    expected["project"]["version"] = version
    replacements: dict[str, str] = {}
    deps = expected["project"].get("dependencies", [])
    for i, dep in enumerate(deps):
        if canonicalize_name(parse_requirement(dep, where).name) in INTERNAL:
            deps[i] = replacements[dep] = pin_internal(dep, version)
    for extra_deps in expected["project"].get("optional-dependencies", {}).values():
        for i, dep in enumerate(extra_deps):
            if canonicalize_name(parse_requirement(dep, where).name) in INTERNAL:
                extra_deps[i] = replacements[dep] = pin_internal(dep, version)

    old_version = re.escape(project["version"])
    version_re = re.compile(rf"(?m)^([ \t]*version[ \t]*=[ \t]*)([\"']){old_version}\2")
    new_text, n = _replace_in_sections(
        text, ["project"], version_re, lambda m: f'{m.group(1)}"{version}"'
    )
    if n != 1:
        raise StageError(f"{where}: expected one `version = ...` line in [project], found {n}")

    for old, new in replacements.items():
        dep_re = re.compile(rf"([\"']){re.escape(old)}\1")
        new_text, n = _replace_in_sections(
            new_text,
            ["project", "project.optional-dependencies"],
            dep_re,
            _literal(new),
        )
        if n < 1:
            raise StageError(f"{where}: could not find the requirement {old!r} to rewrite")

    if tomllib.loads(new_text) != expected:
        raise StageError(f"{where}: rewriting the version and pins changed more than intended")
    return new_text
