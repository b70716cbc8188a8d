"""The codec: ``dumps`` (refuses what JSON cannot carry, naming the path), ``loads``
(json.loads, faster) and stdio's line splitting."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from openai_codex_transport import CodexError, UnencodableValueError, dumps, loads
from openai_codex_transport.stdio import _split_lines

SAME_AS_JSON_LOADS: list[bytes | str] = [
    '{"method":"item/agentMessage/delta","params":{"delta":"é😀"}}',
    '{"id": 1, "result": null}',
    '  {"a": [1, 2.5, true, false, null]}  ',
    '{"a": 1}\r',
    '"\\ud800 lone surrogate escape"',
    "[1, 2, 3]",
    "3",
    b'{"method":"x","params":{"t":"\xc3\xa9"}}',
    b'\xef\xbb\xbf{"bom": true}',  # json.loads accepts a UTF-8 BOM in bytes
    '{"bom": true}'.encode("utf-16"),  # and UTF-16 with a BOM
    b' {"spaced": 1} \n',
]

INVALID: list[bytes | str] = [
    "",
    "   ",
    "{this is not json",
    '{"a": 1} trailing',
    '{"a": 1}{"b": 2}',
    "\ufeff{}",  # a BOM in str: json.loads rejects it too
    b"",
    b'{"a": "\xff\xfe"}',  # not UTF-8
    b'{"a": 1} x',
    "\u00a0",
]


@pytest.mark.parametrize("raw", SAME_AS_JSON_LOADS, ids=repr)
def test_loads_matches_json_loads(raw: bytes | str) -> None:
    assert loads(raw) == json.loads(raw)


def _error(parse: Callable[[bytes | str], Any], raw: bytes | str) -> ValueError:
    try:
        parse(raw)
    except ValueError as exc:
        return exc
    raise AssertionError(f"{raw!r} parsed")


@pytest.mark.parametrize("raw", INVALID, ids=repr)
def test_loads_raises_the_same_error_as_json_loads(raw: bytes | str) -> None:
    expected = _error(json.loads, raw)
    got = _error(loads, raw)
    assert (type(got), str(got)) == (type(expected), str(expected))


def _read_all(stream: bytes, cuts: list[int]) -> list[bytes | str]:
    partial: list[bytes] = []
    lines: list[bytes | str] = []
    start = 0
    for end in [*cuts, len(stream)]:
        if end > start:
            lines.extend(_split_lines(stream[start:end], partial))
        start = end
    assert partial == [] or b"".join(partial) == stream[stream.rfind(b"\n") + 1 :]
    return lines


def test_split_lines_any_read_boundaries() -> None:
    """Every way of cutting the stream into reads gives the same lines, in order."""
    messages: list[Any] = [{"i": i, "t": "é€😀" * (i % 3)} for i in range(6)]
    encoded = [json.dumps(m, ensure_ascii=False).encode() for m in messages]
    bad = b'{"i":"\xff"}'
    stream = b"\n".join([encoded[0], b"", b" \t\r", encoded[1], bad, *encoded[2:]]) + b"\n"
    stream += b'{"incomplete":'
    expected: list[bytes | str] = [e.decode() for e in encoded]
    expected.insert(2, bad)
    for cut in range(len(stream) + 1):  # every single cut, mid-character ones included
        assert _read_all(stream, [cut]) == expected
    rng = random.Random(7)
    for _ in range(300):
        cuts = sorted(rng.sample(range(1, len(stream)), rng.randint(1, 20)))
        assert _read_all(stream, cuts) == expected


def test_split_lines_types() -> None:
    partial: list[bytes] = []
    assert _split_lines(b'{"a":1}\n{"b":', partial) == ['{"a":1}']
    assert partial == [b'{"b":']
    assert _split_lines(b"2", partial) == []
    assert _split_lines(b"}\n", partial) == ['{"b":2}']
    assert partial == []
    # a line of Unicode spaces is not JSON whitespace: kept, so it is reported malformed
    assert _split_lines("\u00a0\n".encode(), partial) == ["\u00a0"]


@pytest.mark.parametrize(
    ("message", "path", "reason"),
    [
        ({"params": {"config": {"x": float("nan")}}}, "params.config.x", "nan"),
        ({"params": {"n": float("inf")}}, "params.n", "inf"),
        ({"params": [1, {"n": -float("inf")}]}, "params[1].n", "-inf"),
        ({"params": {"name": "n\udfff"}}, "params.name", "U+DFFF at index 1"),
        ({"params": {"input": [{"text": "bad \ud800"}]}}, "params.input[0].text", "U+D800"),
        ({"params": {"config": {"k\ud800": 1}}}, "params.config['k\\ud800']", "key"),
        ({"params": {"odd key": {float("nan"): 1}}}, "params['odd key'][nan]", "the key is nan"),
        ({"params": ("t", "\udc80")}, "params[1]", "surrogate"),
        ({"method": "x\ud800"}, "method", "surrogate"),
    ],
)
def test_dumps_refuses_what_json_cannot_carry(message: Any, path: str, reason: str) -> None:
    with pytest.raises(UnencodableValueError) as info:
        dumps(message)
    error = info.value
    assert error.path == path
    assert reason in error.reason
    assert str(error).startswith(f"cannot send {path}: ")
    assert isinstance(error, ValueError)
    assert isinstance(error, CodexError)


def test_dumps_refuses_a_cycle_and_names_unsupported_types() -> None:
    loop: dict[str, Any] = {"a": []}
    loop["a"].append(loop)
    with pytest.raises(UnencodableValueError, match=r"params\.a\[0\]: circular"):
        dumps({"params": loop})
    with pytest.raises(TypeError, match=r"params\.when: a set is not JSON serializable"):
        dumps({"params": {"when": {1}}})
    with pytest.raises(TypeError, match="keys must be str"):
        dumps({"params": {(1, 2): 3}})


def test_dumps_output() -> None:
    """Compact UTF-8 (not \\u escapes), the same value back, valid surrogate-free text kept."""
    message = {"id": 1, "params": {"t": "é€😀", "n": [1.5, -0.0, 10**20, True, None]}}
    data = dumps(message)
    assert data == json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
    assert "é€😀".encode() in data
    assert loads(data) == message
