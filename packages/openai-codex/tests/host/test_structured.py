from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field

from openai_codex.structured import (
    StructuredOutputError,
    output_schema_for,
    parse_structured_output,
    strict_json_schema,
)
from openai_codex_transport import CodexError


class Address(BaseModel):
    city: str
    zip_code: str | None = None


class Cat(BaseModel):
    kind: Literal["cat"] = "cat"
    lives: int


class Dog(BaseModel):
    kind: Literal["dog"] = "dog"
    good: bool


class Person(BaseModel):
    name: str
    age: int = Field(ge=0)
    nickname: str | None = None
    home: Address
    pets: list[Cat | Dog] = Field(default_factory=list)
    pet: Cat | Dog = Field(discriminator="kind")


def _objects(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_model_schema_is_strict_everywhere() -> None:
    spec = output_schema_for(Person)
    assert spec is not None
    assert spec.target is Person
    schema = spec.schema
    objects = _objects(schema)
    assert len(objects) >= 4  # Person, Address, Cat, Dog
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])  # type: ignore[call-overload]
    assert set(schema["$defs"]) == {"Address", "Cat", "Dog"}
    assert "oneOf" not in str(schema)
    assert "discriminator" not in str(schema)
    assert "anyOf" in schema["properties"]["pet"]


def test_dict_schema_made_strict_and_input_untouched() -> None:
    raw = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "object", "properties": {"c": {"type": "integer"}}},
            "items": {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
        },
        "required": ["a"],
    }
    strict = strict_json_schema(raw)
    assert strict["required"] == ["a", "b", "items"]
    assert strict["properties"]["b"]["required"] == ["c"]
    assert strict["properties"]["items"]["items"]["additionalProperties"] is False
    assert "additionalProperties" not in raw
    assert raw["required"] == ["a"]


def test_ref_with_siblings_is_inlined() -> None:
    raw = {
        "type": "object",
        "properties": {"home": {"$ref": "#/$defs/A", "description": "where"}},
        "$defs": {"A": {"type": "object", "properties": {"city": {"type": "string"}}}},
    }
    strict = strict_json_schema(raw)
    home = strict["properties"]["home"]
    assert "$ref" not in home
    assert home["description"] == "where"
    assert home["required"] == ["city"]
    assert home["additionalProperties"] is False


def test_non_object_root_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        strict_json_schema({"type": "array", "items": {"type": "string"}})
    with pytest.raises(TypeError):
        output_schema_for(object())


def test_parse_into_the_model() -> None:
    spec = output_schema_for(Person)
    assert spec is not None
    text = (
        '{"name": "Ada", "age": 36, "nickname": null, "home": {"city": "London", "zip_code": null},'
        ' "pets": [{"kind": "dog", "good": true}], "pet": {"kind": "cat", "lives": 9}}'
    )
    person = spec.parse(text)
    assert isinstance(person, Person)
    assert person.home.city == "London"
    assert isinstance(person.pet, Cat)
    assert spec.parse(f"```json\n{text}\n```") == person


def test_invalid_text_raises_with_the_raw_text() -> None:
    with pytest.raises(StructuredOutputError) as info:
        parse_structured_output('{"name": "Ada"}', Person)
    assert isinstance(info.value, CodexError)
    assert info.value.raw_text == '{"name": "Ada"}'
    assert {e["loc"][0] for e in info.value.errors} >= {"age", "home"}
    with pytest.raises(StructuredOutputError, match="not valid JSON") as info2:
        parse_structured_output("Sure! Here it is", Person)
    assert info2.value.raw_text == "Sure! Here it is"
    with pytest.raises(StructuredOutputError, match="no final response"):
        parse_structured_output(None, Person)


def test_dict_schema_parses_to_json() -> None:
    spec = output_schema_for({"type": "object", "properties": {"n": {"type": "integer"}}})
    assert spec is not None
    assert spec.target is None
    assert spec.parse('{"n": 3}') == {"n": 3}
    assert output_schema_for(None) is None
