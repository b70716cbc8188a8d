"""Pydantic models of the Codex app-server protocol, generated from the pinned runtime's schema.

Every schema definition is importable by its name from this package
(``from openai_codex_types import ThreadStartResponse, ThreadItem, TurnStatus``). Importing the
package builds nothing: a name is imported from its generated module on first access, and each
model is built by pydantic the first time it validates.

Forward compatibility: unknown fields are kept (``model.model_extra``); an unknown enum value
parses to an :class:`OpenEnum` pseudo-member (``.value`` is the raw string, ``.known`` is False);
an unknown member of a tagged union parses to its ``Unknown<Union>`` class, an
:class:`UnknownVariant` whose ``.raw`` is the wire data. :func:`is_unknown` tells either apart.

Unions: a field holds the concrete member (``ItemCompletedNotification.item`` is an
``AgentMessageThreadItem``, ...), annotated with the union's alias ``Any<Union>``
(``AnyThreadItem``); the wrapper class (``ThreadItem``) validates a union directly and
forwards attribute access to its member; members keep ``.root`` (themselves).

Method registries live in :mod:`openai_codex_types.registry`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import registry as registry
    from ._base import CodexModel as CodexModel
    from ._base import CodexPath as CodexPath
    from ._base import CodexRootModel as CodexRootModel
    from ._base import CodexStr as CodexStr
    from ._base import CodexUnion as CodexUnion
    from ._base import CodexVariant as CodexVariant
    from ._base import UnknownVariant as UnknownVariant
    from ._base import is_unknown as is_unknown
    from ._generated._all import *  # noqa: F403
    from ._open_enum import OpenEnum as OpenEnum

    __version__: str
    RUNTIME_VERSION: str
    """The version of the Codex runtime whose schema these models were generated from."""

_BASE_NAMES = frozenset(
    {
        "CodexModel",
        "CodexPath",
        "CodexRootModel",
        "CodexStr",
        "CodexUnion",
        "CodexVariant",
        "OpenEnum",
        "UnknownVariant",
        "is_unknown",
    }
)


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name not in ("__version__", "__all__"):
        raise AttributeError(name)
    value: Any
    if name == "__version__":
        from ._version import __version__ as value
    elif name == "__all__":
        from ._generated._index import MODULE_OF

        value = sorted({*MODULE_OF, *_BASE_NAMES, "RUNTIME_VERSION", "__version__"})
    elif name == "RUNTIME_VERSION":
        from ._generated._index import RUNTIME_VERSION as value
    elif name == "registry":
        value = import_module(".registry", __name__)
    elif name == "OpenEnum":  # (without pydantic)
        from ._open_enum import OpenEnum as value
    elif name in _BASE_NAMES:
        value = getattr(import_module("._base", __name__), name)
    else:
        value = _by_convention(name)
        if value is None:
            from ._generated._index import MODULE_OF

            module = MODULE_OF.get(name)
            if module is None:
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
            value = getattr(import_module(f"._generated.{module}", __name__), name)
    globals()[name] = value
    return value


def _by_convention(name: str) -> Any:
    """``name`` from the module named after it (``TurnStatus`` -> ``_turn_status``), where
    most definitions live, without loading the index of all ~1,500 names; None if not there."""
    if not name.isidentifier() or not name[:1].isupper():
        return None
    chars = [name[0].lower()]
    for i in range(1, len(name)):
        char, prev, nxt = name[i], name[i - 1], name[i + 1 : i + 2]
        if char.isupper() and (prev.islower() or prev.isdigit() or nxt.islower()):
            chars.append("_")
        chars.append(char.lower())
    try:
        module = import_module(f"._generated._{''.join(chars)}", __name__)
    except ImportError:
        return None
    if name not in getattr(module, "__all__", ()):  # defined there, not only imported
        return None
    return module.__dict__.get(name)


def __dir__() -> list[str]:
    from ._generated._index import MODULE_OF

    return sorted({*globals(), *MODULE_OF, *_BASE_NAMES, "RUNTIME_VERSION", "__version__"})
