from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from openai_codex_transport import (
    CodexBinaryNotFoundError,
    app_server_argv,
    default_control_socket_path,
    resolve_codex_binary,
)
from openai_codex_transport.binary import linux_sandbox_helper_dir


def test_explicit_binary_wins(tmp_path: Path) -> None:
    exe = tmp_path / "codex"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    assert resolve_codex_binary(str(exe)) == (str(exe), None)


def test_explicit_binary_must_exist(tmp_path: Path) -> None:
    with pytest.raises(CodexBinaryNotFoundError, match="not found") as info:
        resolve_codex_binary(str(tmp_path / "missing"))
    assert isinstance(info.value, FileNotFoundError)


def test_bundled_binary_and_path_dir() -> None:
    import codex_cli_bin  # type: ignore[import-untyped]

    path, extra = resolve_codex_binary(None)
    assert path == str(codex_cli_bin.bundled_codex_path())
    assert os.access(path, os.X_OK)
    assert extra is not None
    dirs = extra.split(os.pathsep)
    assert dirs[-1] == str(codex_cli_bin.bundled_path_dir())
    if sys.platform.startswith("linux"):  # the sandbox helper comes first
        assert dirs[0] == linux_sandbox_helper_dir(path)


def test_missing_package_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "codex_cli_bin", None)  # makes the import fail
    with pytest.raises(CodexBinaryNotFoundError, match="pip install openai-codex-cli-bin"):
        resolve_codex_binary(None)


def test_argv_shape() -> None:
    assert app_server_argv("/x/codex", ("a=1", 'b="c"')) == [
        "/x/codex",
        "--config",
        "a=1",
        "--config",
        'b="c"',
        "app-server",
        "--listen",
        "stdio://",
    ]


def test_default_control_socket(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODEX_HOME", str(tmp_path))
    expected = tmp_path / "app-server-control" / "app-server-control.sock"
    assert default_control_socket_path() == expected
    assert default_control_socket_path("/h") == Path(
        "/h/app-server-control/app-server-control.sock"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux sandbox helper")
def test_linux_sandbox_helper_links_the_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    exe = tmp_path / "codex"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    directory = linux_sandbox_helper_dir(exe)
    assert directory is not None
    link = Path(directory) / "codex-linux-sandbox"
    assert os.readlink(link) == str(exe.resolve())
    assert linux_sandbox_helper_dir(exe) == directory  # reused, still the same target
    # a directory others can write into is not trusted
    base = tmp_path / f"openai-codex-{os.getuid()}"
    base.chmod(0o777)
    assert linux_sandbox_helper_dir(exe) is None


def test_the_sdk_temp_dir_is_the_one_tempfile_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai_codex_transport import path_digest, sdk_temp_dir

    uid = os.getuid()
    assert sdk_temp_dir() == os.path.join(tempfile.gettempdir(), f"openai-codex-{uid}")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert sdk_temp_dir() == os.path.join(str(tmp_path), f"openai-codex-{uid}")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "missing"))  # not a directory: skipped
    assert not sdk_temp_dir().startswith(str(tmp_path / "missing"))
    # a stable name per path: the same in every process, different for another path
    assert path_digest("/home/a/.codex") == path_digest("/home/a/.codex")
    assert path_digest("/home/a/.codex") != path_digest("/home/b/.codex")
    assert len(path_digest("/x")) == 16
    assert path_digest("a") == "af63dc4c8601ec8c"  # the FNV-1a 64 test vector
