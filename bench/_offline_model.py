"""The offline model every client's runtime talks to, served from the benchmark process."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _script import BIG_DELTAS, big_text, expected_text, requested_deltas, requested_megabytes


@contextlib.contextmanager
def offline_model(
    log: Callable[[str], None], *, bench_mock: bool = False, delay: float = 0.0
) -> Iterator[Callable[[Path], None]]:
    """Serve the model; yields ``write_home(dir)`` which writes a CODEX_HOME pointing at it.

    ``delay``: seconds the model waits before each event of a ``bench-reply`` (paced deltas,
    so a client gets them one at a time instead of in bursts; the offline model only).
    """
    try:
        if bench_mock:
            raise ImportError
        from openai_codex.testing import OfflineModel, Reply
    except ImportError:
        from _mockmodel import MockModel, write_mock_home

        log("using bench/_mockmodel.py as the offline model")
        with MockModel() as mock:
            yield lambda d: write_mock_home(d, mock.base_url)
        return

    def respond(request: Any) -> Any:
        megabytes = requested_megabytes(request.last_user_text)
        if megabytes is not None:
            return Reply.text(big_text(megabytes), deltas=BIG_DELTAS)
        n = requested_deltas(request.last_user_text)
        return Reply.text(expected_text(n), deltas=n, delay=delay)

    with OfflineModel(default=respond) as model:

        def write_model_home(directory: Path) -> None:
            model.codex_home(directory)

        yield write_model_home
