from __future__ import annotations

import enum
import json
from typing import Any, Literal

import anyio
import pytest
from pydantic import BaseModel, Field

from openai_codex.tools import Tool, ToolError, ToolImage, ToolResult, ToolSet, tool


class Unit(str, enum.Enum):
    c = "celsius"
    f = "fahrenheit"


class Place(BaseModel):
    city: str
    country: str = "GB"


@tool
def weather(place: Place, unit: Unit = Unit.c, days: int = 1) -> str:
    """Forecast the weather.

    Returns a one-line summary.
    """
    return f"{place.city}/{place.country}: sunny, {unit.value}, {days}d"


@tool(name="add-numbers", description="Add two integers.")
async def add(a: int, b: int) -> int:
    await anyio.lowlevel.checkpoint()
    return a + b


def test_spec_from_signature_and_docstring() -> None:
    assert isinstance(weather, Tool)
    spec = weather.spec()
    assert spec["type"] == "function"
    assert spec["name"] == "weather"
    assert spec["description"] == "Forecast the weather.\n\nReturns a one-line summary."
    schema = spec["inputSchema"]
    assert schema["type"] == "object"
    assert schema["required"] == ["place"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"place", "unit", "days"}
    assert schema["properties"]["days"] == {"default": 1, "type": "integer"}
    assert "Place" in schema["$defs"]
    assert "Unit" in schema["$defs"]
    assert "title" not in json.dumps(schema["properties"]["days"])
    assert add.spec()["name"] == "add-numbers"
    assert add.spec()["description"] == "Add two integers."
    assert add.spec()["inputSchema"]["required"] == ["a", "b"]


def test_still_callable_directly() -> None:
    assert weather(Place(city="Oslo")) == "Oslo/GB: sunny, celsius, 1d"


@pytest.mark.anyio
async def test_invoke_validates_and_converts() -> None:
    out = await weather.invoke({"place": {"city": "Paris", "country": "FR"}, "unit": "fahrenheit"})
    assert out == {
        "contentItems": [{"type": "inputText", "text": "Paris/FR: sunny, fahrenheit, 1d"}],
        "success": True,
    }
    out = await add.invoke('{"a": 2, "b": "40"}')  # JSON string arguments, lax int parsing
    assert out["success"] is True
    assert out["contentItems"][0]["text"] == "42"


@pytest.mark.anyio
async def test_invalid_arguments_fail_the_call() -> None:
    out = await add.invoke({"a": 1})
    assert out["success"] is False
    text = out["contentItems"][0]["text"]
    assert "Invalid arguments for tool 'add-numbers'" in text
    assert "b" in text
    out = await add.invoke({"a": 1, "b": 2, "c": 3})
    assert out["success"] is False
    assert "c" in out["contentItems"][0]["text"]
    out = await add.invoke([1, 2])
    assert out["success"] is False


@pytest.mark.anyio
async def test_exceptions_become_failed_results() -> None:
    @tool
    def broken(x: int) -> str:
        raise RuntimeError(f"no luck with {x}")

    @tool
    async def refuses() -> str:
        raise ToolError("not today")

    out = await broken.invoke({"x": 7})
    assert out == {
        "contentItems": [
            {"type": "inputText", "text": "Tool 'broken' failed: RuntimeError: no luck with 7"}
        ],
        "success": False,
    }
    out = await refuses.invoke({})
    assert out["contentItems"][0]["text"] == "not today"
    assert out["success"] is False


@pytest.mark.anyio
async def test_return_values_become_content_items() -> None:
    png = ToolImage.from_bytes(b"\x89PNG", "image/png")

    @tool
    def pic() -> list[Any]:
        return ["a chart:", png, {"n": 1}]

    @tool
    def model_out() -> Place:
        return Place(city="Rome", country="IT")

    @tool
    def nothing() -> None:
        return None

    @tool
    def explicit() -> ToolResult:
        return ToolResult(["partial"], success=False)

    @tool
    def numbers() -> list[int]:
        return [1, 2]

    out = await pic.invoke({})
    assert out["contentItems"] == [
        {"type": "inputText", "text": "a chart:"},
        {"type": "inputImage", "imageUrl": "data:image/png;base64,iVBORw=="},
        {"type": "inputText", "text": '{"n": 1}'},
    ]
    assert (await model_out.invoke({}))["contentItems"][0][
        "text"
    ] == '{"city":"Rome","country":"IT"}'
    assert (await nothing.invoke({}))["contentItems"] == [{"type": "inputText", "text": ""}]
    assert await explicit.invoke({}) == {
        "contentItems": [{"type": "inputText", "text": "partial"}],
        "success": False,
    }
    assert (await numbers.invoke({}))["contentItems"][0]["text"] == "[1, 2]"


