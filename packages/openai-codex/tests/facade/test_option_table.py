"""The option table cannot drift: wire names and types are checked against the params models,
every option carries its docs, and the copies elsewhere are tested against it."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import re
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_sync", ROOT / "scripts/generate_sync.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> Any:
    return _generator()


@pytest.fixture(scope="module")
def table(gen: Any) -> Any:
    return gen.load_options()


def _with(table: Any, method: Any, options: tuple[Any, ...]) -> Any:
    changed = dataclasses.replace(method, options=options)
    return types.SimpleNamespace(OPTION_METHODS=(changed,), ENUM_ARGS=table.ENUM_ARGS)


def test_the_table_matches_the_wire(gen: Any, table: Any) -> None:
    assert gen.check_option_table(table) == []


def test_a_made_up_option_is_refused_by_name(gen: Any, table: Any) -> None:
    bogus = table.Option("made_up", "str | None", doc="not a real option")
    problems = gen.check_option_table(_with(table, table.RUN, (*table.RUN.options, bogus)))
    assert problems == [
        "option 'made_up' of run(): TurnStartParams has no field 'madeUp' (its wire name)"
    ]


def test_a_wrongly_typed_option_is_refused_by_name(gen: Any, table: Any) -> None:
    wrong = tuple(
        dataclasses.replace(o, annotation="int | None") if o.name == "effort" else o
        for o in table.TURN.options
    )
    (problem,) = gen.check_option_table(_with(table, table.TURN, wrong))
    assert problem.startswith("option 'effort' of turn(): declared int but TurnStartParams.effort")


def test_a_goal_option_must_exist_in_thread_settings(gen: Any, table: Any) -> None:
    source = next(o for o in table.TURN_OPTIONS if o.name == "source")
    goal = table.START_GOAL
    (problem,) = gen.check_option_table(_with(table, goal, (*goal.options, source)))
    assert "'source' of start_goal(): ThreadSettingsUpdateParams has no field 'turnTrigger'" in (
        problem
    )


def test_an_option_without_docs_is_refused(table: Any) -> None:
    with pytest.raises(ValueError, match="option 'x' needs a doc="):
        table.Option("x", "str | None")


def test_goal_options_are_an_explicit_list(table: Any) -> None:
    names = [o.name for o in table.GOAL_OPTIONS]
    assert names == [
        "approval_mode",
        "cwd",
        "effort",
        "model",
        "personality",
        "sandbox",
        "service_tier",
        "summary",
    ]
    assert (
        "GOAL_OPTIONS: tuple[Option, ...] = _pick("
        in (ROOT / "packages/openai-codex/src/openai_codex/_core/threads/options.py").read_text()
    )


def test_every_generated_docstring_carries_each_options_doc(table: Any) -> None:
    import openai_codex

    for method in table.OPTION_METHODS:
        owner = openai_codex.AsyncThread if method.owner != "ThreadOpeningMethods" else None
        target = getattr(owner or openai_codex.AsyncCodex, method.name)
        for option in method.options:
            assert f"``{option.name}``: {option.doc}" in (target.__doc__ or ""), option.name


def _list_in(path: Path, name: str) -> list[str]:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError(f"{name} not found in {path}")


def test_the_compatibility_lists_are_options_of_the_table(table: Any) -> None:
    compat = ROOT / "packages/openai-codex/tests/facade/test_api_compat.py"
    turn = {o.name for o in table.TURN.options}
    assert set(_list_in(compat, "TURN_OPTIONS")) <= turn
    for name, method in (
        ("THREAD_RESUME", table.THREAD_RESUME),
        ("THREAD_FORK", table.THREAD_FORK),
    ):
        allowed = {o.name for o in method.options} | {p.name for p in method.params}
        assert set(_list_in(compat, name)) <= allowed, name


def test_the_guides_list_every_turn_option(table: Any) -> None:
    page = (ROOT / "docs/concepts/threads-and-turns.md").read_text()
    listed = page[page.index("Turn options:") :].split("\n\n")[0]
    named = set(re.findall(r"`(\w+)`", listed))
    assert {o.name for o in table.TURN.options} <= named


def test_temporal_turn_options_are_options_of_the_table(table: Any) -> None:
    temporal = pytest.importorskip("openai_codex.temporal")
    own = {"include_diff"}  # the Temporal activity's own option (a diff in the result)
    fields = set(temporal.TurnOptions.model_fields) - own
    known = {o.name for o in table.TURN.options} | {o.name for o in table.THREAD_OPTIONS}
    assert fields <= known
    wanted = {o.name for o in table.GOAL_OPTIONS} - {"cwd"}  # the workspace gives the cwd
    assert wanted <= fields, f"TurnOptions lacks {sorted(wanted - fields)}"
