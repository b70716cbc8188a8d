"""Emitting the generated package's tables: the name -> module index, the type checkers' name
list, the method registries and the package marker."""

from __future__ import annotations

import json
from collections import defaultdict

from .emit_common import header
from .registry import Registry


def emit_index(module_of_class: dict[str, str], version: str) -> str:
    """``_index.py``: the module of every generated class, read lazily by the package."""
    idx = [
        header(version, "Name -> module index of every generated class (read lazily)."),
        f"RUNTIME_VERSION = {json.dumps(version)}\n\n",
        "MODULE_OF: dict[str, str] = {\n",
    ]
    for name in sorted(module_of_class):
        idx.append(f"    {json.dumps(name)}: {json.dumps(module_of_class[name])},\n")
    idx.append("}\n")
    return "".join(idx)


def emit_all(module_of_class: dict[str, str], version: str) -> str:
    """``_all.py``: every name, for type checkers (the package imports it under TYPE_CHECKING)."""
    allmod = [
        header(
            version, "Every generated class, for type checkers only (never imported at run time)."
        )
    ]
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in sorted(module_of_class):
        grouped[module_of_class[name]].append(name)
    for mod in sorted(grouped):
        allmod.append(f"from .{mod} import (\n")
        allmod.extend(f"    {n} as {n},\n" for n in grouped[mod])
        allmod.append(")\n")
    allmod.append(f"\n__all__ = {json.dumps(sorted(module_of_class), indent=4)}\n")
    return "".join(allmod)


def emit_registry(
    reg: Registry,
    exp_methods: list[str],
    experimental_classes: list[str],
    experimental_fields: dict[str, list[str]],
    version: str,
) -> str:
    """``_registry.py``: the method tables and what only the --experimental schema has."""
    r = [
        header(
            version,
            "Method registries derived from the schema's ClientRequest, ClientNotification,\nServerNotification and ServerRequest unions (class names; resolved lazily).",
        )
    ]
    r.append(f"RUNTIME_VERSION = {json.dumps(version)}\n\n")
    r.append("# client request method -> (params class or None, result class)\n")
    r.append("CLIENT_REQUESTS: dict[str, tuple[str | None, str]] = {\n")
    for m, (p, res) in sorted(reg.client_requests.items()):
        r.append(f"    {json.dumps(m)}: ({json.dumps(p) if p else 'None'}, {json.dumps(res)}),\n")
    r.append("}\n\n# client notification method -> params class or None\n")
    r.append("CLIENT_NOTIFICATIONS: dict[str, str | None] = {\n")
    for m, p in sorted(reg.client_notifications.items()):
        r.append(f"    {json.dumps(m)}: {json.dumps(p) if p else 'None'},\n")
    r.append("}\n\n# server notification method -> payload class\n")
    r.append("SERVER_NOTIFICATIONS: dict[str, str] = {\n")
    for m, p in sorted(reg.server_notifications.items()):
        r.append(f"    {json.dumps(m)}: {json.dumps(p)},\n")
    r.append("}\n\n# server request method -> (params class, response class)\n")
    r.append("SERVER_REQUESTS: dict[str, tuple[str, str]] = {\n")
    for m, (p, res) in sorted(reg.server_requests.items()):
        r.append(f"    {json.dumps(m)}: ({json.dumps(p)}, {json.dumps(res)}),\n")
    r.append("}\n\n# methods only the --experimental schema has\n")
    r.append("EXPERIMENTAL_METHODS: frozenset[str] = frozenset(\n    {\n")
    r.extend(f"        {json.dumps(m)},\n" for m in exp_methods)
    r.append("    }\n)\n\n# classes only the --experimental schema has\n")
    r.append("EXPERIMENTAL_CLASSES: frozenset[str] = frozenset(\n    {\n")
    r.extend(f"        {json.dumps(n)},\n" for n in experimental_classes)
    r.append("    }\n)\n\n# class -> wire names of its fields only the --experimental schema has\n")
    r.append("EXPERIMENTAL_FIELDS: dict[str, frozenset[str]] = {\n")
    for n, wires in sorted(experimental_fields.items()):
        r.append(f"    {json.dumps(n)}: frozenset({json.dumps(sorted(wires))}),\n")
    r.append("}\n")
    return "".join(r)


def emit_package_init(version: str) -> str:
    """``__init__.py`` of the generated package."""
    return header(version, "Generated code; import from openai_codex_types instead.")
