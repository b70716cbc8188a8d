"""From the two schemas (stable and --experimental) to every generated file's text."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .builder import Builder
from .emit_models import emit_module
from .emit_tables import emit_all, emit_index, emit_package_init, emit_registry
from .layout import assign_modules
from .registry import build_registry
from .spec import ClassSpec
from .values import alias_name, union_names, variant_names


def mark_experimental(
    classes: dict[str, ClassSpec], stable: dict[str, ClassSpec]
) -> tuple[list[str], dict[str, list[str]]]:
    """Flag what only the --experimental schema has; return those classes and fields (wire names)."""
    experimental_classes = sorted(n for n in classes if n not in stable)
    experimental_fields: dict[str, list[str]] = {}
    for name, spec in classes.items():
        if name not in stable:
            spec.experimental = True
            continue
        stable_wires = {f.wire for f in stable[name].fields}
        for f in spec.fields:
            if f.wire not in stable_wires:
                f.experimental = True
                experimental_fields.setdefault(name, []).append(f.wire)
    return experimental_classes, experimental_fields


def experimental_methods(stable_defs: dict[str, Any], exp_defs: dict[str, Any]) -> list[str]:
    """Methods only the --experimental schema has."""
    stable_reg = build_registry(stable_defs)
    reg = build_registry(exp_defs)
    return sorted(
        set(reg.client_requests) - set(stable_reg.client_requests)
        | set(reg.server_notifications) - set(stable_reg.server_notifications)
        | set(reg.server_requests) - set(stable_reg.server_requests)
    )


def generate(stable_defs: dict[str, Any], exp_defs: dict[str, Any], version: str) -> dict[str, str]:
    """All generated files: relative name -> content."""
    stable = Builder(stable_defs).build()
    builder = Builder(exp_defs)
    classes = builder.build()
    experimental_classes, experimental_fields = mark_experimental(classes, stable)

    module_of_def = assign_modules(classes, exp_defs)
    module_of_class = {name: module_of_def[spec.owner] for name, spec in classes.items()}
    by_module: dict[str, list[ClassSpec]] = defaultdict(list)
    for name in builder.order:
        by_module[module_of_class[name]].append(classes[name])

    unions = union_names(classes)
    variants = variant_names(classes, unions)
    module_of_class.update({alias_name(n): module_of_class[n] for n in unions})
    files: dict[str, str] = {}
    for mod, specs in sorted(by_module.items()):
        files[f"{mod}.py"] = emit_module(mod, specs, module_of_class, version, unions, variants)
    files["_index.py"] = emit_index(module_of_class, version)
    files["_all.py"] = emit_all(module_of_class, version)

    reg = build_registry(exp_defs)
    exp_methods = experimental_methods(stable_defs, exp_defs)
    for table in (reg.client_requests, reg.server_notifications, reg.server_requests):
        for value in table.values():
            for n in value if isinstance(value, tuple) else (value,):
                if n is not None and n not in classes:
                    raise SystemExit(f"registry refers to {n}, which has no class")
    files["_registry.py"] = emit_registry(
        reg, exp_methods, experimental_classes, experimental_fields, version
    )
    files["__init__.py"] = emit_package_init(version)
    return files
