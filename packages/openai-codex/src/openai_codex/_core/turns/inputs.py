"""Turn inputs: the public input classes and their wire form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(slots=True)
class TextInput:
    """Text for a turn or a steer."""

    text: str


@dataclass(slots=True)
class ImageInput:
    """An image by URL (``https://`` or a ``data:`` URL)."""

    url: str


@dataclass(slots=True)
class LocalImageInput:
    """An image file on the runtime's machine."""

    path: str


@dataclass(slots=True)
class SkillInput:
    """An explicit skill reference (name and path of its ``SKILL.md``)."""

    name: str
    path: str


@dataclass(slots=True)
class MentionInput:
    """A mention of an app (``app://...``) or plugin (``plugin://...``)."""

    name: str
    path: str


@dataclass(slots=True)
class ExternalMessage:
    """Untrusted content from another agent, tool or application.

    It has tool-level authority (below user and developer instructions) and grants no
    approval. Pass it as the whole input of ``run()``/``turn()``; it is sent as
    ``toolOutput`` with an empty ``input``. ``content`` is text or a list of
    Responses-API function-output content items (dicts or models).
    """

    tool_name: str
    content: str | Sequence[Any]
    namespace: str | None = None


InputItem: TypeAlias = TextInput | ImageInput | LocalImageInput | SkillInput | MentionInput
Input: TypeAlias = list[InputItem] | InputItem
RunInput: TypeAlias = Input | str | ExternalMessage


def _item_wire(item: object) -> dict[str, Any]:
    if isinstance(item, str):
        return {"type": "text", "text": item}
    if isinstance(item, TextInput):
        return {"type": "text", "text": item.text}
    if isinstance(item, ImageInput):
        return {"type": "image", "url": item.url}
    if isinstance(item, LocalImageInput):
        return {"type": "localImage", "path": str(item.path)}
    if isinstance(item, SkillInput):
        return {"type": "skill", "name": item.name, "path": str(item.path)}
    if isinstance(item, MentionInput):
        return {"type": "mention", "name": item.name, "path": item.path}
    raise TypeError(
        "input items must be str, TextInput, ImageInput, LocalImageInput, SkillInput "
        f"or MentionInput; got {type(item).__name__}"
    )


def input_wire(value: object) -> list[dict[str, Any]]:
    """The wire ``input`` list for one item, a str, or a list of them."""
    if isinstance(value, ExternalMessage):
        raise TypeError("ExternalMessage starts or joins a turn; it cannot be used here")
    if isinstance(value, (list, tuple)):
        return [_item_wire(item) for item in value]
    return [_item_wire(value)]


def _content_wire(content: object) -> object:
    if isinstance(content, str):
        return content
    out: list[object] = []
    for part in content:  # type: ignore[attr-defined]
        dump = getattr(part, "model_dump", None)
        out.append(dump(by_alias=True, exclude_none=True) if callable(dump) else part)
    return out


def turn_input_wire(value: object) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """``(input, toolOutput)`` for ``turn/start``."""
    if isinstance(value, ExternalMessage):
        if not isinstance(value.tool_name, str) or not value.tool_name.strip():
            raise ValueError("ExternalMessage.tool_name must be a non-empty string")
        tool_output: dict[str, Any] = {
            "name": value.tool_name,
            "output": _content_wire(value.content),
        }
        if value.namespace is not None:
            tool_output["namespace"] = value.namespace
        return [], tool_output
    return input_wire(value), None
