"""Docs and examples show the Python face: no ``.root`` (union values are concrete, issue 25)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOT_ATTRIBUTE = re.compile(r"\.root\b")


def _sources() -> list[Path]:
    files = [*ROOT.glob("docs/**/*.md"), *ROOT.glob("examples/**/*.py")]
    files += [ROOT / "README.md", *ROOT.glob("packages/*/README.md")]
    return sorted(p for p in files if p.is_file())


def test_docs_and_examples_never_use_root() -> None:
    sources = _sources()
    assert len(sources) > 20
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROOT_ATTRIBUTE.search(line)
    ]
    assert hits == [], "use the concrete item (item.type, item.text), not .root:\n" + "\n".join(
        hits
    )


def test_the_check_finds_root() -> None:
    assert ROOT_ATTRIBUTE.search("print(event.payload.item.root.type)")
    assert not ROOT_ATTRIBUTE.search("writable roots; root_dir")
