"""``thread.save(store)`` / ``codex.thread_restore(thread_id, store)`` across two CODEX_HOMEs,
against the real runtime: the model receives the earlier turns on the second runtime."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig
from openai_codex.stores import (
    DirectoryStore,
    RolloutSecretError,
    SQLiteStore,
    SyncThreadStore,
    ThreadNotStoredError,
    ThreadStoreError,
)
from openai_codex.testing import OfflineModel, Reply

pytestmark = pytest.mark.timeout(120)


def _home(config: CodexConfig) -> Path:
    return Path(config.env["CODEX_HOME"])


def _rollouts(home: Path) -> list[Path]:
    return sorted(home.glob("sessions/**/*.jsonl"))


@pytest.mark.anyio
async def test_restore_in_another_home_sends_the_earlier_turns(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig, tmp_path: Path
) -> None:
    store = DirectoryStore(tmp_path / "store")
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("first question alpha")
        await thread.run("second question beta")
        record = await thread.save(store)
    assert record.thread_id == thread.id
    assert record.rollout_name.startswith("sessions/")
    assert _rollouts(_home(home_b)) == []  # machine B has never seen it

    async with AsyncCodex(home_b) as codex:
        restored = await codex.thread_restore(thread.id, store)
        assert restored.id == thread.id
        result = await restored.run("third question gamma")
    assert result.final_response
    last = model.requests[-1]
    texts = last.user_texts
    assert texts[-1] == "third question gamma"
    assert "first question alpha" in texts
    assert "second question beta" in texts
    # the earlier answers too, not only the prompts
    body = json.dumps(last.input)
    assert "Offline model reply to: first question alpha" in body
    assert [p.name for p in _rollouts(_home(home_b))] == [Path(record.rollout_name).name]


def test_sync_face_save_restore_and_incremental_append(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "threads.sqlite")
    with Codex(home_a) as codex:
        thread = codex.thread_start()
        thread.run("one")
        first = thread.save(store)
        again = thread.save(SyncThreadStore(store))  # nothing new: the same record
        assert again == first
        thread.run("two")
        second = thread.save(store)
    assert second.size > first.size
    _, data = SyncThreadStore(store).load(thread.id)
    on_disk = _rollouts(_home(home_a))[0].read_bytes()
    assert data == on_disk[: len(data)]
    assert data.endswith(b"\n")
    with Codex(home_b) as codex:
        restored = codex.thread_restore(thread.id, SyncThreadStore(store))
        restored.run("three")
        # saved again from machine B: appended to what A saved
        third = restored.save(store)
    assert third.size > second.size
    assert model.requests[-1].user_texts[-3:] == ["one", "two", "three"]


@pytest.mark.anyio
async def test_restore_of_an_unknown_thread_says_so(home_b: CodexConfig, tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "store")
    async with AsyncCodex(home_b) as codex:
        with pytest.raises(ThreadNotStoredError, match="is not in the directory store"):
            await codex.thread_restore("01a24d07-fa6e-7943-8fec-84d5d0b80a3e", store)


@pytest.mark.anyio
async def test_a_credential_in_the_conversation_is_never_stored(
    home_a: CodexConfig, tmp_path: Path
) -> None:
    store = DirectoryStore(tmp_path / "store")
    key = "sk-proj-" + "A1b2C3d4" * 5
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("hello")
        await thread.save(store)
        before = await store.info(thread.id)
        await thread.run(f"my key is {key}")
        with pytest.raises(RolloutSecretError, match="api key") as caught:
            await thread.save(store)
    assert key not in str(caught.value)
    assert await store.info(thread.id) == before  # the earlier save is untouched
    for path in (tmp_path / "store").rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes()


@pytest.mark.anyio
async def test_the_rollout_holds_no_login(
    model: OfflineModel, tmp_path: Path, workdir: Path
) -> None:
    """An API-key login stays in the runtime's auth store, never in the saved rollout."""
    key = "sk-test-" + "Z9y8X7w6" * 5
    config = model.codex_config(codex_home=tmp_path / "home-key", cwd=str(workdir))
    store = DirectoryStore(tmp_path / "store")
    async with AsyncCodex(config) as codex:
        await codex.login_api_key(key)
        thread = await codex.thread_start()
        await thread.run("hello")
        await thread.save(store)
    _, data = await store.load(thread.id)
    assert key.encode() not in data
    assert b"Bearer" not in data


