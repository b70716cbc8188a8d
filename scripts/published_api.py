"""Record the public surface of the published ``openai-codex`` wheel, for the compatibility test.

Reads the wheel of the version that pins our runtime (downloaded with ``pip download``, or
``--wheel PATH``) and writes, per public module (no ``_`` in its path), each public name with
its kind (class, model, enum, exception, function, alias, value) and, for functions and
classes' public methods, the parameters (name, kind, whether it has a default). The list is
committed so the test needs no network; nothing of the wheel's code is kept.

    python scripts/published_api.py                  # (re)write the committed list
    python scripts/published_api.py --check          # fail if it differs from the wheel
    python scripts/published_api.py --wheel W.whl    # use a downloaded wheel
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VERSION = "0.163.0"
OUT = ROOT / f"packages/openai-codex/tests/facade/data/published_api_{VERSION}.json"


def _params(fn: Any) -> list[list[Any]] | None:
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return [
        [p.name, p.kind.name, p.default is not inspect.Parameter.empty]
        for p in sig.parameters.values()
    ]


def _kind(obj: Any) -> str | None:
    """The kind of a public name, or None for what is not the package's own (imports)."""
    import enum
    import inspect
    import typing

    from pydantic import BaseModel

    if inspect.ismodule(obj) or isinstance(obj, (typing.TypeVar, typing.ParamSpec)):
        return None
    if inspect.isclass(obj):
        if not obj.__module__.startswith("openai_codex"):
            return None
        if issubclass(obj, enum.Enum):
            return "enum"
        if issubclass(obj, BaseModel):
            return "model"
        if issubclass(obj, BaseException):
            return "exception"
        return "class"
    if inspect.isfunction(obj):
        return "function" if obj.__module__.startswith("openai_codex") else None
    if typing.get_args(obj):
        return "alias"
    if isinstance(obj, (str, int, float, bool, dict, tuple, frozenset)):
        return "value"
    return None


def _methods(cls: type) -> dict[str, Any]:
    import inspect

    out: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("openai_codex"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") and name not in ("__init__", "__enter__", "__aenter__"):
                continue
            if isinstance(member, property):
                out[name] = "property"
            elif inspect.isfunction(member):
                out[name] = _params(member)
            elif isinstance(member, (classmethod, staticmethod)):
                out[name] = _params(member.__func__)
    return out


def inspect_published(site: str) -> dict[str, Any]:
    """(Run in a child with the wheel first on sys.path.) The surface, as JSON-ready data."""
    import importlib

    sys.path.insert(0, site)
    package = Path(site) / "openai_codex"
    modules = sorted(
        ".".join(("openai_codex", *p.relative_to(package).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in package.rglob("*.py")
        if not any(part.startswith("_") for part in p.relative_to(package).parts[:-1])
        and (not p.name.startswith("_") or p.name == "__init__.py")
    )
    surface: dict[str, Any] = {}
    for name in modules:
        module = importlib.import_module(name)
        if not str(module.__file__).startswith(site):
            raise SystemExit(f"published_api: {name} was imported from {module.__file__}")
        names = getattr(module, "__all__", None) or [
            n for n in vars(module) if n[:1] != "_" and n.isidentifier()
        ]
        entries: dict[str, Any] = {}
        for attr in sorted(names):
            obj = getattr(module, attr)
            kind = _kind(obj)
            if kind is None:
                continue
            entry: dict[str, Any] = {"kind": kind}
            if kind == "function":
                entry["params"] = _params(obj)
            elif kind == "class" and "generated" not in name:
                entry["methods"] = _methods(obj)
            entries[attr] = entry
        surface[name] = entries
    return surface


def _wheel(path: str | None, tmp: Path) -> Path:
    if path:
        return Path(path)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp),
         f"openai-codex=={VERSION}"],
        check=True,
    )  # fmt: skip
    return next(tmp.glob("openai_codex-*.whl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the list is stale")
    parser.add_argument("--wheel", help="the published wheel (else pip download)")
    parser.add_argument("--inspect", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        print(json.dumps(inspect_published(args.inspect)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        with zipfile.ZipFile(_wheel(args.wheel, Path(tmp))) as zf:
            zf.extractall(site)
        raw = subprocess.run(
            [sys.executable, __file__, "--inspect", str(site)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        ).stdout
    text = json.dumps({"version": VERSION, "modules": json.loads(raw)}, indent=1, sort_keys=True)
    text += "\n"
    if args.check:
        stale = not OUT.exists() or OUT.read_text() != text
        print(f"{OUT.relative_to(ROOT)} is {'STALE' if stale else 'up to date'}")
        return 1 if stale else 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
