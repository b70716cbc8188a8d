"""The pytest plugin: Codex fixtures in any test suite, on the offline model.

Installed with ``openai-codex`` and registered through the ``pytest11`` entry point, so
its fixtures are there without a ``conftest.py`` line (pytest imports this module only
when pytest runs; it imports the SDK only when a fixture is used). Fixtures:

- ``offline_model``: a started :class:`~openai_codex.testing.OfflineModel` per test, its
  ``CODEX_HOME`` in the test's ``tmp_path / "codex-home"``; closed after the test.
- ``offline_codex_config``: an ``openai_codex.CodexConfig`` whose runtime talks to it.
- ``codex_config``: the config the client fixtures use (``offline_codex_config``, or
  with ``--codex-live`` a config for the real service).
- ``codex``: a ``Codex`` client on ``codex_config``, closed after the test.
- ``async_codex``: an ``AsyncCodex`` client, for ``@pytest.mark.anyio`` tests (asyncio
  and trio: it follows the ``anyio_backend`` fixture); closed after the test.

``--codex-live`` runs the tests that use only ``codex``/``async_codex`` against the real
service, logged in with ``CODEX_API_KEY`` or ``OPENAI_API_KEY``; without a key they are
skipped (saying so), and tests that script ``offline_model`` are skipped in that mode.
The marker ``@pytest.mark.codex_live`` marks a test that needs the real service: skipped
unless ``--codex-live`` is given.

When a test that used ``codex`` or ``async_codex`` fails, its report gets a section
``codex transcript`` with the turns it ran, as the console renderer's plain text.

Assertion helpers for what the model received: ``openai_codex.testing.assert_model_received``
and ``assert_tool_output``.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ._model import OfflineModel

if TYPE_CHECKING:
    from openai_codex import AsyncCodex, Codex, CodexConfig
    from openai_codex.types import Notification

__all__ = [
    "LIVE_KEY_VARIABLES",
    "async_codex",
    "codex",
    "codex_config",
    "offline_codex_config",
    "offline_model",
]

#: Environment variables ``--codex-live`` takes the API key from, in this order.
LIVE_KEY_VARIABLES = ("CODEX_API_KEY", "OPENAI_API_KEY")
_NO_KEY = f"--codex-live needs an API key in {' or '.join(LIVE_KEY_VARIABLES)}"
_TRANSCRIPT_BUFFER = 100_000  # events kept per client for the failure transcript
_DRAIN_WAIT_S = 0.05  # how long the transcript waits for one more event already sent


class _Transcript:
    """The notifications one client fixture received, rendered when its test fails."""

    def __init__(self) -> None:
        self.events: list[Notification] = []
        self._sync_stream: Any = None

    def drain(self) -> None:
        """Take what a sync client's stream holds (the async one is read by a task)."""
        stream = self._sync_stream
        if stream is None:
            return
        while True:
            try:
                self.events.append(stream.next(timeout=_DRAIN_WAIT_S))
            except (TimeoutError, StopAsyncIteration, StopIteration):
                return
            except Exception:  # the client is gone: keep what was read
                return

    def text(self) -> str:
        """The console renderer's plain text of the events."""
        from openai_codex.console import TurnRenderer

        self.drain()
        out = io.StringIO()
        with TurnRenderer(file=out, plain=True) as renderer:
            for event in self.events:
                renderer.feed(event)
        return out.getvalue()


