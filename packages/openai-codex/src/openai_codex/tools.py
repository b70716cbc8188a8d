"""Python functions as tools the model can call (the runtime's experimental dynamic tools).

::

    @tool
    def add(a: int, b: int) -> int:
        \"\"\"Add two integers.\"\"\"
        return a + b

    thread = await codex.thread_start(tools=[add])

:func:`tool` reads the function's name, its docstring (the description) and its type
hints (the input JSON schema, through pydantic: pydantic models, enums, ``Literal``,
``Optional`` and defaults all work). The thread sends the specs in ``dynamicTools``; when
the model calls one, the runtime sends ``item/tool/call`` and the SDK validates the
arguments, calls the function (sync functions in a worker thread, async ones awaited) and
answers with its return value as the tool output:

- ``str`` -> one text item; ``None`` -> an empty text item;
- :class:`ToolImage` -> an image item (``imageUrl``: an https or ``data:`` URL);
- a list containing :class:`ToolImage`/``str`` parts -> one item per part;
- :class:`ToolResult` -> exactly its items and success flag;
- anything else (numbers, dicts, lists, pydantic models) -> its JSON text.

Invalid arguments or an exception inside the function give a failed result
(``success: false``) whose text is the error message; the client keeps working.
"""

from __future__ import annotations

import base64
import inspect
import json
import math
import mimetypes
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, get_type_hints, overload

import anyio
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from openai_codex_transport import CodexError
from openai_codex_transport.redaction import redact_exception, redact_text

from ._core.host.maybe_async import call_maybe_async
from .tracing import get_logger, mark_span_error, redact, set_span_attributes, tool_span

__all__ = ["Tool", "ToolError", "ToolImage", "ToolResult", "ToolSet", "tool"]

logger = get_logger("tools")

R = TypeVar("R")

_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ToolError(CodexError):
    """Raise inside a tool to fail the call with exactly this message (no type name)."""


@dataclass(frozen=True)
class ToolImage:
    """An image returned by a tool: ``url`` is an ``https://`` or ``data:`` URL."""

    url: str

    @classmethod
    def from_bytes(cls, data: bytes, mime_type: str = "image/png") -> ToolImage:
        """An image from raw bytes of the given MIME type."""
        return cls(f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}")

    @classmethod
    def from_path(cls, path: str | Path, mime_type: str | None = None) -> ToolImage:
        """An image read from a file (the MIME type from its suffix unless given)."""
        p = Path(path)
        mime = mime_type or mimetypes.guess_type(p.name)[0] or "application/octet-stream"
        return cls.from_bytes(p.read_bytes(), mime)


@dataclass(frozen=True)
class ToolResult:
    """A tool output given explicitly: content parts (``str``/:class:`ToolImage`) and success."""

    content: Sequence[str | ToolImage] = ()
    success: bool = True

    def to_wire(self) -> dict[str, Any]:
        """The result as the runtime's ``DynamicToolCallResponse`` content."""
        return {"contentItems": [_part(p) for p in self.content], "success": self.success}


def _part(part: str | ToolImage) -> dict[str, str]:
    if isinstance(part, ToolImage):
        return {"type": "inputImage", "imageUrl": part.url}
    return {"type": "inputText", "text": part}


def _text_result(text: str, success: bool) -> dict[str, Any]:
    return {"contentItems": [{"type": "inputText", "text": text}], "success": success}


def to_tool_output(value: Any) -> dict[str, Any]:
    """The ``DynamicToolCallResponse`` wire dict for a tool's return value (see the module)."""
    if isinstance(value, ToolResult):
        return value.to_wire()
    if value is None:
        return _text_result("", True)
    if isinstance(value, str):
        return _text_result(value, True)
    if isinstance(value, ToolImage):
        return {"contentItems": [_part(value)], "success": True}
    if isinstance(value, (list, tuple)) and any(isinstance(v, ToolImage) for v in value):
        parts = [v if isinstance(v, (str, ToolImage)) else _json_text(v) for v in value]
        return {"contentItems": [_part(p) for p in parts], "success": True}
    return _text_result(_json_text(value), True)


def _json_text(value: Any) -> str:
    _check_finite(value.model_dump() if isinstance(value, BaseModel) else value, "the result")
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    try:
        return json.dumps(TypeAdapter(Any).dump_python(value, mode="json"), ensure_ascii=False)
    except Exception:
        return str(value)


