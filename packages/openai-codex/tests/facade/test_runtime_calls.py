"""Client calls against the real runtime that make no model request (loopback CODEX_HOME)."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    Codex,
    CodexConfig,
    CodexError,
    InvalidRequestError,
    Sandbox,
    TransportClosedError,
)
from openai_codex.types import InitializeResponse

pytestmark = pytest.mark.anyio


async def test_lazy_start_once_under_concurrent_first_calls(loopback_config: CodexConfig) -> None:
    codex = AsyncCodex(loopback_config)
    try:
        with anyio.fail_after(60):
            results = []

            async def call() -> None:
                results.append(await codex.models())

            async with anyio.create_task_group() as tg:
                for _ in range(5):
                    tg.start_soon(call)
        assert len(results) == 5
        conn = codex._session.connection
        assert conn is not None
        meta = codex.metadata
        assert isinstance(meta, InitializeResponse)
        assert meta.runtime_version == "0.163.0"
        assert meta.userAgent is not None
        assert meta.userAgent.startswith("codex_python_sdk/0.163.0")
        assert meta.codex_home == loopback_config.env["CODEX_HOME"]  # type: ignore[index]
        assert meta.platform_family
        assert meta.serverInfo is not None
        assert meta.serverInfo.version == "0.163.0"
        # one runtime process: the same connection object served every call
        await codex.models()
        assert codex._session.connection is conn
    finally:
        await codex.close()


async def test_close_resets_and_a_later_call_starts_again(loopback_config: CodexConfig) -> None:
    codex = AsyncCodex(loopback_config)
    with anyio.fail_after(60):
        async with codex:
            first = codex._session.connection
        with pytest.raises(RuntimeError):
            _ = codex.metadata
        await codex.close()  # idempotent
        # a closed client does not restart behind the caller's back
        with pytest.raises(TransportClosedError, match="closed"):
            await codex.models()
        assert codex._session.connection is None
        try:
            async with codex:  # entering again starts a new runtime explicitly
                await codex.models()
                assert codex._session.connection is not None
                assert codex._session.connection is not first
        finally:
            await codex.close()


async def test_thread_lifecycle_calls(loopback_config: CodexConfig, workdir: Path) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            thread = await codex.thread_start(
                approval_mode=ApprovalMode.deny_all,
                sandbox=Sandbox.read_only,
                developer_instructions="be brief",
            )
            assert isinstance(thread.id, str)
            read = await thread.read()
            assert read.thread.id == thread.id
            await thread.set_name("named thread")
            read = await thread.read(include_turns=True)
            assert read.thread.name == "named thread"
            resumed = await codex._request("thread/resume", {"threadId": thread.id})
            assert resumed["approvalPolicy"] == "never"
            assert resumed["sandbox"]["type"] == "readOnly"
            forked = await codex.thread_fork(thread.id, ephemeral=True, include_turns=False)
            assert forked.id != thread.id
            listed = await codex.thread_list(limit=10)
            assert hasattr(listed, "data")
            await codex.thread_archive(thread.id)
            restored = await codex.thread_unarchive(thread.id)
            assert restored.id == thread.id
            again = await codex.thread_resume(thread.id, include_turns=False, model="other")
            assert again.id == thread.id
            account = await codex.account()
            assert hasattr(account, "requires_openai_auth")
            models = await codex.models(include_hidden=True)
            assert len(models.data) > 0


async def test_thread_start_defaults_to_auto_review(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            thread = await codex.thread_start(sandbox=Sandbox.workspace_write)
            await thread.set_name("persist the rollout")  # a fresh thread has no rollout yet
            resumed = await codex._request("thread/resume", {"threadId": thread.id})
            assert resumed["approvalPolicy"] == "on-request"
            assert resumed["approvalsReviewer"] == "auto_review"
            assert resumed["sandbox"]["type"] == "workspaceWrite"


async def test_bad_call_raises_the_typed_rpc_error(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            with pytest.raises(InvalidRequestError):
                await codex.thread_resume("00000000-0000-0000-0000-000000000000")
            # the client keeps working
            await codex.models()


async def test_api_key_login_and_logout(loopback_config: CodexConfig) -> None:
    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            await codex.login_api_key("sk-test-not-a-real-key")
            auth = Path(loopback_config.env["CODEX_HOME"]) / "auth.json"  # type: ignore[index]
            assert "sk-test-not-a-real-key" in auth.read_text()
            account = await codex.account()
            # this provider needs no OpenAI auth, so the runtime reports no account
            assert account.requires_openai_auth is False
            await codex.logout()
            assert not auth.exists() or "sk-test-not-a-real-key" not in auth.read_text()


def test_sync_client_is_eager_and_closes(loopback_config: CodexConfig) -> None:
    codex = Codex(loopback_config)
    try:
        assert codex.metadata.runtime_version == "0.163.0"
        thread = codex.thread_start()
        assert thread.read().thread.id == thread.id
        assert len(codex.models().data) > 0
    finally:
        codex.close()
    codex.close()
    from openai_codex import TransportClosedError

    with pytest.raises(TransportClosedError):
        codex.models()


def test_sync_constructor_failure_raises_and_leaks_nothing(tmp_path: Path) -> None:
    import threading

    before = threading.active_count()
    with pytest.raises(CodexError, match=r"nonexistent|not found|No such file"):
        Codex(CodexConfig(codex_bin=str(tmp_path / "nonexistent-codex")))
    assert threading.active_count() == before


def test_sync_constructor_fails_when_the_runtime_exits_at_once(tmp_path: Path) -> None:
    with pytest.raises(CodexError):
        Codex(CodexConfig(launch_args_override=("/bin/sh", "-c", "echo oops >&2; exit 3")))


async def test_chatgpt_login_handle_cancel_and_wait(loopback_config: CodexConfig) -> None:
    """The browser login only binds a loopback callback; cancelling completes it."""
    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            handle = await codex.login_chatgpt()
            assert handle.login_id
            assert handle.auth_url.startswith("https://")
            cancelled = await handle.cancel()
            assert "cancel" in repr(cancelled.status)
            await anyio.sleep(0.5)  # the completion arrives before wait(): it is kept
            completed = await handle.wait()
            assert completed.login_id == handle.login_id
            assert completed.success is False


def test_sync_chatgpt_login_handle(loopback_config: CodexConfig) -> None:
    with Codex(loopback_config) as codex:
        handle = codex.login_chatgpt()
        assert handle.auth_url.startswith("https://")
        handle.cancel()
        completed = handle.wait()
        assert completed.login_id == handle.login_id
        assert completed.success is False


async def test_a_rejected_turn_start_raises_and_leaves_nothing_pending(
    loopback_config: CodexConfig,
) -> None:
    from openai_codex import AsyncThread

    with anyio.fail_after(60):
        async with AsyncCodex(loopback_config) as codex:
            ghost = AsyncThread(codex._session, "00000000-0000-0000-0000-000000000000")
            with pytest.raises(InvalidRequestError):
                await ghost.run("hello?")
            assert codex._session.router._pending == {}
            assert codex._session.router._turns == {}


async def test_explicit_binary_and_config_overrides(loopback_config: CodexConfig) -> None:
    import dataclasses
    import importlib

    bundled = str(importlib.import_module("codex_cli_bin").bundled_codex_path())
    config = dataclasses.replace(
        loopback_config, codex_bin=bundled, config_overrides=('model="override-model"',)
    )
    with anyio.fail_after(60):
        async with AsyncCodex(config) as codex:
            assert codex.metadata.runtime_version == "0.163.0"
            thread = await codex.thread_start()
            await thread.set_name("persist")
            resumed = await codex._request("thread/resume", {"threadId": thread.id})
    assert resumed["model"] == "override-model"


async def test_default_config_starts_the_bundled_runtime_and_sends_the_installed_version(
    loopback_config: CodexConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AsyncCodex() with no config: the bundled binary, the parent's environment (so the
    # loopback CODEX_HOME goes in through os.environ), and the default clientInfo, whose
    # version (looked up after the spawn) the runtime echoes at the end of its userAgent.
    from importlib.metadata import version

    assert loopback_config.env is not None
    monkeypatch.setenv("CODEX_HOME", loopback_config.env["CODEX_HOME"])
    codex = AsyncCodex()
    try:
        with anyio.fail_after(60):
            await codex.models()
        meta = codex.metadata
        assert meta.codex_home == loopback_config.env["CODEX_HOME"]
        assert meta.userAgent is not None
        assert meta.userAgent.endswith(f"(codex_python_sdk; {version('openai-codex')})")
    finally:
        await codex.close()
