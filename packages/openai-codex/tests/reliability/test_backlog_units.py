"""The buffer of notifications of no turn is bounded in bytes too (issue 27): a 64 MB
notification nobody claims is not held while turns go on."""

from __future__ import annotations

import sys

from openai_codex._core.connection.router import ORPHAN_BYTES, Router
from openai_codex._core.connection.sink import Sink


def test_a_huge_unclaimed_notification_is_not_held() -> None:
    router = Router()
    big = "x" * (64 * 1024 * 1024)
    refs = sys.getrefcount(big)
    router.route("fs/changed", {"path": "/big", "content": big})
    for n in range(35):
        router.route("thread/status/changed", {"threadId": f"t{n}", "status": {"type": "idle"}})
    assert sys.getrefcount(big) == refs  # nothing in the router holds it
    assert len(router._orphans) == 35
    assert router._orphans.nbytes < ORPHAN_BYTES


def test_the_backlog_keeps_the_latest_within_its_byte_bound() -> None:
    router = Router(orphan_limit=1000, orphan_bytes=10_000)
    for n in range(100):
        router.route("item/agentMessage/delta", {"turnId": "tA", "delta": f"{n:03d}" + "y" * 500})
    kept = [params["delta"][:3] for _, _, params in router._orphans]
    assert 10 < len(kept) < 25
    assert kept[-1] == "099"  # the newest are the ones kept
    assert router._orphans.nbytes <= 10_000
    # a handle attaching to the turn claims what is kept of it
    sink = Sink()
    router.attach("tA", sink)
    assert len(router._orphans) == 0
    assert router._orphans.nbytes == 0
    claimed = []
    while (item := sink.poll(0)) is not None:
        claimed.append(item)
    assert len(claimed) == len(kept)
