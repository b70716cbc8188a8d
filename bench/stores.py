"""Thread-store figures: save and restore time for threads of 10 and 200 turns, per store.

    nox -s bench                          # runs this after the client benchmarks
    python bench/stores.py [--turns 10,200] [--repeat 5] [--no-postgres]

One real thread is grown turn by turn on the real runtime against the offline model. At
10 and 200 turns, for each local store (directory, SQLite, Postgres from
``openai_codex.testing.postgres`` when its binaries and psycopg are installed):

- full save: ``thread.save(store)`` into an empty store (reads the rollout, checks it for
  credentials, writes it);
- incremental save: ``thread.save(store)`` when the store has every turn but the last
  (appends the last turn only);
- restore: ``store.load`` and the rollout written under another CODEX_HOME (what
  ``codex.thread_restore`` does before it asks the runtime to resume);
- restore + resume: ``codex.thread_restore`` end to end on a started client of another
  CODEX_HOME (the runtime reads the rollout back);
- bytes stored per turn: the rollout's size over its turns, and what the store holds on
  disk for it (directory: its files; SQLite: the database file).

Medians of ``--repeat`` runs (fresh store each run). Targets (issue 31): restore of a
200-turn thread < 1 s on the directory store, incremental save of one turn < 20 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio

from openai_codex import AsyncCodex, AsyncThread
from openai_codex.stores import DirectoryStore, SQLiteStore, StoredThread, ThreadStore
from openai_codex.stores._transfer import _write_atomic
from openai_codex.testing import OfflineModel, Reply

RESULTS = Path(__file__).resolve().parent / "results"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def _disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@contextlib.contextmanager
def _postgres(enabled: bool, log: Callable[[str], None]) -> Iterator[str | None]:
    if not enabled:
        yield None
        return
    try:
        import psycopg  # noqa: F401

        from openai_codex.testing.postgres import find_binaries, postgres_server
    except ImportError:
        log("postgres: skipped (psycopg is not installed: pip install 'openai-codex[postgres]')")
        yield None
        return
    if find_binaries()[0] is None:
        log(f"postgres: skipped ({find_binaries()[1]})")
        yield None
        return
    with postgres_server() as dsn:
        yield dsn


class Stores:
    """Fresh stores of each kind, each in its own directory or database."""

    def __init__(self, root: Path, dsn: str | None) -> None:
        self.root, self.dsn, self.count = root, dsn, 0

    def kinds(self) -> list[str]:
        return ["directory", "sqlite", *(["postgres"] if self.dsn else [])]

    def fresh(self, kind: str) -> tuple[ThreadStore, Path | None]:
        self.count += 1
        if kind == "directory":
            path = self.root / f"dir-{self.count}"
            return DirectoryStore(path), path
        if kind == "sqlite":
            path = self.root / f"db-{self.count}.sqlite"
            return SQLiteStore(path), path
        import psycopg

        from openai_codex.stores import PostgresStore

        assert self.dsn is not None
        name = f"bench_{self.count}"
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return PostgresStore(self.dsn.rsplit("/", 1)[0] + f"/{name}"), None


async def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def measure(
    turns: int,
    thread: AsyncThread,
    rollout: Path,
    prefix: bytes,
    stores: Stores,
    restorer: Callable[[str], AsyncCodex],
    scratch: Path,
    repeat: int,
) -> list[dict[str, Any]]:
    rows = []
    data = rollout.read_bytes()
    for kind in stores.kinds():
        full, incremental, restore, resume = [], [], [], []
        stored_bytes = None
        record: StoredThread | None = None
        for _ in range(repeat):
            store, path = stores.fresh(kind)
            full.append(await _timed(lambda store=store: thread.save(store)))
            if path is not None:
                stored_bytes = _disk_bytes(path)
            record = await store.info(thread.id)
        assert record is not None
        for _ in range(repeat):
            store, _ = stores.fresh(kind)
            head = StoredThread(
                thread_id=thread.id,
                rollout_name=record.rollout_name,
                size=len(prefix),
                sha256=hashlib.sha256(prefix).hexdigest(),
                saved_at=time.time(),
            )
            await store.save(head, prefix)
            incremental.append(await _timed(lambda store=store: thread.save(store)))
            saved = await store.info(thread.id)
            assert saved is not None
            assert saved.size == len(data), "the append stored the whole rollout"

            async def load_and_place(store: ThreadStore = store) -> None:
                stored, body = await store.load(thread.id)
                target = scratch / f"home-{time.monotonic_ns()}" / stored.rollout_name
                await anyio.to_thread.run_sync(_write_atomic, target, body)

            restore.append(await _timed(load_and_place))
        last, _ = stores.fresh(kind)
        await thread.save(last)
        for run_ in range(min(repeat, 3)):  # a started runtime on a CODEX_HOME without it
            async with restorer(f"{kind}-{turns}-{run_}") as other:
                resume.append(await _timed(lambda o=other, s=last: o.thread_restore(thread.id, s)))
        rows.append(
            {
                "store": kind,
                "turns": turns,
                "rollout_bytes": len(data),
                "bytes_per_turn": len(data) / turns,
                "stored_bytes_per_turn": None if stored_bytes is None else stored_bytes / turns,
                "full_save_ms": _median_ms(full),
                "incremental_save_ms": _median_ms(incremental),
                "restore_ms": _median_ms(restore),
                "restore_resume_ms": _median_ms(resume),
            }
        )
    return rows


async def run(args: argparse.Namespace, log: Callable[[str], None]) -> list[dict[str, Any]]:
    points = sorted(int(t) for t in args.turns.split(","))
    rows: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="codex-bench-stores-") as tmp,
        _postgres(not args.no_postgres, log) as dsn,
    ):
        work = Path(tmp)
        stores = Stores(work / "stores", dsn)
        with OfflineModel(default=lambda r: Reply.text(f"Done: {r.last_user_text}")) as model:
            workdir = work / "workspace"
            workdir.mkdir()

            def restorer(name: str) -> AsyncCodex:
                home = work / f"home-{name}"
                return AsyncCodex(model.codex_config(codex_home=home, cwd=str(workdir)))

            config = model.codex_config(codex_home=work / "home-a", cwd=str(workdir))
            async with AsyncCodex(config) as codex:
                thread = await codex.thread_start()
                rollout: Path | None = None
                prefix = b""
                for turn in range(1, points[-1] + 1):
                    if turn in points and rollout is not None:
                        prefix = rollout.read_bytes()
                    await thread.run(f"step {turn}: change file_{turn % 7}.py")
                    if rollout is None:
                        rollout = Path(str((await thread.read()).thread.path))
                    if turn in points:
                        log(f"{turn} turns: measuring ({rollout.stat().st_size:,} bytes)")
                        rows += await measure(
                            turn,
                            thread,
                            rollout,
                            prefix,
                            stores,
                            restorer,
                            work / "scratch",
                            args.repeat,
                        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| store | turns | rollout | per turn (rollout / on disk) | full save | "
        "incremental save (1 turn) | restore (load + write) | restore + resume |\n"
        "|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        disk = r["stored_bytes_per_turn"]
        per_turn = f"{r['bytes_per_turn'] / 1024:.1f} KiB / " + (
            "n/a" if disk is None else f"{disk / 1024:.1f} KiB"
        )
        lines.append(
            f"| {r['store']} | {r['turns']} | {r['rollout_bytes'] / 1024:.0f} KiB | {per_turn} | "
            f"{r['full_save_ms']:.1f} ms | {r['incremental_save_ms']:.1f} ms | "
            f"{r['restore_ms']:.1f} ms | {r['restore_resume_ms']:.0f} ms |"
        )
    return head + "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--turns", default="10,200", help="thread sizes measured (comma list)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--quick", action="store_true", help="10 and 30 turns, 3 runs")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    if args.quick:
        args.turns, args.repeat = "10,30", 3

    def log(text: str) -> None:
        print(f"[stores] {text}", file=sys.stderr, flush=True)

    started = time.monotonic()
    rows = anyio.run(run, args, log)
    md = table(rows)
    print(md)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "stores.json").write_text(json.dumps(rows, indent=2) + "\n")
    (args.out / "stores.md").write_text(md)
    log(f"done in {time.monotonic() - started:.0f} s; wrote {args.out}/stores.md and stores.json")
    worst = {r["store"]: r for r in rows if r["turns"] == max(x["turns"] for x in rows)}
    directory = worst.get("directory")
    if directory is not None:
        ok_restore = directory["restore_ms"] < 1000
        ok_append = all(r["incremental_save_ms"] < 20 for r in rows if r["store"] == "directory")
        log(
            f"targets: directory restore of {directory['turns']} turns < 1 s: "
            f"{'met' if ok_restore else 'MISSED'}; incremental save < 20 ms: "
            f"{'met' if ok_append else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
