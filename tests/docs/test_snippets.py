"""Every ```python block in README.md and docs/ runs against the offline model.

A block runs in a fresh namespace that already holds the SDK's common names (``Codex``,
``AsyncCodex``, ``Reply``, ``tool``, ...), ``model`` (a fresh ``OfflineModel`` answering
``echo_reply`` unless the block scripts it) and, when the block uses them without binding them,
``codex`` (a ``Codex`` on that model) and ``thread`` (a thread of it). ``CODEX_HOME`` points at
the model and the working directory is a temporary one, so ``Codex()`` with no arguments runs
offline too. Top-level ``await``/``async with`` is run in an event loop; ``test_*`` functions a
block defines are called (``offline_model``/``offline_codex_config``/``codex``/``async_codex``
parameters filled in, as the pytest plugin would).

An HTML comment right before a block changes that:

- ``<!-- snippet: needs-service -->``: the block needs the real model service or another
  server the tests cannot start (a login, a Temporal server): it is compiled, its imports run,
  and mypy type-checks it (``test_needs_service_blocks_type_check``).
- ``<!-- snippet-setup CODE -->``: CODE (Python, may span lines) runs first, unseen by readers.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest

import openai_codex
from openai_codex.testing import OfflineModel, Reply, Usage

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)```python\s*$")
COMMENT = re.compile(r"<!--\s*(?P<body>.*?)\s*-->\s*$", re.DOTALL)
NEEDS_SERVICE = "snippet: needs-service"
SETUP = "snippet-setup"
# names every block may use without importing them
PRELUDE_NAMES = (
    "Codex",
    "AsyncCodex",
    "ApprovalMode",
    "Sandbox",
    "ServerRequestHandlers",
    "tool",
)


@dataclass(frozen=True)
class Snippet:
    """One ```python block of a Markdown file."""

    path: Path
    line: int
    code: str
    setup: str = ""
    needs_service: bool = False

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _directive(lines: list[str], fence: int) -> str | None:
    """The body of an HTML comment that ends right before line ``fence`` (blank lines allowed)."""
    end = fence - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or not lines[end].rstrip().endswith("-->"):
        return None
    start = end
    while start >= 0 and "<!--" not in lines[start]:
        start -= 1
    match = COMMENT.search("\n".join(lines[start : end + 1]))
    return match.group("body") if match else None


def collect(path: Path) -> list[Snippet]:
    """The python blocks of one Markdown file, with their directives."""
    lines = path.read_text().splitlines()
    snippets = []
    index = 0
    while index < len(lines):
        opened = FENCE_OPEN.match(lines[index])
        if not opened:
            index += 1
            continue
        indent = len(opened.group("indent"))
        end = index + 1
        while lines[end].strip() != "```":
            end += 1
        code = "\n".join(line[indent:] for line in lines[index + 1 : end]) + "\n"
        body = _directive(lines, index)
        setup, needs_service = "", False
        if body is not None and body.startswith("snippet"):
            if body == NEEDS_SERVICE:
                needs_service = True
            elif body.startswith(SETUP):
                setup = textwrap.dedent(body[len(SETUP) :].lstrip(" ").lstrip("\n")).rstrip() + "\n"
            else:
                raise ValueError(f"{path}:{index + 1}: unknown snippet directive {body!r}")
        snippets.append(Snippet(path, index + 1, code, setup, needs_service))
        index = end + 1
    return snippets


SNIPPETS = [snippet for source in SOURCES for snippet in collect(source)]


def _free_names(tree: ast.AST) -> set[str]:
    """Names a block reads without binding them anywhere."""
    loads, stores = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else stores).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores.add(node.name)
        elif isinstance(node, ast.arg):
            stores.add(node.arg)
    return loads - stores


def _compile(source: str, name: str) -> Any:
    return compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def _run(code: Any, namespace: dict[str, Any]) -> None:
    result = eval(code, namespace)
    if inspect.iscoroutine(result):

        async def main() -> None:
            await result

        anyio.run(main)