_TRANSCRIPTS = pytest.StashKey[list[_Transcript]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--codex-live``."""
    group = parser.getgroup("codex", "openai-codex")
    group.addoption(
        "--codex-live",
        action="store_true",
        default=False,
        help="run the codex/async_codex fixtures against the real Codex service "
        f"(API key from {' or '.join(LIVE_KEY_VARIABLES)}); offline-scripted tests are skipped",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``codex_live`` marker."""
    config.addinivalue_line(
        "markers",
        "codex_live: needs the real Codex service; runs only with --codex-live and an API key",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a ``codex_live`` test unless ``--codex-live`` is given with an API key."""
    if item.get_closest_marker("codex_live") is None:
        return
    if not _live(item.config):
        pytest.skip("needs the real Codex service: run with --codex-live and an API key")
    if _live_key() is None:
        pytest.skip(_NO_KEY)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Add the ``codex transcript`` section to a failing test's report."""
    outcome = yield  # an old-style wrapper: pytest 7 has no new-style ones
    report: pytest.TestReport = outcome.get_result()
    transcripts = item.stash.get(_TRANSCRIPTS, None)
    if report.failed and transcripts and call.when in ("call", "setup"):
        for number, transcript in enumerate(transcripts, 1):
            try:
                text = transcript.text()
            except Exception as exc:  # never hide the test's own failure behind ours
                text = f"(the transcript could not be rendered: {exc!r})"
            name = "codex transcript" + (f" {number}" if len(transcripts) > 1 else "")
            report.sections.append((name, text or "(no turn ran)\n"))


def _live(config: pytest.Config) -> bool:
    return bool(config.getoption("codex_live", default=False))


def _live_key() -> str | None:
    for name in LIVE_KEY_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    return None


@pytest.fixture
def offline_model(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OfflineModel]:
    """A started offline model with its ``CODEX_HOME`` in ``tmp_path / "codex-home"``;
    queue replies with ``offline_model.enqueue(...)``."""
    if _live(request.config):
        pytest.skip("scripts the offline model: not run with --codex-live")
    with OfflineModel() as model:
        model.codex_home(tmp_path / "codex-home")
        yield model


@pytest.fixture
def offline_codex_config(offline_model: OfflineModel, tmp_path: Path) -> CodexConfig:
    """A ``CodexConfig`` whose runtime talks to ``offline_model``."""
    return offline_model.codex_config(codex_home=tmp_path / "codex-home")


@pytest.fixture
def codex_config(request: pytest.FixtureRequest, tmp_path: Path) -> CodexConfig:
    """The client fixtures' config: ``offline_codex_config``, or with ``--codex-live`` a
    fresh ``CODEX_HOME`` for the real service (skipped when no API key is set)."""
    if not _live(request.config):
        config: CodexConfig = request.getfixturevalue("offline_codex_config")
        return config
    if _live_key() is None:
        pytest.skip(_NO_KEY)
    from openai_codex import CodexConfig

    home = tmp_path / "codex-home-live"
    home.mkdir(exist_ok=True)
    return CodexConfig(env={"CODEX_HOME": str(home)})


def _track(request: pytest.FixtureRequest) -> _Transcript:
    transcript = _Transcript()
    request.node.stash.setdefault(_TRANSCRIPTS, []).append(transcript)
    return transcript


@pytest.fixture
def codex(request: pytest.FixtureRequest, codex_config: CodexConfig) -> Iterator[Codex]:
    """A ``Codex`` client on ``codex_config``, closed after the test."""
    from openai_codex import Codex

    transcript = _track(request)
    with Codex(codex_config) as client:
        key = _live_key() if _live(request.config) else None
        if key is not None:
            client.login_api_key(key)
        stream = client.events(max_buffered=_TRANSCRIPT_BUFFER)
        transcript._sync_stream = stream
        try:
            yield client
        finally:  # the report (made before teardown) has drained what it needed
            transcript._sync_stream = None
            stream.close()


@pytest.fixture
async def async_codex(
    request: pytest.FixtureRequest, codex_config: CodexConfig, anyio_backend: Any
) -> AsyncIterator[AsyncCodex]:
    """An ``AsyncCodex`` client on ``codex_config`` for ``@pytest.mark.anyio`` tests
    (asyncio or trio, as ``anyio_backend`` says), closed after the test."""
    import anyio

    from openai_codex import AsyncCodex

    transcript = _track(request)
    async with AsyncCodex(codex_config) as client:
        key = _live_key() if _live(request.config) else None
        if key is not None:
            await client.login_api_key(key)
        stream = await client.events(max_buffered=_TRANSCRIPT_BUFFER)

        async def record() -> None:
            try:
                async for event in stream:
                    transcript.events.append(event)
            except Exception:  # the connection went away: keep what was read
                return

        async with anyio.create_task_group() as group:
            group.start_soon(record)
            try:
                yield client
            finally:
                await stream.close()
