"""The command line: run the pinned runtime, generate, format, then write or ``--check``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .formatting import find_ruff, ruff_format
from .generate import generate
from .output import check_files, write_files
from .schema import dump_schema, find_codex, load_definitions, runtime_pin, runtime_version
from .settings import OUT_DIR, RUNTIME_DIST

DESCRIPTION = "Generate openai_codex_types from the pinned Codex runtime's JSON schema."


def render(codex: str | None, ruff: list[str] | None) -> tuple[dict[str, str], str]:
    """All generated files (formatted when ``ruff`` is given) and the runtime version."""
    pin = runtime_pin()
    binary = find_codex(codex)
    version = runtime_version(binary)
    if version != pin:
        raise SystemExit(
            f"the runtime at {binary} is {version}, but the pin is {RUNTIME_DIST}=={pin}; "
            "install the pinned runtime (nox -s generate does)"
        )
    with tempfile.TemporaryDirectory(prefix="codex-schema-") as tmp:
        tmpdir = Path(tmp)
        dump_schema(binary, tmpdir / "stable", experimental=False)
        dump_schema(binary, tmpdir / "experimental", experimental=True)
        stable = load_definitions(tmpdir / "stable")
        experimental = load_definitions(tmpdir / "experimental")
        files = generate(stable, experimental, version)
        if ruff is None:
            return files, version
        out = tmpdir / "out"
        out.mkdir()
        for rel, content in files.items():
            (out / rel).write_text(content, encoding="utf-8")
        ruff_format(ruff, out)
        formatted = {rel: (out / rel).read_text(encoding="utf-8") for rel in files}
    return formatted, version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed files are stale"
    )
    parser.add_argument("--codex", help="the codex binary to use (default: the installed pin)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)

    ruff, why_not = find_ruff()
    if ruff is None and not args.check:
        raise SystemExit(f"{why_not}: install it to generate (nox -s generate does)")
    files, version = render(args.codex, ruff)
    out: Path = args.out
    if args.check:
        if ruff is None:
            print(f"note: {why_not}; comparing code, not formatting", file=sys.stderr)
        return check_files(out, files, version, exact=ruff is not None)
    return write_files(out, files, version)