def test_bad_tool_definitions_are_refused() -> None:
    with pytest.raises(ValueError, match="tool name"):
        tool(name="has space")(lambda: None)

    def star(*args: int) -> None: ...

    with pytest.raises(TypeError, match=r"\*args"):
        tool(star)
    with pytest.raises(ValueError, match="two tools"):
        ToolSet([add, add])


@pytest.mark.anyio
async def test_toolset_specs_namespaces_and_dispatch(span_exporter: Any) -> None:
    @tool(namespace="files")
    def read(path: str, mode: Literal["text", "bytes"] = "text") -> str:
        """Read a file."""
        return f"read {path} as {mode}"

    def plain(x: int = Field(default=3, description="how many")) -> int:
        """Plain function, wrapped by ToolSet."""
        return x * 2

    tools = ToolSet([add, read, plain])
    specs = tools.specs()
    assert [s["name"] for s in specs] == ["add-numbers", "plain", "files"]
    assert specs[2]["type"] == "namespace"
    assert specs[2]["tools"][0]["name"] == "read"
    assert specs[1]["inputSchema"]["properties"]["x"]["description"] == "how many"
    assert tools.find("read") is None
    found = tools.find("read", "files")
    assert found is not None
    out = await tools.call(
        found,
        {
            "callId": "c9",
            "threadId": "t",
            "turnId": "u",
            "tool": "read",
            "arguments": {"path": "a"},
        },
    )
    assert out["contentItems"][0]["text"] == "read a as text"
    plain_tool = tools.find("plain")
    assert plain_tool is not None
    assert (await tools.call(plain_tool, {"arguments": {}}))["contentItems"][0]["text"] == "6"
    bad = await tools.call(plain_tool, {"callId": "c10", "arguments": {"x": "many"}})
    assert bad["success"] is False
    spans = span_exporter.get_finished_spans()
    assert [s.name for s in spans] == ["codex.tool_call"] * 3
    assert spans[0].attributes["codex.tool.call_id"] == "c9"
    assert spans[0].attributes["codex.tool_success"] is True
    assert spans[2].status.status_code.name == "ERROR"


@pytest.mark.anyio
async def test_a_tool_past_its_timeout_fails() -> None:
    @tool(timeout=0.1)
    async def sleepy() -> str:
        await anyio.sleep(30)
        return "late"

    @tool
    async def sleepy_default() -> str:
        await anyio.sleep(30)
        return "late"

    tools = ToolSet([sleepy, sleepy_default])
    with anyio.fail_after(5):
        out = await tools.call(sleepy, {"arguments": {}}, limit=60)
        assert out == {
            "contentItems": [
                {"type": "inputText", "text": "Tool 'sleepy' did not finish within 0.1 s."}
            ],
            "success": False,
        }
        out = await tools.call(sleepy_default, {"arguments": {}}, limit=0.1)
        assert out["success"] is False


@pytest.mark.anyio
async def test_a_tool_error_reaches_the_model_with_secrets_masked() -> None:
    @tool
    def fetch(url: str) -> str:
        """Fetch a URL."""
        raise RuntimeError(f"GET {url} failed; Authorization: Bearer sk-live-abcdefghijklmnop")

    @tool
    def refuse(x: int) -> str:
        """Refuse."""
        raise ToolError("quota hit for OPENAI_API_KEY=sk-secret-123456789")

    out = await fetch.invoke({"url": "https://api.example.com/v1?token=tok-987654321"})
    text = json.dumps(out)
    assert out["success"] is False
    assert "RuntimeError" in text
    assert "tok-987654321" not in text
    assert "sk-live-abcdefghijklmnop" not in text
    out = await refuse.invoke({"x": 1})
    assert "quota hit" in json.dumps(out)
    assert "sk-secret-123456789" not in json.dumps(out)
