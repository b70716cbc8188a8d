"""The committed low-level client is what scripts/generate_client.py writes, and covers
every client request of the pinned runtime, async and sync alike."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import openai_codex_types
from openai_codex.async_client import AsyncCodexClient
from openai_codex.client import CodexClient
from openai_codex_types import registry

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "scripts"))
from generate_client import snake  # noqa: E402


def test_generate_client_check_passes_from_the_committed_tree() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/generate_client.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "up to date" in proc.stdout


def test_every_request_method_has_a_typed_method_async_and_sync() -> None:
    methods = registry.CLIENT_REQUESTS
    assert len(methods) == 172
    assert sum(spec.experimental for spec in methods.values()) == 67
    assert snake("thread/goal/set") == "thread_goal_set"
    assert snake("account/rateLimits/read") == "account_rate_limits_read"
    for wire, spec in methods.items():
        name = snake(wire)
        amethod = getattr(AsyncCodexClient, name)
        smethod = getattr(CodexClient, name)
        assert inspect.iscoroutinefunction(amethod), name
        assert not inspect.iscoroutinefunction(smethod), name
        asig, ssig = inspect.signature(amethod), inspect.signature(smethod)
        assert list(asig.parameters) == list(ssig.parameters), name
        if wire == "initialize":
            continue  # sent when the client starts; initialize() returns its answer
        # a union result is handed out as its member: typed with the union's Any... alias
        assert asig.return_annotation in (spec.result_name, f"Any{spec.result_name}"), name
        if asig.return_annotation != spec.result_name:
            assert hasattr(openai_codex_types, asig.return_annotation), name
        assert ("Experimental:" in (amethod.__doc__ or "")) == spec.experimental, name
        params = spec.params_model
        if params is not None and "root" not in params.model_fields:
            fields = set(params.model_fields)
            args = set(asig.parameters) - {"self", "params"}
            assert args == fields or args == (fields - {"input"}) | {"input_items"}, name


def test_published_shapes_of_the_common_methods() -> None:
    sig = inspect.signature(CodexClient.turn_start)
    assert list(sig.parameters)[:4] == ["self", "thread_id", "input_items", "params"]
    sig = inspect.signature(CodexClient.thread_read)
    assert list(sig.parameters)[:3] == ["self", "thread_id", "include_turns"]
    sig = inspect.signature(CodexClient.thread_resume)
    assert list(sig.parameters)[:3] == ["self", "thread_id", "params"]
    assert inspect.signature(CodexClient.account_logout).parameters.keys() == {"self"}
