"""A conformance suite for thread stores: every built-in store runs it; run it on yours.

Each check is an async function taking a :class:`StoreUnderTest`; with pytest::

    from functools import partial
    import pytest
    from openai_codex.testing import store_conformance as conformance

    @pytest.mark.anyio
    @pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
    async def test_my_store(check, tmp_path):
        await check(conformance.StoreUnderTest(partial(MyStore, tmp_path / "s"), corrupt=...))

What is checked: a round trip (save, info, load, list, delete); incremental append (and a
refused append at the wrong offset leaves the data intact); concurrent saves of two
threads through two store objects; loads during saves that replace and append (every
load is one complete save); a torn write (a process killed with SIGKILL at a random
point inside a save, six times over) never leaves a thread that cannot be loaded, and what loads is
one complete save; an unknown id; damaged data gives ``StoredThreadCorruptError`` naming
the thread.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread

from ..stores import (
    StoreConflictError,
    StoredThread,
    StoredThreadCorruptError,
    ThreadNotStoredError,
    ThreadStore,
    ThreadStoreError,
)

__all__ = [
    "CHECKS",
    "StoreUnderTest",
    "StoredThreadCorruptError",
    "check_concurrent_saves",
    "check_corrupt_data",
    "check_id",
    "check_incremental_append",
    "check_reads_during_saves",
    "check_round_trip",
    "check_torn_write",
    "check_unknown_id",
    "record_for",
]

#: how long any one check may wait for the store or a child process
DEADLINE_S = 60.0
_LINE = 100  # bytes per generated rollout line
_THREAD_A = "01a24d07-fa6e-7943-8fec-84d5d0b80a3e"
_THREAD_B = "01a24d08-0643-7c12-91f9-79ef8bea3226"


@dataclass(frozen=True)
class StoreUnderTest:
    """The store to check.

    - ``factory``: makes a store object over the same storage each call (two objects model
      two processes), empty when the check starts (give each check its own); picklable (``functools.partial(MyStore, path)``) for the torn-write
      check, which makes the store in a child process
    - ``corrupt``: damages the stored bytes of a thread id in the storage (``None``: the
      corrupt-data check is skipped)
    - ``cross_process``: ``False`` for a store only one process can see (``memory://``):
      the torn-write check is skipped
    """

    factory: Callable[[], ThreadStore]
    corrupt: Callable[[str], Any] | None = None
    cross_process: bool = True


class CheckSkipped(Exception):
    """A check that does not apply to this store (pytest users: ``pytest.skip`` it)."""


def check_id(check: Callable[..., Any]) -> str:
    """A short test id for a check (``round_trip``)."""
    return check.__name__.removeprefix("check_")


def _lines(start: int, count: int) -> bytes:
    """Deterministic rollout lines ``start..start+count``: ``_LINE`` bytes each."""
    return b"".join(
        f'{{"n":{i:012d},"pad":"{"x" * 72}"}}\n'.encode() for i in range(start, start + count)
    )


def record_for(thread_id: str, data: bytes, name: str = "rollout") -> StoredThread:
    """A record describing ``data`` as the whole rollout of ``thread_id``."""
    return StoredThread(
        thread_id=thread_id,
        rollout_name=f"sessions/2026/01/01/{name}-{thread_id}.jsonl",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        saved_at=time.time(),
    )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


async def check_round_trip(sut: StoreUnderTest) -> None:
    """save, info, load, threads, delete."""
    store = sut.factory()
    data = _lines(0, 50)
    record = record_for(_THREAD_A, data)
    with anyio.fail_after(DEADLINE_S):
        await store.save(record, data)
        _expect(await store.info(_THREAD_A) == record, "info() returns the saved record")
        loaded, got = await store.load(_THREAD_A)
        _expect(loaded == record and got == data, "load() returns the saved record and bytes")
        other = sut.factory()  # another object over the same storage sees it too
        _expect((await other.load(_THREAD_A))[1] == data, "a second store object loads it")
        listed = await store.threads()
        _expect([r.thread_id for r in listed] == [_THREAD_A], f"threads() lists it: {listed}")
        smaller = _lines(7, 3)
        await store.save(record_for(_THREAD_A, smaller), smaller)  # offset 0 replaces
        _expect((await store.load(_THREAD_A))[1] == smaller, "a save at offset 0 replaces")
        _expect(await store.delete(_THREAD_A), "delete() of a stored thread returns True")
        _expect(await store.info(_THREAD_A) is None, "a deleted thread has no record")
        _expect(await store.threads() == [], "a deleted thread is not listed")


async def check_incremental_append(sut: StoreUnderTest) -> None:
    """Appends at the stored size; a refused append at another offset changes nothing."""
    store = sut.factory()
    data = _lines(0, 10)
    with anyio.fail_after(DEADLINE_S):
        await store.save(record_for(_THREAD_A, data), data)
        for step in range(1, 6):
            more = _lines(step * 10, 10)
            whole = data + more
            await store.save(record_for(_THREAD_A, whole), more, offset=len(data))
            data = whole
        record, got = await store.load(_THREAD_A)
        _expect(got == data == _lines(0, 60), "five appends load as one rollout")
        _expect(record.size == len(data), "the record's size is the whole rollout's")
        wrong = _lines(60, 1)
        try:
            await store.save(record_for(_THREAD_A, data[:_LINE] + wrong), wrong, offset=_LINE)
        except StoreConflictError:
            pass
        else:
            raise AssertionError("an append at an offset that is not the stored size is refused")
        _expect((await store.load(_THREAD_A))[1] == data, "a refused append changes nothing")
        try:
            await store.save(record_for(_THREAD_B, b"12345" + wrong), wrong, offset=5)
        except StoreConflictError:
            pass
        else:
            raise AssertionError("an append to a thread the store lacks is refused")
        _expect(await store.info(_THREAD_B) is None, "a refused append stores nothing")


async def check_concurrent_saves(sut: StoreUnderTest) -> None:
    """Two threads saved at once, through two store objects, turn after turn."""
    stores = [sut.factory(), sut.factory()]
    turns = 15

    async def save_turns(store: ThreadStore, thread_id: str, first: int) -> None:
        data = b""
        for turn in range(turns):
            more = _lines(first + turn * 5, 5)
            whole = data + more
            await store.save(record_for(thread_id, whole), more, offset=len(data))
            data = whole

    with anyio.fail_after(DEADLINE_S):
        async with anyio.create_task_group() as group:
            group.start_soon(save_turns, stores[0], _THREAD_A, 0)
            group.start_soon(save_turns, stores[1], _THREAD_B, 100_000)
        _expect((await stores[1].load(_THREAD_A))[1] == _lines(0, turns * 5), "thread A whole")
        _expect(
            (await stores[0].load(_THREAD_B))[1] == _lines(100_000, turns * 5), "thread B whole"
        )
        ids = sorted(r.thread_id for r in await stores[0].threads())
        _expect(ids == sorted([_THREAD_A, _THREAD_B]), f"both threads listed: {ids}")


async def check_reads_during_saves(sut: StoreUnderTest) -> None:
    """Loads through another store object while saves replace and append: every load
    returns one complete save, never an error."""
    writer, reader = sut.factory(), sut.factory()
    first = _lines(0, 20)
    with anyio.fail_after(DEADLINE_S):
        await writer.save(record_for(_THREAD_A, first), first)
        done = anyio.Event()
        loads = 0

        async def save_many() -> None:
            try:
                for round_ in range(12):
                    if round_ % 3 == 0:  # replace: the old chunks go away
                        data = _lines(0, 10 + round_)
                        await writer.save(record_for(_THREAD_A, data), data)
                    else:  # append
                        _, data = await writer.load(_THREAD_A)
                        more = _lines(len(data) // _LINE, 5)
                        whole = data + more
                        await writer.save(record_for(_THREAD_A, whole), more, offset=len(data))
            finally:
                done.set()

        async def load_many() -> None:
            nonlocal loads
            while not done.is_set():
                _, data = await reader.load(_THREAD_A)
                _expect(data == _lines(0, len(data) // _LINE), "a load returned a partial save")
                loads += 1

        async with anyio.create_task_group() as group:
            group.start_soon(save_many)
            group.start_soon(load_many)
        _expect(loads > 0, "the reader ran")


def _torn_writer(factory: Callable[[], ThreadStore], thread_id: str, conn: Any) -> None:
    """Child process: append ~1 MB at a time forever; ``("begin", size)`` is sent as a save
    starts (its bytes already made) and ``("done", size)`` when it has returned."""

    async def main() -> None:
        store = factory()
        info = await store.info(thread_id)
        size = 0 if info is None else info.size
        data = _lines(0, size // _LINE)
        while True:
            whole = data + _lines(size // _LINE, 10_000)
            record = record_for(thread_id, whole)
            conn.send(("begin", size))
            await store.save(record, whole[size:], offset=size)
            data, size = whole, len(whole)
            conn.send(("done", size))

    anyio.run(main)


async def _next_message(parent: Any, process: Any) -> tuple[str, int]:
    while not await anyio.to_thread.run_sync(parent.poll, 0.5):
        if not process.is_alive():
            raise AssertionError(f"the saving process died on its own: {process.exitcode}")
    message: tuple[str, int] = parent.recv()
    return message


async def check_torn_write(sut: StoreUnderTest) -> None:
    """A saving process killed (SIGKILL) inside a save, six times over: the thread always
    loads, as one complete save at least as new as the last one that returned.

    The kill lands at a random moment within the save (timed from the child's earlier
    saves), so the rounds hit different points of the store's write path."""
    if not sut.cross_process:
        raise CheckSkipped("the store is visible to one process only")
    ctx = multiprocessing.get_context("spawn")
    store = sut.factory()
    rng = random.Random(31)
    acknowledged = 0
    for round_ in range(6):
        parent, child = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_torn_writer, args=(sut.factory, _THREAD_A, child))
        process.start()
        child.close()
        try:
            with anyio.fail_after(DEADLINE_S):
                durations = []
                for _ in range(2):  # two complete saves: how long one takes here
                    _, _ = await _next_message(parent, process)  # begin
                    began = time.monotonic()
                    _, acknowledged = await _next_message(parent, process)  # done
                    durations.append(time.monotonic() - began)
                await _next_message(parent, process)  # the third save begins
                # fault injection, not synchronization: a random point inside the save
                await anyio.sleep(rng.uniform(0.0, min(durations)))
        finally:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGKILL)
            await anyio.to_thread.run_sync(process.join, DEADLINE_S)
            parent.close()
        with anyio.fail_after(DEADLINE_S):
            record, data = await store.load(_THREAD_A)
        _expect(record.size >= acknowledged, f"round {round_}: a completed save was lost")
        _expect(data == _lines(0, len(data) // _LINE), f"round {round_}: a partial save loaded")


async def check_unknown_id(sut: StoreUnderTest) -> None:
    """An id the store never saw: ``None``, ``False``, ``ThreadNotStoredError`` naming it;
    an id that is not one (a path) is refused."""
    store = sut.factory()
    with anyio.fail_after(DEADLINE_S):
        _expect(await store.info(_THREAD_B) is None, "info() of an unknown id is None")
        _expect(not await store.delete(_THREAD_B), "delete() of an unknown id is False")
        try:
            await store.load(_THREAD_B)
        except ThreadNotStoredError as exc:
            _expect(_THREAD_B in str(exc), f"the error names the thread: {exc}")
        else:
            raise AssertionError("load() of an unknown id raises ThreadNotStoredError")
        for bad in ("../escape", "a/b", ""):
            try:
                await store.load(bad)
            except ThreadStoreError:
                pass
            else:
                raise AssertionError(f"the id {bad!r} is refused")


async def check_corrupt_data(sut: StoreUnderTest) -> None:
    """Damaged bytes: ``StoredThreadCorruptError`` naming the thread, never wrong data."""
    if sut.corrupt is None:
        raise CheckSkipped("no way to damage this store's data was given")
    store = sut.factory()
    data = _lines(0, 20)
    with anyio.fail_after(DEADLINE_S):
        await store.save(record_for(_THREAD_A, data), data)
        more = _lines(20, 20)
        await store.save(record_for(_THREAD_A, data + more), more, offset=len(data))
        result = sut.corrupt(_THREAD_A)
        if isinstance(result, Awaitable):
            await result
        try:
            await store.load(_THREAD_A)
        except StoredThreadCorruptError as exc:
            _expect(_THREAD_A in str(exc), f"the error names the thread: {exc}")
        else:
            raise AssertionError("load() of damaged data raises StoredThreadCorruptError")


#: every check, in the order above
CHECKS: list[Callable[[StoreUnderTest], Awaitable[None]]] = [
    check_round_trip,
    check_incremental_append,
    check_concurrent_saves,
    check_reads_during_saves,
    check_torn_write,
    check_unknown_id,
    check_corrupt_data,
]