def _check_finite(value: Any, path: str, depth: int = 0) -> None:
    """ValueError for a NaN or infinity in a result (JSON would carry it as ``null``)."""
    if depth > 64:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(
            f"{path} is {value!r}, which JSON cannot carry (it would reach the model as "
            "null): return it as text, or a finite number"
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_finite(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_finite(item, f"{path}[{index}]", depth + 1)


def _clean_schema(schema: Any) -> Any:
    """Drop pydantic's auto ``title`` noise from a generated JSON schema (recursively)."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "title" and isinstance(value, str):
                continue
            if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
                out[key] = {k: _clean_schema(v) for k, v in value.items()}
            else:
                out[key] = _clean_schema(value)
        return out
    if isinstance(schema, list):
        return [_clean_schema(v) for v in schema]
    return schema


def _description_from_doc(fn: Callable[..., Any]) -> str:
    doc = inspect.getdoc(fn) or ""
    return doc.strip()


@dataclass
class Tool(Generic[R]):
    """A Python function the model can call. Build it with :func:`tool`; still callable."""

    func: Callable[..., R | Awaitable[R]]
    name: str
    description: str
    input_schema: dict[str, Any]
    namespace: str | None = None
    args_model: type[BaseModel] | None = field(default=None, repr=False)
    timeout: float | None = None
    """Seconds one call may take (``None``: the handlers' ``timeout``, 300 s by default)."""

    def __call__(self, *args: Any, **kwargs: Any) -> R | Awaitable[R]:
        return self.func(*args, **kwargs)

    def spec(self) -> dict[str, Any]:
        """The ``DynamicToolSpec`` wire dict (``type: "function"``)."""
        return {
            "type": "function",
            "name": self.name,
            "description": self.description,
            "inputSchema": self.input_schema,
        }

    def validate_arguments(self, arguments: Any) -> dict[str, Any]:
        """Validated keyword arguments (raises ``ValidationError``/``TypeError``)."""
        if isinstance(arguments, str):
            arguments = json.loads(arguments) if arguments.strip() else {}
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, Mapping):
            raise TypeError(f"tool arguments must be a JSON object, got {type(arguments).__name__}")
        if self.args_model is None:
            return dict(arguments)
        validated = self.args_model.model_validate(dict(arguments))
        return {name: getattr(validated, name) for name in type(validated).model_fields}

    async def invoke(self, arguments: Any) -> dict[str, Any]:
        """Validate, call, convert: the ``DynamicToolCallResponse`` wire dict. Never raises
        for a bad call or a failing function (those give ``success: false``)."""
        try:
            kwargs = self.validate_arguments(arguments)
        except (ValidationError, TypeError, ValueError) as exc:
            # the model's mistake (it is told and may try again): INFO, not the user's bug;
            # the log names the arguments, never their values (a value may be a secret)
            logger.info(
                "tool %s: invalid arguments (given: %s): %s",
                self.name,
                ", ".join(map(str, arguments)) if isinstance(arguments, Mapping) else "-",
                _invalid_without_values(exc),
            )
            return _text_result(
                redact_text(f"Invalid arguments for tool {self.name!r}: {exc}"), False
            )
        try:
            value = await call_maybe_async(_call_kwargs(self.func, kwargs))
        except ToolError as exc:
            logger.info("tool %s failed: %s", self.name, exc)
            return _text_result(redact_text(str(exc)), False)
        except Exception as exc:
            # a bug in the user's own function: WARNING, one redacted line; the traceback
            # at DEBUG
            logger.warning(
                "tool %s raised %s: %s",
                self.name,
                type(exc).__name__,
                redact_text(str(exc)),
            )
            logger.debug("tool %s traceback:\n%s", self.name, _redacted_traceback(exc))
            # the model sees the error text: secrets in it (a key in a URL, a header) are masked
            text = f"Tool {self.name!r} failed: {type(exc).__name__}: {exc}"
            return _text_result(redact_text(text), False)
        try:
            return to_tool_output(value)
        except Exception as exc:  # a value JSON cannot carry (NaN, infinity)
            logger.info("tool %s returned an unusable value: %s", self.name, exc)
            return _text_result(f"Tool {self.name!r} returned an unusable value: {exc}", False)


def _invalid_without_values(exc: Exception) -> str:
    """What was wrong with a tool call's arguments, without the values given."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, error['loc'])) or 'arguments'}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False)
        )
    return type(exc).__name__


def _redacted_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` with secrets masked (tracebacks repeat the message)."""
    return redact_exception(exc)


def _call_kwargs(fn: Callable[..., Any], kwargs: dict[str, Any]) -> Callable[[], Any]:
    if inspect.iscoroutinefunction(fn):

        async def run_async() -> Any:
            return await fn(**kwargs)

        return run_async

    def run_sync() -> Any:
        return fn(**kwargs)

    return run_sync


def _build_args_model(fn: Callable[..., Any], name: str) -> tuple[type[BaseModel], dict[str, Any]]:
    sig = inspect.signature(fn)
    try:
        hints = get_type_hints(fn, include_extras=True)
    except Exception as exc:
        raise TypeError(f"cannot resolve the type hints of tool {name!r}: {exc}") from exc
    field_defs: dict[str, Any] = {}
    for pname, param in sig.parameters.items():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(f"tool {name!r}: *args/**kwargs parameters are not supported")
        if param.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise TypeError(f"tool {name!r}: positional-only parameters are not supported")
        annotation = hints.get(pname, Any)
        default = ... if param.default is inspect.Parameter.empty else param.default
        field_defs[pname] = (annotation, default)
    model = create_model(
        f"{name}_arguments",
        __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=False),
        **field_defs,
    )
    schema = _clean_schema(model.model_json_schema())
    schema.setdefault("properties", {})
    schema["type"] = "object"
    return cast(type[BaseModel], model), schema


@overload
def tool(func: Callable[..., Awaitable[R]], /) -> Tool[R]: ...
@overload
def tool(func: Callable[..., R], /) -> Tool[R]: ...
@overload
def tool(
    *,
    name: str | None = None,
    description: str | None = None,
    namespace: str | None = None,
    timeout: float | None = None,
) -> Callable[[Callable[..., Any]], Tool[Any]]: ...


def tool(
    func: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    namespace: str | None = None,
    timeout: float | None = None,
) -> Tool[Any] | Callable[[Callable[..., Any]], Tool[Any]]:
    """Turn a typed function into a :class:`Tool` (``@tool`` or ``@tool(name=..., ...)``).

    The name defaults to the function's name (letters, digits, ``_``, ``-``; at most 64),
    the description to its docstring. Every parameter needs to be JSON-representable
    through pydantic; parameters without a default are required. ``timeout`` bounds one
    call (a call past it fails with a message; default: the handlers' ``timeout``).
    """

    def build(fn: Callable[..., Any]) -> Tool[Any]:
        if not callable(fn):
            raise TypeError(
                f"a tool is a Python function the model may call, not {type(fn).__name__} "
                f"{fn!r}: define it (def {fn if isinstance(fn, str) else 'my_tool'}(...): ...) "
                "and pass the function itself (tools=[my_function] or @tool)"
            )
        tool_name = name or getattr(fn, "__name__", None)
        if not tool_name:
            raise ValueError(
                f"{fn!r} has no __name__ to name the tool after: give it one "
                "(tool(name='lookup')(fn))"
            )
        if not _NAME_RE.match(tool_name):
            raise ValueError(
                f"tool name {tool_name!r} (from {'name=' if name else 'the function name'}) "
                "must be 1-64 letters, digits, '_' or '-'; give another: "
                "tool(name='lookup')(fn)"
            )
        if namespace is not None and not _NAME_RE.match(namespace):
            raise ValueError(
                f"tool namespace {namespace!r} must be 1-64 letters, digits, '_' or '-'"
            )
        model, schema = _build_args_model(fn, tool_name)
        return Tool(
            func=fn,
            name=tool_name,
            description=description if description is not None else _description_from_doc(fn),
            input_schema=schema,
            namespace=namespace,
            args_model=model,
            timeout=timeout,
        )

    if func is not None:
        return build(func)
    return build


class ToolSet:
    """The tools of one thread: specs for ``dynamicTools`` and dispatch of ``item/tool/call``."""

    def __init__(self, tools: Iterable[Tool[Any] | Callable[..., Any]] = ()) -> None:
        self._tools: dict[tuple[str | None, str], Tool[Any]] = {}
        for t in tools:
            item = t if isinstance(t, Tool) else tool(t)
            key = (item.namespace, item.name)
            if key in self._tools:
                raise ValueError(f"two tools named {item.name!r} in namespace {item.namespace!r}")
            self._tools[key] = item

    def __iter__(self) -> Any:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def specs(self) -> list[dict[str, Any]]:
        """The ``dynamicTools`` list: plain functions first, then one namespace entry per
        namespace holding its functions."""
        plain = [t.spec() for (ns, _), t in self._tools.items() if ns is None]
        namespaces: dict[str, list[dict[str, Any]]] = {}
        for (ns, _), t in self._tools.items():
            if ns is not None:
                namespaces.setdefault(ns, []).append(t.spec())
        grouped = [
            {
                "type": "namespace",
                "name": ns,
                "description": f"Tools in the {ns} namespace.",
                "tools": members,
            }
            for ns, members in namespaces.items()
        ]
        return plain + grouped

    def find(self, name: Any, namespace: Any = None) -> Tool[Any] | None:
        """The tool called ``name`` (in ``namespace``), or ``None``."""
        if not isinstance(name, str):
            return None
        ns = namespace if isinstance(namespace, str) and namespace else None
        return self._tools.get((ns, name))

    async def call(
        self, item: Tool[Any], params: Mapping[str, Any], *, limit: float | None = None
    ) -> dict[str, Any]:
        """Run ``item`` for one ``item/tool/call`` (params as on the wire), inside a span.

        ``limit``: seconds before the call is given up as failed (``item.timeout`` wins).
        """
        with tool_span(
            tool=item.name,
            call_id=params.get("callId"),
            thread_id=params.get("threadId"),
            turn_id=params.get("turnId"),
        ) as span:
            logger.debug("tool call %s(%s)", item.name, redact(params.get("arguments")))
            seconds = item.timeout if item.timeout is not None else limit
            result = None
            with anyio.move_on_after(seconds):
                result = await item.invoke(params.get("arguments"))
            if result is None:
                logger.warning("tool %s gave no result within %s s", item.name, seconds)
                result = _text_result(
                    f"Tool {item.name!r} did not finish within {seconds} s.", False
                )
            set_span_attributes(span, tool_success=bool(result.get("success")))
            if not result.get("success"):
                texts = [c.get("text", "") for c in result.get("contentItems", [])]
                mark_span_error(span, "; ".join(t for t in texts if t)[:500])
            return result
