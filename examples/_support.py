"""Shared by the examples: run against the offline model unless ``--live`` is given.

Every example is a normal SDK program. The only thing this helper changes is *which
model* the runtime talks to:

- by default, ``openai_codex.testing.OfflineModel``: a loopback server that answers
  like the Responses API, so the example runs with no network and no API key (the
  real ``codex`` runtime still runs: threads, turns, streaming are all real);
- with ``--live``, no config at all: ``Codex()`` uses your normal Codex login
  (``~/.codex``), so the same code talks to the real service.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from openai_codex import CodexConfig
from openai_codex.testing import OfflineModel, Reply

LIVE = "--live" in sys.argv[1:]


@contextlib.contextmanager
def example_config(*replies: Reply) -> Iterator[CodexConfig | None]:
    """Yield the ``CodexConfig`` to pass to ``Codex``/``AsyncCodex``.

    Offline: a config whose runtime talks to a fresh ``OfflineModel`` that will answer
    with ``replies`` first (then with its default reply, which quotes the prompt).
    Live: ``None``, the default configuration.
    """
    if LIVE:
        yield None
        return
    with OfflineModel() as model:
        model.enqueue(*replies)
        yield model.codex_config()


@contextlib.contextmanager
def two_machines(*replies: Reply) -> Iterator[tuple[CodexConfig | None, CodexConfig | None]]:
    """Two configs whose runtimes keep threads apart, as on two machines.

    Offline: two fresh CODEX_HOMEs on one ``OfflineModel`` (answering with ``replies``
    first). Live: ``(None, None)``, your normal login for both.
    """
    if LIVE:
        yield None, None
        return
    with OfflineModel() as model:
        model.enqueue(*replies)
        yield model.codex_config(fresh_home=True), model.codex_config(fresh_home=True)
