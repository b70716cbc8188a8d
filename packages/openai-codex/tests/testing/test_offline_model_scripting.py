"""Offline-model scripting against the real runtime: shared homes, shell options, file
changes (``Reply.apply_patch``) and the error messages the runtime substitutes."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Literal

import pytest
import tomllib

from openai_codex import ApprovalMode, Codex, Sandbox, TurnFailedError
from openai_codex.handlers import ServerRequestHandlers
from openai_codex.testing import OfflineModel, Reply
from openai_codex_types import FileChangeRequestApprovalParams


def _codex_bin() -> str:
    codex_cli_bin: Any = importlib.import_module("codex_cli_bin")
    return str(codex_cli_bin.bundled_codex_path())


# -- CODEX_HOME ------------------------------------------------------------------------


def test_codex_config_shares_one_home_so_a_new_client_resumes_the_thread() -> None:
    with OfflineModel() as model:
        model.enqueue(Reply.text("first answer"), Reply.text("second answer"))
        first_config = model.codex_config()
        with Codex(first_config) as codex:
            thread = codex.thread_start()
            assert thread.run("First").final_response == "first answer"
        second_config = model.codex_config()
        assert second_config.env == first_config.env
        with Codex(second_config) as codex:
            resumed = codex.thread_resume(thread.id)
            assert resumed.run("Second").final_response == "second answer"
        # the resumed turn carried the first turn's conversation to the model
        assert "First" in model.response_requests[1].user_texts


def test_fresh_home_is_a_new_directory_removed_on_close(tmp_path: Path) -> None:
    with OfflineModel() as model:
        shared = Path(model.codex_config().env["CODEX_HOME"])
        fresh = Path(model.codex_config(fresh_home=True).env["CODEX_HOME"])
        assert fresh != shared
        assert model.codex_home() == shared
        assert model.env(fresh=True)["CODEX_HOME"] not in (str(shared), str(fresh))
        mine = model.codex_home(tmp_path / "mine")
        with pytest.raises(ValueError, match="either a directory or fresh=True"):
            model.codex_home(tmp_path / "other", fresh=True)
    assert not shared.exists()
    assert not fresh.exists()
    assert mine.exists()


def test_shell_snapshot_feature_is_off_in_the_models_home() -> None:
    with OfflineModel() as model:
        home = model.codex_home()
        assert (
            tomllib.loads((home / "config.toml").read_text())["features"]["shell_snapshot"] is False
        )
        listed = subprocess.run(
            [_codex_bin(), "features", "list"],
            env=dict(os.environ, CODEX_HOME=str(home)),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    states = dict(line.split()[0::2] for line in listed.splitlines() if len(line.split()) >= 3)
    assert states["shell_snapshot"] == "false"


# -- Reply.shell -------------------------------------------------------------------------


def test_shell_reply_runs_without_a_login_shell(tmp_path: Path) -> None:
    with OfflineModel() as model:
        model.enqueue(
            Reply.shell("echo shell-ok", yield_time_ms=2000, call_id="call_sh"),
            Reply.text("ran"),
        )
        with Codex(model.codex_config(cwd=str(tmp_path))) as codex:
            result = codex.thread_start().run("Run it")
        first_output = model.response_requests[1].function_call_outputs[0]
    assert result.final_response == "ran"
    assert first_output["call_id"] == "call_sh"
    assert "shell-ok" in first_output["output"]
    assert "exited with code 0" in first_output["output"]
    call = Reply.shell("ls", yield_time_ms=2000).outputs[0]
    assert json.loads(call.arguments) == {"cmd": "ls", "login": False, "yield_time_ms": 2000}
    assert json.loads(Reply.shell("ls", login=True).outputs[0].arguments)["login"] is True


def test_shell_reply_refuses_bad_yield_time() -> None:
    with pytest.raises(TypeError, match="yield_time_ms"):
        Reply.shell("ls", yield_time_ms=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="yield_time_ms"):
        Reply.shell("ls", yield_time_ms=0)


# -- Reply.apply_patch -------------------------------------------------------------------


def _workspace(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "hello.txt").write_text("hello\nworld\n")
    (work / "old.txt").write_text("remove me\n")
    return work


PATCH = Reply.apply_patch(
    add={"new.txt": "brand new\n"},
    update={"hello.txt": ("world", "there")},
    delete=["old.txt"],
)


def test_apply_patch_changes_files_in_a_writable_workspace(tmp_path: Path) -> None:
    work = _workspace(tmp_path)
    with OfflineModel() as model:
        model.enqueue(PATCH, Reply.text("patched"))
        with Codex(model.codex_config(cwd=str(work))) as codex:
            thread = codex.thread_start(sandbox=Sandbox.workspace_write)
            result = thread.run("Patch it")
        output = model.response_requests[1].function_call_outputs[0]["output"]
    assert result.final_response == "patched"
    assert "Success" in output
    assert (work / "hello.txt").read_text() == "hello\nthere\n"
    assert (work / "new.txt").read_text() == "brand new\n"
    assert not (work / "old.txt").exists()
    changes = [item.root for item in result.items if item.root.type == "fileChange"]
    assert len(changes) == 1
    assert changes[0].status.value == "completed"
    by_path = {Path(change.path).name: change for change in changes[0].changes}
    assert set(by_path) == {"hello.txt", "new.txt", "old.txt"}
    assert "-world\n+there" in by_path["hello.txt"].diff


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_apply_patch_under_read_only_asks_for_approval(
    tmp_path: Path, decision: Literal["accept", "decline"]
) -> None:
    work = _workspace(tmp_path)
    asked: list[FileChangeRequestApprovalParams] = []

    def decide(params: FileChangeRequestApprovalParams) -> Literal["accept", "decline"]:
        asked.append(params)
        return decision

    with OfflineModel() as model:
        model.enqueue(PATCH, Reply.text("done"))
        handlers = ServerRequestHandlers(file_change_approval=decide)
        with Codex(model.codex_config(cwd=str(work)), handlers=handlers) as codex:
            thread = codex.thread_start(approval_mode=ApprovalMode.host, sandbox=Sandbox.read_only)
            result = thread.run("Patch it")
    assert result.final_response == "done"
    assert len(asked) == 1
    changed = (work / "hello.txt").read_text() == "hello\nthere\n"
    assert changed is (decision == "accept")
    assert (work / "old.txt").exists() is (decision == "decline")
    status = next(i.root for i in result.items if i.root.type == "fileChange").status.value
    assert status == ("completed" if decision == "accept" else "declined")


def test_apply_patch_text_gets_its_markers() -> None:
    call = Reply.apply_patch("*** Add File: a.txt\n+x\n", workdir="sub").outputs[0]
    arguments = json.loads(call.arguments)
    assert arguments == {
        "cmd": "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a.txt\n+x\n*** End Patch\nEOF\n",
        "workdir": "sub",
        "login": False,
    }


def test_apply_patch_refuses_unclear_input() -> None:
    with pytest.raises(ValueError, match="needs patch text"):
        Reply.apply_patch()
    with pytest.raises(ValueError, match="either patch text or"):
        Reply.apply_patch("*** Add File: a\n+x", add={"b": "y"})
    with pytest.raises(TypeError, match="list of paths"):
        Reply.apply_patch(delete="a.txt")
    with pytest.raises(TypeError, match=r"tuple \(old, new\)"):
        Reply.apply_patch(update={"a.txt": "new"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="old text is empty"):
        Reply.apply_patch(update={"a.txt": ("", "x")})


# -- error messages the runtime substitutes ----------------------------------------------

#: (reply, expected message fragment, expected codexErrorInfo) as docs/testing.md lists them.
ERROR_CASES: list[tuple[Reply, str, str]] = [
    (Reply.error(500, "boom: my message"), "currently experiencing high demand", "internalServerError"),
    (Reply.error(503, "down for repair"), "unexpected status 503 Service Unavailable: down for repair", "httpConnectionFailed"),
    (Reply.error(401, "who are you"), "unexpected status 401 Unauthorized: who are you", "httpConnectionFailed"),
    (Reply.error(429, "slow down"), "exceeded retry limit, last status: 429 Too Many Requests", "responseTooManyFailedAttempts"),
    (Reply.error(429, "no quota", code="insufficient_quota"), "Quota exceeded. Check your plan and billing details.", "usageLimitExceeded"),
    (Reply.error(400, "bad request text"), '"message": "bad request text"', "other"),
    (Reply.failed("it broke"), "stream disconnected before completion: it broke", "other"),
    (Reply.failed("too long", code="context_length_exceeded"), "ran out of room in the model's context window", "contextWindowExceeded"),
]  # fmt: skip


def test_error_replies_surface_as_the_runtime_words_them() -> None:
    seen: list[tuple[str, str]] = []
    with OfflineModel() as model, Codex(model.codex_config()) as codex:
        for reply, _, _ in ERROR_CASES:
            model.enqueue(reply)
            with pytest.raises(TurnFailedError) as caught:
                codex.thread_start().run("fail please")
            error = caught.value.error
            assert error is not None
            assert error.codex_error_info is not None
            info = error.codex_error_info.model_dump(mode="json", by_alias=True)
            kind = info if isinstance(info, str) else next(iter(info))
            seen.append((error.message, kind))
    for (message, kind), (reply, fragment, expected_kind) in zip(seen, ERROR_CASES, strict=True):
        assert fragment in message, (reply, message)
        assert kind == expected_kind, (reply, kind)
    assert "boom: my message" not in seen[0][0]  # the 500's own text is replaced
