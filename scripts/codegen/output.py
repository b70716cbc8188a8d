"""Writing the generated files, or comparing them with the committed ones (``--check``)."""

from __future__ import annotations

import ast
import difflib
import sys
from pathlib import Path


def same_code(committed: str, generated: str) -> bool:
    """Equal header lines and equal syntax trees: the comparison used when ruff is missing."""
    if committed.splitlines()[:2] != generated.splitlines()[:2]:
        return False
    try:
        return ast.dump(ast.parse(committed)) == ast.dump(ast.parse(generated))
    except SyntaxError:
        return False


def existing_files(out: Path) -> set[str]:
    return {p.name for p in out.glob("*.py")} if out.is_dir() else set()


def check_files(out: Path, files: dict[str, str], version: str, exact: bool) -> int:
    """0 if ``out`` holds exactly ``files``; else name what is stale or left over and return 1.

    ``exact`` compares bytes (the files were formatted by the pinned ruff); otherwise only the
    header lines and the code are compared.
    """
    existing = existing_files(out)
    stale = []
    for rel, content in sorted(files.items()):
        path = out / rel
        if not path.is_file():
            stale.append(rel)
            continue
        committed = path.read_text(encoding="utf-8")
        fresh = committed == content if exact else same_code(committed, content)
        if not fresh:
            stale.append(rel)
    extra = sorted(existing - set(files))
    if stale or extra:
        for rel in stale:
            print(f"stale: {out / rel}", file=sys.stderr)
            path = out / rel
            if path.is_file():
                diff = difflib.unified_diff(
                    path.read_text(encoding="utf-8").splitlines(),
                    files[rel].splitlines(),
                    "committed",
                    "regenerated",
                    lineterm="",
                    n=1,
                )
                for line in list(diff)[:20]:
                    print(f"    {line}", file=sys.stderr)
        for rel in extra:
            print(f"not generated any more: {out / rel}", file=sys.stderr)
        print(
            f"openai_codex_types is stale against runtime {version}: run `nox -s generate`",
            file=sys.stderr,
        )
        return 1
    print(f"openai_codex_types is up to date with runtime {version} ({len(files)} files)")
    return 0


def write_files(out: Path, files: dict[str, str], version: str) -> int:
    """Make ``out`` hold exactly ``files`` (unchanged files are not rewritten); return 0."""
    existing = existing_files(out)
    out.mkdir(parents=True, exist_ok=True)
    for rel in sorted(existing - set(files)):
        (out / rel).unlink()
    for rel, content in files.items():
        path = out / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
    print(f"wrote {len(files)} files to {out} from runtime {version}")
    return 0
