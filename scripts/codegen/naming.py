"""Python names for schema names: classes, fields and enum members."""

from __future__ import annotations

import keyword
import re

# The pydantic BaseModel attributes a field must not shadow.
RESERVED_FIELD_NAMES = {
    "copy",
    "dict",
    "json",
    "schema",
    "schema_json",
    "construct",
    "validate",
    "fields",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "from_orm",
    "update_forward_refs",
    "model_config",
    "model_fields",
    "model_extra",
    "model_computed_fields",
    "model_fields_set",
    "model_post_init",
    "model_dump",
    "model_dump_json",
    "model_validate",
    "model_validate_json",
    "model_copy",
    "model_construct",
    "model_json_schema",
    "model_rebuild",
    "raw",
    "known",
}
RESERVED_MEMBER_NAMES = {"mro", "name", "value", "known", "root"}


def pascal(text: str) -> str:
    text = re.sub(r"v\d+::", "", text)  # "ApiKeyv2::LoginAccountParams" -> ApiKeyLoginAccountParams
    parts = re.split(r"[^0-9A-Za-z]+", text)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not out or out[0].isdigit():
        out = "N" + out
    return out


def snake(text: str) -> str:
    s = re.sub(r"[^0-9A-Za-z]+", "_", text)
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", s)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", s)
    return s.strip("_").lower()


def field_name(wire: str, taken: set[str]) -> str:
    name = snake(wire)
    if wire.startswith("_"):
        name = "field_" + name
    if not name:
        name = "field"
    if name[0].isdigit():
        name = "field_" + name
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def member_name(value: str, taken: set[str]) -> str:
    name = snake(value)
    if not name:
        name = "empty"
    if name[0].isdigit():
        name = "value_" + name
    if keyword.iskeyword(name) or name in RESERVED_MEMBER_NAMES:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name
