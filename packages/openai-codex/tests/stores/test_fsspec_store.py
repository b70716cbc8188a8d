"""``FsspecStore`` passes the conformance suite on ``memory://`` and ``file://``."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest

from openai_codex import AsyncCodex, CodexConfig
from openai_codex.testing import OfflineModel
from openai_codex.testing import store_conformance as conformance

fsspec = pytest.importorskip("fsspec", reason="fsspec is not installed (openai-codex[fsspec])")

from openai_codex.stores import FsspecStore  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(180)]

Check = Callable[[conformance.StoreUnderTest], Awaitable[None]]


async def run(check: Check, sut: conformance.StoreUnderTest, backend: str) -> None:
    if check is conformance.check_torn_write and backend == "trio":
        pytest.skip("the torn-write check spawns processes; once (under asyncio) is enough")
    try:
        await check(sut)
    except conformance.CheckSkipped as exc:
        pytest.skip(str(exc))


def _flip_first_chunk(url: str, thread_id: str) -> None:
    fs, root = fsspec.core.url_to_fs(url)
    chunk = sorted(p for p in fs.ls(f"{root}/{thread_id}", detail=False) if "chunk-" in p)[0]
    data = bytearray(fs.cat_file(chunk))
    data[10] ^= 0x01
    fs.pipe_file(chunk, bytes(data))


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_memory_url(check: Check, anyio_backend: str) -> None:
    url = f"memory://codex-tests/{uuid.uuid4().hex}"
    sut = conformance.StoreUnderTest(
        partial(FsspecStore, url), corrupt=partial(_flip_first_chunk, url), cross_process=False
    )
    try:
        await run(check, sut, anyio_backend)
    finally:
        fs, root = fsspec.core.url_to_fs(url)
        if fs.exists(root):
            fs.rm(root, recursive=True)


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_file_url(check: Check, tmp_path: Path, anyio_backend: str) -> None:
    url = (tmp_path / "store").as_uri()
    sut = conformance.StoreUnderTest(
        partial(FsspecStore, url), corrupt=partial(_flip_first_chunk, url)
    )
    await run(check, sut, anyio_backend)


async def test_thread_moves_through_a_memory_url(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig
) -> None:
    store = FsspecStore(f"memory://codex-tests/{uuid.uuid4().hex}")
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("remember the word kestrel")
        await thread.save(store)
    async with AsyncCodex(home_b) as codex:
        restored = await codex.thread_restore(thread.id, store)
        await restored.run("which word?")
    assert model.requests[-1].user_texts[-2:] == ["remember the word kestrel", "which word?"]


def test_repr_names_the_url_without_options() -> None:
    store = FsspecStore("memory://codex-tests/repr", skip_instance_cache=True)
    assert repr(store) == "FsspecStore('memory://codex-tests/repr')"
