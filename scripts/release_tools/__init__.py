"""The implementation of ``stage-sdk`` (``scripts/stage_sdk.py``).

The source tree is a template: every package's version is ``0.0.0-dev`` and the facade pins its
siblings at ``==0.0.0-dev``. This script validates the requested version first, then copies each
package into ``OUT/packages/<name>`` (the source tree is never modified), writes the version into
the staged ``pyproject.toml`` and pins the facade to ``openai-codex-types==X`` and
``openai-codex-transport==X`` (the reviewed runtime pin is kept as it is), builds an sdist and a
wheel of each into ``OUT/dist/<name>/`` with ``python -m build``, and checks what it built:
``twine check --strict``, ``check-wheel-contents``, the metadata of every artifact (version X,
the right pins), ``py.typed`` present, no tests or caches inside. ``OUT/stage.json`` records the
result. With ``SOURCE_DATE_EPOCH`` set, two stagings produce byte-identical wheels.

Needs Python >= 3.11, ``packaging`` and ``build``; the checks need ``twine`` and
``check-wheel-contents`` (``nox -s stage`` installs all of them). Every refusal is one line on
stderr and a non-zero exit: 2 for a bad request (version, tag, pins, out dir), 1 for a failed
build or check.


One concept per module: ``common`` (names, constants, StageError), ``validation`` (version, tag,
runtime pin), ``pyproject`` (rewriting a staged pyproject.toml), ``staging`` (the plan, copying the
sources), ``building`` (``python -m build``), ``checks`` (the artifact checks), ``manifest``
(``stage.json``), ``cli`` (the command line).
"""

from __future__ import annotations

import importlib.util
import sys

# Checked before anything else is imported, so a missing requirement is one clear line.
if importlib.util.find_spec("tomllib") is None:  # pragma: no cover - Python 3.10
    sys.exit("stage-sdk: error: Python >= 3.11 is required (tomllib); run it with a newer Python")
if importlib.util.find_spec("packaging") is None:  # pragma: no cover - depends on the environment
    sys.exit(
        "stage-sdk: error: the 'packaging' package is missing; run `nox -s stage` or pip install packaging"
    )

from .building import build
from .checks import check, check_artifact, expected_requirements
from .cli import main, run
from .common import (
    FACADE,
    INTERNAL,
    PACKAGES,
    RUNTIME,
    TAG_PREFIX,
    TEMPLATE_VERSION,
    TRANSPORT,
    TYPES,
    StageError,
)
from .manifest import write_manifest
from .pyproject import pin_internal, rewrite_pyproject
from .staging import Plan, copy_ignore, make_plan, stage_sources
from .validation import (
    is_prerelease,
    runtime_pin,
    validate_version,
    version_from_tag,
)

__all__ = [
    "FACADE",
    "INTERNAL",
    "PACKAGES",
    "RUNTIME",
    "TAG_PREFIX",
    "TEMPLATE_VERSION",
    "TRANSPORT",
    "TYPES",
    "Plan",
    "StageError",
    "build",
    "check",
    "check_artifact",
    "copy_ignore",
    "expected_requirements",
    "is_prerelease",
    "main",
    "make_plan",
    "pin_internal",
    "rewrite_pyproject",
    "run",
    "runtime_pin",
    "stage_sources",
    "validate_version",
    "version_from_tag",
    "write_manifest",
]
