"""What a user meets first: construction, presets as strings, readable errors and reprs,
and a docstring on every public name."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from openai_codex import (
    ApprovalMode,
    AsyncCodex,
    Codex,
    CodexConfig,
    Sandbox,
    StructuredOutputError,
    TurnFailedError,
)
from openai_codex._core.config_args import CodexConfigFields
from openai_codex.errors import error_kind
from openai_codex.testing import OfflineModel, Reply


def _fields(config: CodexConfig) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}


def test_keyword_construction(model: OfflineModel, tmp_path: Path) -> None:
    config = model.codex_config(cwd=str(tmp_path))
    with Codex(**_fields(config)) as codex:
        model.enqueue(Reply.text("built from keywords"))
        assert codex.thread_start().run("hi").final_response == "built from keywords"
    assert set(CodexConfigFields.__annotations__) == set(_fields(config))


@pytest.mark.parametrize("owner", [Codex, AsyncCodex])
def test_construction_mistakes_are_type_errors(owner: type[Any]) -> None:
    name = owner.__name__
    with pytest.raises(TypeError, match=rf"not a dict: use {name}\(\*\*your_dict\)"):
        owner({"cwd": "/tmp"})
    with pytest.raises(TypeError, match="not both"):
        owner(CodexConfig(), cwd="/tmp")
    with pytest.raises(TypeError, match="did you mean 'cwd'"):
        owner(cwdd="/tmp")
    with pytest.raises(ValueError, match="request_timeout"):
        owner(request_timeout=-1)


def test_presets_take_their_values_and_the_wire_spellings(
    model: OfflineModel, tmp_path: Path
) -> None:
    assert Sandbox("danger-full-access") is Sandbox.full_access
    assert Sandbox("workspace_write") is Sandbox.workspace_write
    assert Sandbox("readOnly") is Sandbox.read_only
    assert ApprovalMode("deny-all") is ApprovalMode.deny_all
    with Codex(model.codex_config(cwd=str(tmp_path))) as codex:
        thread = codex.thread_start(sandbox="workspace-write", approval_mode="deny_all")
        model.enqueue(Reply.text("ok"))
        assert thread.run("hi", sandbox="danger-full-access").final_response == "ok"
        request = model.requests[-1]
        assert request.thread_id == thread.id
        with pytest.raises(ValueError, match=r"Sandbox.full_access \('full-access'\)"):
            codex.thread_start(sandbox="everything")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"got 'sometimes'"):
            codex.thread_start(approval_mode="sometimes")  # type: ignore[arg-type]


def test_turn_failures_say_what_happened(model: OfflineModel, tmp_path: Path) -> None:
    with Codex(model.codex_config(cwd=str(tmp_path))) as codex:
        thread = codex.thread_start()
        model.enqueue(Reply.error(500, "boom"))
        with pytest.raises(TurnFailedError) as failed:
            thread.run("hi")
        text = str(failed.value)
        assert failed.value.error_kind == "internal_server_error"
        assert "(internal_server_error)" in text
        info = failed.value.codex_error_info
        assert str(info) == "internalServerError"  # the wire value
        assert repr(info) == "CodexErrorInfo('internalServerError')"
        assert text.startswith(f"turn {failed.value.turn_id} failed: ")
        model.enqueue(Reply.error(503, "down for maintenance"))
        with pytest.raises(TurnFailedError) as unavailable:
            thread.run("again")
        assert unavailable.value.http_status == 503
        assert "HTTP 503" in str(unavailable.value)
        assert "down for maintenance" in str(unavailable.value)
    assert error_kind(None) == (None, None)
    assert error_kind({"responseTooManyFailedAttempts": {"httpStatusCode": 429}}) == (
        "response_too_many_failed_attempts",
        429,
    )


class City(BaseModel):
    name: str


def test_structured_output_error_keeps_the_result(model: OfflineModel, tmp_path: Path) -> None:
    with Codex(model.codex_config(cwd=str(tmp_path))) as codex:
        thread = codex.thread_start()
        model.enqueue(Reply.text("not json at all"))
        with pytest.raises(StructuredOutputError) as bad:
            thread.run("a city", output_schema=City)
        result = bad.value.result
        assert result is not None
        assert result.final_response == "not json at all"
        assert bad.value.turn_id == result.id
        assert result.items
        assert result.usage is not None


def test_reprs_are_short_and_say_the_state(model: OfflineModel, tmp_path: Path) -> None:
    assert repr(AsyncCodex()) == "<AsyncCodex not started>"
    codex = Codex(model.codex_config(cwd=str(tmp_path)))
    assert re.fullmatch(r"<Codex open: codex app-server \(pid \d+\)>", repr(codex))
    thread = codex.thread_start()
    assert repr(thread) == f"Thread(id={thread.id!r})"
    model.enqueue(Reply.text("a reply long enough to be cut short in the repr of the result"))
    handle = thread.turn("hi")
    result = handle.run()
    assert repr(handle).endswith(", done)")
    shown = repr(result)
    assert shown.startswith(f"TurnResult(id={result.id!r}, status='completed', items=")
    assert "final_response='a reply long enough to be cut short in the repr of the re...'" in shown
    assert "tokens=" in shown
    assert "userAgent" not in repr(codex.metadata)
    assert "user_agent=" in repr(codex.metadata)
    assert re.fullmatch(
        r"<CodexClient on its codex's connection, open: codex app-server \(pid \d+\)>",
        repr(codex.client),
    )
    # notebooks and rich show the thread's history (one thread/read)
    shown_html = thread._repr_html_()
    assert f"Thread {thread.id}: 1 turn" in shown_html
    assert f"turn {result.id}: completed" in shown_html
    assert "a reply long enough to be cut short" in shown_html
    assert f"turn {result.id}: completed" in thread._repr_markdown_()
    assert dict(thread.__rich_repr__())["turns"] == 1
    codex.close()
    assert repr(codex) == "<Codex closed>"
    # a closed client cannot read the history: the display says so instead of failing
    assert "history unavailable" in thread._repr_markdown_()
    from openai_codex.client import CodexClient

    assert repr(CodexClient()) == "<CodexClient own runtime, not started>"


PUBLIC_MODULES = (
    "openai_codex",
    "openai_codex.errors",
    "openai_codex.retry",
    "openai_codex.handlers",
    "openai_codex.tools",
    "openai_codex.structured",
    "openai_codex.tracing",
    "openai_codex.testing",
    "openai_codex.console",
    "openai_codex.client",
    "openai_codex.async_client",
    "openai_codex.api",
    "openai_codex.events",
    "openai_codex.stores",
    "openai_codex.testing.store_conformance",
    "openai_codex.testing.postgres",
    "openai_codex_transport",
)


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("openai_codex") and not module.startswith("openai_codex_types")


def _missing_docstrings() -> list[str]:
    missing: list[str] = []
    seen: set[int] = set()

    def visit(where: str, obj: object) -> None:
        if id(obj) in seen or not _ours(obj):
            return
        seen.add(id(obj))
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and not (obj.__doc__ or "").strip():
            missing.append(where)
        if not inspect.isclass(obj):
            return
        for base in obj.__mro__[1:]:
            visit(f"{base.__module__}.{base.__qualname__}", base)
        for name, attr in vars(obj).items():
            if name.startswith("_"):
                continue
            fn = attr.fget if isinstance(attr, property) else attr
            if isinstance(fn, (staticmethod, classmethod)):
                fn = fn.__func__
            if (inspect.isfunction(fn) or isinstance(attr, property)) and not (
                getattr(fn, "__doc__", None) or ""
            ).strip():
                missing.append(f"{where}.{name}")

    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            visit(f"{module_name}.{name}", getattr(module, name))
    return missing


def test_every_public_name_has_a_docstring() -> None:
    assert _missing_docstrings() == []


def test_option_methods_document_every_keyword() -> None:
    from openai_codex import AsyncThread, Thread

    for method in (
        Codex.thread_start,
        Codex.thread_resume,
        Codex.thread_fork,
        AsyncCodex.thread_start,
        Thread.turn,
        Thread.run,
        AsyncThread.run,
        Thread.start_goal,
        Thread.run_goal,
    ):
        doc = method.__doc__ or ""
        keywords = [
            p.name
            for p in inspect.signature(method).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        assert keywords, method
        assert [k for k in keywords if f"``{k}``" not in doc] == [], method.__qualname__


def test_thread_list_data_is_the_wire_thread(model: OfflineModel, tmp_path: Path) -> None:
    from openai_codex import Thread
    from openai_codex_types import Thread as WireThread

    with Codex(model.codex_config(cwd=str(tmp_path))) as codex:
        thread = codex.thread_start()
        model.enqueue(Reply.text("stored"))
        thread.run("keep me")
        records = codex.thread_list().data
        assert [r.id for r in records] == [thread.id]
        assert isinstance(records[0], WireThread)
        assert not issubclass(WireThread, Thread)
        assert codex.thread_resume(records[0].id).id == thread.id
    doc = inspect.getdoc(Codex.thread_list) or ""
    assert "openai_codex.Thread" in doc
    assert "thread_resume" in doc