def test_the_docs_have_snippets() -> None:
    assert len(SNIPPETS) >= 20
    assert any(s.needs_service for s in SNIPPETS)
    assert any(s.setup for s in SNIPPETS)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet(snippet: Snippet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _compile(snippet.code, snippet.id)  # a syntax error fails every block, marked or not
    tree = ast.parse(snippet.setup + snippet.code)
    if snippet.needs_service:
        imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        exec(compile(ast.Module(body=imports, type_ignores=[]), snippet.id, "exec"), {})
        return
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__snippet__"}
    namespace.update({name: getattr(openai_codex, name) for name in PRELUDE_NAMES})
    namespace.update(OfflineModel=OfflineModel, Reply=Reply, Usage=Usage, workdir=tmp_path)
    free = _free_names(tree)
    with OfflineModel() as model, contextlib.ExitStack() as stack:
        monkeypatch.setenv("CODEX_HOME", str(model.codex_home()))
        namespace["model"] = model
        if free & {"codex", "thread"}:
            codex = stack.enter_context(openai_codex.Codex(model.codex_config(cwd=str(tmp_path))))
            namespace.update(codex=codex, thread=codex.thread_start())
        if snippet.setup:
            exec(_compile(snippet.setup, f"{snippet.id} (setup)"), namespace)
        _run(code, namespace)
        fixtures = {
            "offline_model": model,
            "offline_codex_config": model.codex_config(cwd=str(tmp_path)),
            "tmp_path": tmp_path,
        }
        for name, value in list(namespace.items()):
            if name.startswith("test_") and inspect.isfunction(value):
                _call_test(value, fixtures, model, tmp_path, stack)


def _call_test(
    test: Any,
    fixtures: dict[str, Any],
    model: OfflineModel,
    tmp_path: Path,
    stack: contextlib.ExitStack,
) -> None:
    """Call a ``test_*`` function a block defines with the pytest plugin's fixtures it names
    (``codex``/``async_codex`` made here, as the plugin makes them)."""
    params = inspect.signature(test).parameters
    config = model.codex_config(cwd=str(tmp_path))
    if "codex" in params and "codex" not in fixtures:
        fixtures["codex"] = stack.enter_context(openai_codex.Codex(config))
    if not inspect.iscoroutinefunction(test):
        test(**{param: fixtures[param] for param in params})
        return

    async def main() -> None:
        async with openai_codex.AsyncCodex(config) as async_codex:
            given = {**fixtures, "async_codex": async_codex}
            await test(**{param: given[param] for param in params})

    anyio.run(main)


# The names a block may use without binding them, as mypy sees them (a block that needs the
# real service is type-checked, since it cannot run here).
_TYPED_PRELUDE = """\
from pathlib import Path
from openai_codex import ApprovalMode, AsyncCodex, Codex, Sandbox, ServerRequestHandlers, Thread, tool
from openai_codex.testing import OfflineModel, Reply, Usage

model: OfflineModel
codex: Codex
thread: Thread
workdir: Path
"""


@pytest.mark.timeout(400)  # one mypy run over every block: ~60 s alone, more on a loaded machine
def test_needs_service_blocks_type_check(tmp_path: Path) -> None:
    """mypy (not strict: snippets are prose, not library code) finds no error in the blocks
    marked ``needs-service``; each is checked as a module of its own (async code in an
    ``async def``, as the block would run in an event loop)."""
    import subprocess
    import sys

    marked = [s for s in SNIPPETS if s.needs_service]
    assert marked
    files = []
    for index, snippet in enumerate(marked):
        body = snippet.setup + snippet.code
        head = _TYPED_PRELUDE
        if "await " in body or "async " in body:
            head += "async def _snippet() -> None:\n"
            body = textwrap.indent(body, "    ")
        path = tmp_path / f"snippet_{index}.py"
        path.write_text(head + body)
        # a line of the file -> the line of the Markdown file it came from
        offset = snippet.line - head.count("\n") - snippet.setup.count("\n")
        files.append((path, snippet, offset))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context"]
        + ["--disable-error-code=no-redef", "--disable-error-code=union-attr"]
        + ["--cache-dir", str(tmp_path / ".mypy_cache")]
        + [str(path) for path, _, _ in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = []
    for path, snippet, offset in files:
        for line in proc.stdout.splitlines():
            if line.startswith(f"{path}:") and ": error:" in line:
                number, message = line[len(str(path)) + 1 :].split(":", 1)
                doc = snippet.path.relative_to(ROOT)
                errors.append(f"{doc}:{int(number) + offset}:{message}")
    assert errors == [], "\n".join(errors)
