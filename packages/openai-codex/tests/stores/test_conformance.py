"""Every built-in store passes ``openai_codex.testing.store_conformance``."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest

from openai_codex.stores import DirectoryStore, SQLiteStore
from openai_codex.testing import store_conformance as conformance

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(180)]

Check = Callable[[conformance.StoreUnderTest], Awaitable[None]]


async def run(check: Check, sut: conformance.StoreUnderTest, backend: str) -> None:
    if check is conformance.check_torn_write and backend == "trio":
        pytest.skip("the torn-write check spawns processes; once (under asyncio) is enough")
    try:
        await check(sut)
    except conformance.CheckSkipped as exc:
        pytest.skip(str(exc))


def _flip_first_chunk(root: Path, thread_id: str) -> None:
    chunk = sorted((root / thread_id).glob("chunk-*.bin"))[0]
    data = bytearray(chunk.read_bytes())
    data[10] ^= 0x01
    chunk.write_bytes(bytes(data))


def _flip_sqlite_chunk(path: Path, thread_id: str) -> None:
    with sqlite3.connect(path) as conn:
        (data,) = conn.execute(
            "SELECT data FROM codex_thread_chunks WHERE thread_id = ? AND start_at = 0",
            (thread_id,),
        ).fetchone()
        damaged = bytearray(data)
        damaged[10] ^= 0x01
        conn.execute(
            "UPDATE codex_thread_chunks SET data = ? WHERE thread_id = ? AND start_at = 0",
            (bytes(damaged), thread_id),
        )


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_directory_store(check: Check, tmp_path: Path, anyio_backend: str) -> None:
    root = tmp_path / "store"
    await run(
        check,
        conformance.StoreUnderTest(
            partial(DirectoryStore, root), corrupt=partial(_flip_first_chunk, root)
        ),
        anyio_backend,
    )


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_sqlite_store(check: Check, tmp_path: Path, anyio_backend: str) -> None:
    path = tmp_path / "threads.sqlite"
    await run(
        check,
        conformance.StoreUnderTest(
            partial(SQLiteStore, path), corrupt=partial(_flip_sqlite_chunk, path)
        ),
        anyio_backend,
    )


async def test_a_torn_manifest_falls_back_to_the_previous_save(tmp_path: Path) -> None:
    """A half-written newest manifest (a medium without atomic rename) is skipped."""
    store = DirectoryStore(tmp_path / "store")
    data = b'{"a":1}\n'
    record = conformance.record_for("t1", data)
    await store.save(record, data)
    folder = tmp_path / "store" / "t1"
    (folder / "manifest-000000000009.json").write_bytes(b'{"format": 1, "rec')
    assert (await store.load("t1"))[1] == data


async def test_a_damaged_only_manifest_names_the_thread(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "store")
    data = b'{"a":1}\n'
    await store.save(conformance.record_for("t1", data), data)
    (manifest,) = (tmp_path / "store" / "t1").glob("manifest-*.json")
    manifest.write_bytes(b"not json")
    with pytest.raises(conformance.StoredThreadCorruptError, match="thread t1"):
        await store.load("t1")