@pytest.mark.anyio
async def test_a_local_rollout_that_extends_the_stored_one_is_kept(
    model: OfflineModel, home_a: CodexConfig, tmp_path: Path
) -> None:
    """Restoring on the machine that saved (and ran on since) never rolls it back."""
    store = DirectoryStore(tmp_path / "store")
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("saved turn")
        await thread.save(store)
        await thread.run("later turn")  # not saved
    async with AsyncCodex(home_a) as codex:
        restored = await codex.thread_restore(thread.id, store)
        await restored.run("next turn")
    assert model.requests[-1].user_texts[-3:] == ["saved turn", "later turn", "next turn"]


def test_open_store_picks_the_store_from_the_location(tmp_path: Path) -> None:
    from openai_codex.stores import FsspecStore, PostgresStore, open_store

    assert isinstance(open_store(str(tmp_path / "dir")), DirectoryStore)
    assert isinstance(open_store(f"sqlite://{tmp_path}/t.sqlite"), SQLiteStore)
    assert isinstance(open_store(str(tmp_path / "t.db")), SQLiteStore)
    pytest.importorskip("fsspec")
    assert isinstance(open_store("memory://codex/x"), FsspecStore)
    pytest.importorskip("psycopg")
    store = open_store("postgresql://u:hunter2secret@db.example:5432/codex")
    assert isinstance(store, PostgresStore)
    assert "hunter2secret" not in repr(store)


@pytest.mark.anyio
async def test_a_save_during_a_running_turn_stores_a_consistent_prefix(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig, tmp_path: Path
) -> None:
    """Saved mid-turn: whole JSON lines only, and the other runtime resumes from them."""
    store = DirectoryStore(tmp_path / "store")
    model.enqueue(Reply.text("Noted."), Reply.hang(partial_text="Working", deltas=1))
    async with AsyncCodex(home_a) as codex:
        thread = await codex.thread_start()
        await thread.run("first, finished")
        handle = await thread.turn("second, still running")
        await anyio.to_thread.run_sync(lambda: model.wait_for_requests(2, timeout=60))
        record = await thread.save(store)
        await handle.interrupt()
    _, data = await store.load(thread.id)
    lines = data.decode().splitlines()
    assert len(lines) > 3
    for line in lines:
        json.loads(line)  # every stored line is a complete record
    assert b"second, still running" in data
    async with AsyncCodex(home_b) as codex:
        restored = await codex.thread_restore(thread.id, store)
        await restored.run("third")
    prompts = [t for t in model.requests[-1].user_texts if not t.startswith("<")]
    # the cut turn's prompt came along; the next turn follows it
    assert prompts == ["first, finished", "second, still running", "third"]
    assert record.size == len(data)


@pytest.mark.anyio
async def test_a_runtime_holding_an_older_loaded_copy_refuses_to_restore(
    model: OfflineModel, home_a: CodexConfig, home_b: CodexConfig, tmp_path: Path
) -> None:
    """The runtime keeps a loaded thread in memory: it cannot take a newer rollout."""
    store = DirectoryStore(tmp_path / "store")
    async with AsyncCodex(home_a) as codex_a:
        thread = await codex_a.thread_start()
        await thread.run("on A")
        await thread.save(store)
        async with AsyncCodex(home_b) as codex_b:
            moved = await codex_b.thread_restore(thread.id, store)
            await moved.run("on B")
            await moved.save(store)
        with pytest.raises(ThreadStoreError, match="loaded, older than its copy in the store"):
            await codex_a.thread_restore(thread.id, store)
    async with AsyncCodex(home_a) as fresh:  # a runtime that has not loaded it takes it
        again = await fresh.thread_restore(thread.id, store)
        await again.run("on A again")
    prompts = [t for t in model.requests[-1].user_texts if not t.startswith("<")]
    assert prompts == ["on A", "on B", "on A again"]
