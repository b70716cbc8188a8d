"""Importing the package builds nothing; first use imports only what a model needs.

(The timing comparison with pydantic is bench/import_types.py, not a test.)"""

from __future__ import annotations

import json

from codex_types_support import run_python


def test_import_loads_no_generated_module_and_no_pydantic() -> None:
    out = run_python(
        "import sys, json, openai_codex_types\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pydantic', "
        "'openai_codex_types')))))"
    )
    assert json.loads(out) == ["openai_codex_types"]


def test_first_use_imports_only_the_needed_modules() -> None:
    out = run_python(
        "import sys, json\n"
        "from openai_codex_types import TurnCompletedNotification as T\n"
        "T.model_validate({'threadId': 't', 'turn': {'id': 'u', 'items': [], "
        "'status': 'completed', 'error': None}})\n"
        "gen = [m for m in sys.modules if m.startswith('openai_codex_types._generated.')]\n"
        "print(json.dumps(gen))"
    )
    loaded = json.loads(out)
    assert "openai_codex_types._generated._turn_completed_notification" in loaded
    assert "openai_codex_types._generated._thread_item" in loaded
    # nowhere near the ~560 generated modules
    assert len(loaded) < 40, loaded


def test_models_are_built_lazily() -> None:
    out = run_python(
        "from pydantic._internal._mock_val_ser import MockValSer\n"
        "from openai_codex_types import Turn, TurnStatus\n"
        "print(isinstance(Turn.__pydantic_validator__, MockValSer))\n"
        "Turn.model_validate({'id': 'u', 'items': [], 'status': 'completed', 'error': None})\n"
        "print(isinstance(Turn.__pydantic_validator__, MockValSer))"
    )
    assert out.split() == ["True", "False"]


def test_registry_lookup_is_lazy() -> None:
    out = run_python(
        "import sys\n"
        "from openai_codex_types import registry\n"
        "before = len([m for m in sys.modules if '_generated._' in m])\n"
        "registry.notification_model('turn/completed')\n"
        "after = len([m for m in sys.modules if '_generated._' in m])\n"
        "print(before, after)"
    )
    before, after = map(int, out.split())
    assert before == 2  # the index and the registry tables
    assert 2 < after < 40


def test_registry_import_needs_no_pydantic() -> None:
    out = run_python(
        "import sys\n"
        "from openai_codex_types import registry\n"
        "spec = registry.client_request('thread/start')\n"
        "print(spec.result_name, 'pydantic' in sys.modules)"
    )
    assert out.split() == ["ThreadStartResponse", "False"]


def test_a_name_is_found_in_the_module_named_after_it_without_the_index() -> None:
    out = run_python(
        "import sys, json\n"
        "from openai_codex_types import TurnStatus\n"
        "print(json.dumps([TurnStatus.completed.value, 'pydantic' in sys.modules,\n"
        "    'openai_codex_types._generated._index' in sys.modules]))"
    )
    assert json.loads(out) == ["completed", False, False]


def test_the_conventional_look_up_agrees_with_the_index_for_every_name() -> None:
    import importlib

    import openai_codex_types
    from openai_codex_types._generated._index import MODULE_OF

    found = 0
    for name, module in MODULE_OF.items():
        value = openai_codex_types._by_convention(name)
        if value is not None:
            found += 1
            real = getattr(importlib.import_module(f"openai_codex_types._generated.{module}"), name)
            assert value is real, name
    assert found > 500  # most names live in the module named after them
    for other in ("Field", "Annotated", "BaseModel", "Any", "CodexModel", "A", "turnStatus"):
        assert openai_codex_types._by_convention(other) is None, other
