"""Files on the runtime's host (``codex.fs``) against the real runtime, sync and async."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from openai_codex import AsyncCodex, Codex, CodexConfig, InvalidRequestError

from ._served import ServedRuntime


def test_round_trip_sync(model_config: CodexConfig, workdir: Path) -> None:
    with Codex(model_config) as codex:
        fs = codex.fs
        target = workdir / "notes" / "a.txt"
        with pytest.raises(FileNotFoundError) as missing:
            fs.write_text(target, "no directory yet")
        assert missing.value.filename == str(target)
        fs.mkdir(workdir / "notes")
        with pytest.raises(FileExistsError):
            fs.mkdir(workdir / "notes")
        fs.mkdir(workdir / "notes", parents=True)  # an existing directory is fine then
        fs.write_text(target, "héllo\n")
        assert target.read_text(encoding="utf-8") == "héllo\n"
        assert fs.read_text(target) == "héllo\n"
        fs.write_bytes(workdir / "notes" / "b.bin", b"\x00\x01\xff")
        assert fs.read_bytes(str(workdir / "notes" / "b.bin")) == b"\x00\x01\xff"
        entries = sorted((e.file_name, e.is_file, e.is_directory) for e in fs.iterdir(workdir))
        assert entries == [("notes", False, True)]
        meta = fs.stat(target)
        assert (meta.is_file, meta.is_directory) == (True, False)
        assert meta.modified_at_ms > 0
        assert fs.exists(target)
        assert not fs.exists(workdir / "nope")
        with pytest.raises(InvalidRequestError, match="recursive"):
            fs.copy(workdir / "notes", workdir / "copy")
        fs.copy(workdir / "notes", workdir / "copy", recursive=True)
        assert (workdir / "copy" / "a.txt").read_text(encoding="utf-8") == "héllo\n"
        with pytest.raises(OSError, match="not empty"):
            fs.remove(workdir / "copy")
        fs.remove(workdir / "copy", recursive=True)
        assert not (workdir / "copy").exists()
        with pytest.raises(FileNotFoundError):
            fs.remove(workdir / "copy")
        fs.remove(workdir / "copy", missing_ok=True)
        with pytest.raises(NotADirectoryError):
            fs.iterdir(target)
        with pytest.raises(ValueError, match="must be absolute"):
            fs.read_text("relative.txt")


def test_watch_sync(model_config: CodexConfig, workdir: Path) -> None:
    with Codex(model_config) as codex, codex.fs.watch(workdir) as watch:
        assert watch.path == str(workdir)
        codex.fs.write_text(workdir / "seen.txt", "x")
        change = next(iter(watch))
        assert str(workdir / "seen.txt") in [p.root for p in change.changed_paths]


@pytest.mark.anyio
async def test_round_trip_and_watch_async_over_a_socket(
    serve: Callable[..., ServedRuntime], workdir: Path
) -> None:
    served = serve("unix")
    with anyio.fail_after(60):
        async with AsyncCodex(CodexConfig(url=served.url)) as codex:
            await codex.fs.write_text(workdir / "remote.txt", "over the socket")
            assert await codex.fs.read_text(workdir / "remote.txt") == "over the socket"
            watch = await codex.fs.watch(workdir / "later.txt")  # need not exist yet
            async with watch:
                (workdir / "later.txt").write_text("created locally")
                async for change in watch:
                    assert str(workdir / "later.txt") in [p.root for p in change.changed_paths]
                    break
            # a closed watch ends a consumer at once
            assert [c async for c in watch.changes()] == []
