"""Structured output: ``run(..., output_schema=Model)`` and ``result.parsed``.

``output_schema`` takes a pydantic model class (or any type pydantic can build a schema
for whose JSON form is an object: a dataclass, a ``TypedDict``) or a JSON schema ``dict``.
The schema sent in ``turn/start``'s ``outputSchema`` is made acceptable to strict
structured output (:func:`strict_json_schema`): every object lists all its properties as
required and forbids additional ones, recursively, ``$defs`` included.

When the turn completes, the final response is parsed: into an instance of the model for
a type, into plain JSON for a dict schema. Text that is not valid JSON or does not
validate raises :class:`StructuredOutputError`, which carries the raw text.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from openai_codex_transport import CodexError

if TYPE_CHECKING:
    from ._core.turns.results import TurnResult

__all__ = [
    "OutputSchema",
    "StructuredOutputError",
    "output_schema_for",
    "parse_structured_output",
    "strict_json_schema",
]

T = TypeVar("T")


class StructuredOutputError(CodexError):
    """The turn's final response is not valid for the requested ``output_schema``.

    ``raw_text`` is the model's text (``None`` when the turn produced no final response);
    ``errors`` are pydantic's validation errors (empty for invalid JSON); ``result`` is the
    turn's ``TurnResult`` (items, usage, id; ``parsed`` unset) when a turn produced it.
    """

    def __init__(
        self,
        message: str,
        *,
        raw_text: str | None,
        errors: list[dict[str, Any]] | None = None,
        result: TurnResult | None = None,
    ) -> None:
        super().__init__(message)
        self.raw_text = raw_text
        self.errors = errors or []
        self.result = result

    @property
    def turn_id(self) -> str | None:
        """The id of the turn whose response did not parse, when known."""
        return None if self.result is None else self.result.id


_COMBINATORS = ("anyOf", "allOf", "prefixItems")
_SUBSCHEMA_KEYS = ("items", "not", "contains", "additionalItems")


def strict_json_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` that strict structured output accepts.

    - every object schema (``type: object`` or with ``properties``) gets
      ``additionalProperties: false`` and ``required`` = all its property names;
    - ``oneOf`` becomes ``anyOf`` (pydantic's ``discriminator`` hint is dropped);
    - a ``$ref`` with sibling keywords is inlined (the siblings kept);
    - ``"default": null`` is dropped;
    - all of it recursively, through ``properties``, ``items``, ``anyOf``/``allOf``,
      ``$defs`` and ``definitions``.

    The root must be an object schema (``ValueError`` otherwise).
    """
    root = copy.deepcopy(dict(schema))
    if not _is_object(root) and "$ref" not in root:
        raise ValueError(
            "output_schema must describe a JSON object at the top level "
            f"(got type {root.get('type')!r})"
        )
    return cast(dict[str, Any], _strict(root, root))


def _is_object(node: Mapping[str, Any]) -> bool:
    t = node.get("type")
    return t == "object" or (isinstance(t, list) and "object" in t) or "properties" in node


def _resolve_ref(root: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref values are supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def _strict(node: Any, root: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict(v, root) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        target = _resolve_ref(root, node["$ref"])
        merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
        return _strict(merged, root)
    for defs_key in ("$defs", "definitions"):
        defs = node.get(defs_key)
        if isinstance(defs, dict):
            node[defs_key] = {k: _strict(v, root) for k, v in defs.items()}
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
        node.pop("discriminator", None)
    for key in _COMBINATORS:
        if isinstance(node.get(key), list):
            node[key] = [_strict(v, root) for v in node[key]]
    for key in _SUBSCHEMA_KEYS:
        if isinstance(node.get(key), dict):
            node[key] = _strict(node[key], root)
    if "default" in node and node["default"] is None:
        del node["default"]
    if _is_object(node):
        props = node.get("properties")
        if isinstance(props, dict):
            node["properties"] = {k: _strict(v, root) for k, v in props.items()}
            node["required"] = list(props)
        else:
            node["properties"] = {}
            node["required"] = []
        node["additionalProperties"] = False
    return node


@dataclass(frozen=True)
class OutputSchema(Generic[T]):
    """A resolved ``output_schema``: the strict wire schema and how to parse the answer."""

    schema: dict[str, Any]
    """What is sent as ``outputSchema``."""
    target: Any = None
    """The Python type to validate into, or ``None`` for a plain JSON-schema dict."""

    def parse(self, text: str | None) -> T:
        """The validated value for ``text`` (raises :class:`StructuredOutputError`)."""
        return cast(T, parse_structured_output(text, self.target))


def output_schema_for(spec: Any) -> OutputSchema[Any] | None:
    """Resolve a user's ``output_schema`` argument (``None`` stays ``None``)."""
    if spec is None:
        return None
    if isinstance(spec, OutputSchema):
        return spec
    if isinstance(spec, Mapping):
        return OutputSchema(schema=strict_json_schema(spec), target=None)
    if isinstance(spec, type) and issubclass(spec, BaseModel):
        raw = spec.model_json_schema()
    else:
        try:
            raw = TypeAdapter(spec).json_schema()
        except Exception as exc:
            raise TypeError(
                "output_schema must be a pydantic model class, a type pydantic can describe, "
                f"or a JSON schema dict; got {spec!r}"
            ) from exc
    return OutputSchema(schema=strict_json_schema(raw), target=spec)


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n?```\s*$", re.DOTALL)


def parse_structured_output(text: str | None, target: Any = None) -> Any:
    """Parse ``text`` as JSON and, for a ``target`` type, validate it into that type.

    A single surrounding Markdown code fence is tolerated. Raises
    :class:`StructuredOutputError` (with ``raw_text``) on anything invalid.
    """
    if text is None:
        raise StructuredOutputError("the turn produced no final response to parse", raw_text=None)
    candidates = [text]
    fenced = _FENCE.match(text)
    if fenced:
        candidates.append(fenced.group(1))
    last_json_error: Exception | None = None
    data: Any = None
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError as exc:
            last_json_error = exc
            continue
        last_json_error = None
        break
    if last_json_error is not None:
        raise StructuredOutputError(
            f"the final response is not valid JSON: {last_json_error}", raw_text=text
        )
    if target is None:
        return data
    try:
        if isinstance(target, type) and issubclass(target, BaseModel):
            return target.model_validate(data)
        return TypeAdapter(target).validate_python(data)
    except ValidationError as exc:
        raise StructuredOutputError(
            f"the final response does not match {getattr(target, '__name__', target)}: {exc}",
            raw_text=text,
            errors=[dict(e) for e in exc.errors(include_url=False)],
        ) from exc
