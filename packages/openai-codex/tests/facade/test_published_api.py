"""Every public name of the published SDK's public modules exists on ours, with its kind and
a compatible signature.

The published surface is read from ``data/published_api_0.163.0.json``, written from the
published wheel by ``scripts/published_api.py`` (so this test needs no network). A name we
do not offer, or offer with another kind, is listed in ``GAPS`` with the reason; the test
fails if a gap closes (remove it from the list) or a new one opens.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic

DATA = Path(__file__).parent / "data" / "published_api_0.163.0.json"

_GOAL_OPERATIONS = (
    "cancel_goal_operation",
    "next_goal_notification",
    "register_goal_operation",
    "reserve_goal_operation",
    "start_goal_operation",
    "unregister_goal_operation",
)
_GOALS = (
    "the published client's goal plumbing takes its private _GoalOperationState; goals are "
    "thread.run_goal/start_goal here, and thread_goal_* / pause_goal on the low-level client"
)
_SPLIT = (
    "an artifact of the published generator, which split one schema definition into "
    "numbered or per-alternative classes; here it is one class (e.g. FileIdUserInput is "
    "ImageUserInput with file_id)"
)
_LITERAL_ROOT = (
    "published wraps an enum plus one literal in a root model; here it is one open enum of "
    "all the schema's values (the same strings on the wire)"
)
_PRIVATE_HELPER = "an internal helper of the published client, with no use outside it"

#: "module.name[.method]" -> why it is missing ("kind: ..." for a different kind)
GAPS: dict[str, str] = {
    **{
        f"{module}.{cls}.{method}": _GOALS
        for module in ("openai_codex.api", "openai_codex.async_client", "openai_codex.client")
        for cls in ("AsyncCodexClient", "CodexClient")
        for method in _GOAL_OPERATIONS
        if not (module == "openai_codex.client" and cls == "AsyncCodexClient")
        and not (cls == "AsyncCodexClient" and method == "reserve_goal_operation")
    },
    **{
        f"openai_codex.client.{name}": _PRIVATE_HELPER
        for name in (
            "CheckoutCapabilities",
            "CodexBinResolverOps",
            "MessageRouter",
            "require_runtime_version",
            "resolve_codex_bin",
        )
    },
    **{
        f"openai_codex.generated.v2_all.{name}": _SPLIT
        for name in (
            "CodexAppServerProtocolV2",
            "FileIdContentItem",
            "FileIdFunctionCallOutputContentItem",
            "FileIdUserInput",
            "FileSystemSpecialPath1",
            "HookMetadata1",
            "HookMetadata2",
            "Indice",
            "ResourceContent1",
            "ResourceContent2",
        )
    },
    **{
        f"openai_codex.generated.v2_all.{name}": "kind: " + _LITERAL_ROOT
        for name in (
            "AgentMessageDelivery",
            "AutoReviewDecisionSource",
            "DesktopOnboardingEntrypoint",
            "ExternalAgentImportedConnectorSource",
            "McpServerStartupFailureReason",
            "ModelRerouteReason",
            "ModelVerification",
            "ResidencyRequirement",
        )
    },
}

_KINDS: dict[str, Callable[[Any], bool]] = {
    "model": lambda o: inspect.isclass(o) and issubclass(o, pydantic.BaseModel),
    "enum": lambda o: inspect.isclass(o) and issubclass(o, enum.Enum),
    "exception": lambda o: inspect.isclass(o) and issubclass(o, BaseException),
    "class": inspect.isclass,
    "function": callable,
}


def signature_problems(published: list[list[Any]], fn: Any) -> list[str]:
    """Why a call written for the published parameters would fail on ``fn`` (empty: fine)."""
    P = inspect.Parameter
    ours = list(inspect.signature(fn).parameters.values())
    var_pos = any(p.kind is P.VAR_POSITIONAL for p in ours)
    var_kw = any(p.kind is P.VAR_KEYWORD for p in ours)
    positional = [p for p in ours if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    by_name = {p.name: p for p in ours}
    pub_positional = [q for q in published if q[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    problems = []
    for i, (name, kind, _) in enumerate(pub_positional):
        if i >= len(positional):
            if not var_pos:
                problems.append(f"no positional parameter {i} ({name})")
        elif kind == "POSITIONAL_OR_KEYWORD" and positional[i].name != name and not var_kw:
            problems.append(f"parameter {i} is {positional[i].name!r}, published {name!r}")
    for name, kind, _ in published:
        p = by_name.get(name)
        keyword_ok = p is not None and p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY)
        if kind == "KEYWORD_ONLY" and not var_kw and not keyword_ok:
            problems.append(f"no keyword {name!r}")
        if (kind == "VAR_POSITIONAL" and not var_pos) or (kind == "VAR_KEYWORD" and not var_kw):
            problems.append(f"no {kind}")
    required_positional = sum(1 for q in pub_positional if not q[2])
    required_keywords = {q[0] for q in published if not q[2]}
    for p in ours:
        if p.default is not P.empty or p.kind in (P.VAR_POSITIONAL, P.VAR_KEYWORD):
            continue
        if p in positional and positional.index(p) < required_positional:
            continue
        if p.kind is P.KEYWORD_ONLY and p.name in required_keywords:
            continue
        problems.append(f"requires {p.name!r}, which published callers do not pass")
    return problems


def surface_gaps() -> dict[str, str]:
    """What differs between the published surface and ours: name -> what."""
    published = json.loads(DATA.read_text())["modules"]
    found: dict[str, str] = {}
    for module_name, entries in published.items():
        module = importlib.import_module(module_name)
        for name, entry in entries.items():
            key = f"{module_name}.{name}"
            try:
                obj = getattr(module, name)
            except AttributeError:
                found[key] = "missing"
                continue
            kind = entry["kind"]
            if not _KINDS.get(kind, lambda o: True)(obj):
                found[key] = f"kind: published {kind}, ours {obj!r}"
                continue
            if kind == "function":
                problems = signature_problems(entry["params"], obj)
                if problems:
                    found[key] = "signature: " + "; ".join(problems)
            for method, params in entry.get("methods", {}).items():
                if not hasattr(obj, method):
                    found[f"{key}.{method}"] = "missing"
                    continue
                if params in ("property", None):
                    continue
                if method == "__init__" and any(q[0].startswith("_") for q in params):
                    continue  # a constructor with private arguments: not a public signature
                problems = signature_problems(params, getattr(obj, method))
                if problems:
                    found[f"{key}.{method}"] = "signature: " + "; ".join(problems)
    return found


def test_every_published_public_name_exists_with_its_kind_and_signature() -> None:
    found = surface_gaps()
    unexpected = {k: v for k, v in found.items() if k not in GAPS}
    assert not unexpected, "\n".join(f"{k}: {v}" for k, v in sorted(unexpected.items()))
    closed = sorted(set(GAPS) - set(found))
    assert not closed, f"these gaps are closed, remove them from GAPS: {closed}"
    for key, what in found.items():  # a kind gap is listed as one
        assert what.startswith("kind") == GAPS[key].startswith("kind"), key


def test_the_published_list_is_substantial() -> None:
    published = json.loads(DATA.read_text())["modules"]
    assert set(published) >= {
        "openai_codex",
        "openai_codex.api",
        "openai_codex.async_client",
        "openai_codex.client",
        "openai_codex.errors",
        "openai_codex.generated.notification_registry",
        "openai_codex.generated.v2_all",
        "openai_codex.models",
        "openai_codex.retry",
        "openai_codex.types",
    }
    assert len(published["openai_codex.generated.v2_all"]) > 1000
    methods = published["openai_codex.client"]["CodexClient"]["methods"]
    assert {"request", "notify", "next_notification", "thread_start", "stream_text"} <= set(methods)


def test_signature_check_catches_incompatible_shapes() -> None:
    def ours(thread_id: str, *, include_turns: bool = False) -> None: ...

    assert signature_problems([["thread_id", "POSITIONAL_OR_KEYWORD", False]], ours) == []
    assert signature_problems(
        [
            ["thread_id", "POSITIONAL_OR_KEYWORD", False],
            ["include_turns", "POSITIONAL_OR_KEYWORD", True],
        ],
        ours,
    ) == ["no positional parameter 1 (include_turns)"]
    assert signature_problems([["tid", "POSITIONAL_OR_KEYWORD", False]], ours) == [
        "parameter 0 is 'thread_id', published 'tid'"
    ]
    assert signature_problems([], ours) == [
        "requires 'thread_id', which published callers do not pass"
    ]
