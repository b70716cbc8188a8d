"""``PostgresStore`` against a real PostgreSQL server started by the tests (``nox -s
stores-postgres``); skipped with the reason when psycopg or the server binaries are absent."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from functools import partial

import pytest

from openai_codex import AsyncCodex, CodexConfig
from openai_codex.stores import ThreadStoreError
from openai_codex.testing import OfflineModel
from openai_codex.testing import store_conformance as conformance
from openai_codex.testing.postgres import find_binaries, postgres_server

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (openai-codex[postgres])")

from openai_codex.stores import PostgresStore  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(300)]

Check = Callable[[conformance.StoreUnderTest], Awaitable[None]]


@pytest.fixture(scope="module")
def server_dsn() -> Iterator[str]:
    bin_dir, why = find_binaries()
    if bin_dir is None:
        pytest.skip(why)
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture
def dsn(server_dsn: str) -> str:
    """A fresh database on the server for each test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_dsn.rsplit("/", 1)[0] + f"/{name}"


def _flip_first_chunk(dsn: str, thread_id: str) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "UPDATE codex_thread_chunks SET data = overlay(data placing '\\x00'::bytea from 11) "
            "WHERE thread_id = %s AND start_at = 0",
            (thread_id,),
        )


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_postgres_store(check: Check, dsn: str, anyio_backend: str) -> None:
    if check is conformance.check_torn_write and anyio_backend == "trio":
        pytest.skip("the torn-write check spawns processes; once (under asyncio) is enough")
    sut = conformance.StoreUnderTest(
        partial(PostgresStore, dsn), corrupt=partial(_flip_first_chunk, dsn)
    )
    try:
        await check(sut)
    except conformance.CheckSkipped as exc:
        pytest.skip(str(exc))


async def test_thread_moves_through_postgres(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig, dsn: str
) -> None:
    store = PostgresStore(dsn)
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("remember the word heron")
        await thread.save(store)
    async with AsyncCodex(home_b) as codex:
        restored = await codex.thread_restore(thread.id, store)
        await restored.run("which word?")
    assert model.requests[-1].user_texts[-2:] == ["remember the word heron", "which word?"]


async def test_the_password_is_never_shown(
    server_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = server_dsn.rsplit(":", 1)[1].split("/", 1)[0]
    secret = "pw-" + uuid.uuid4().hex
    good = PostgresStore(f"postgresql://postgres:{secret}@127.0.0.1:{port}/postgres")
    assert secret not in repr(good)
    assert "127.0.0.1" in repr(good)
    await good.threads()  # trust auth: connects
    bad = PostgresStore(f"postgresql://nosuchuser:{secret}@127.0.0.1:{port}/nosuchdb")
    with pytest.raises(ThreadStoreError) as caught:
        await bad.threads()
    assert secret not in str(caught.value)
    assert "nosuchdb" in str(caught.value)
    assert secret not in caplog.text
