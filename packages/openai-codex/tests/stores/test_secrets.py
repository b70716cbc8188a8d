"""The credential scan ``thread.save`` runs on what it is about to store."""

from __future__ import annotations

import pytest

from openai_codex.stores import RolloutSecretError
from openai_codex.stores._secrets import check_no_secrets

FOUND = {
    b'"text":"my key sk-proj-' + b"A1b2C3d4" * 5 + b'"': "api key",
    b"token ghp_" + b"a" * 36: "github token",
    b"github_pat_" + b"a1" * 20: "github token",
    b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop": "jwt",
    b"Authorization: Bearer abcdefghijklmnopqrstuvwxyz123": "bearer token",
}
CLEAN = [
    b"mask-proj-" + b"A" * 30,  # sk- inside a word
    b"the sk- prefix of an API key",
    b"light_" + b"a" * 40,
    b'"input_tokens":1234,"token_count":{"total":9}',
    b"Bearer of bad news",
]


@pytest.mark.parametrize(("text", "kind"), FOUND.items(), ids=list(FOUND.values()))
def test_a_credential_is_refused_naming_the_line_not_the_value(text: bytes, kind: str) -> None:
    data = b'{"a":1}\n{"b":2}\n' + text + b"\n"
    with pytest.raises(RolloutSecretError, match=f"line 3 .* a {kind};") as caught:
        check_no_secrets("t1", data)
    assert text.decode()[-12:] not in str(caught.value)
    assert caught.value.thread_id == "t1"


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_text_passes(text: bytes) -> None:
    check_no_secrets("t1", b'{"a":1}\n' + text + b"\n")


def test_only_the_new_part_is_scanned() -> None:
    key = b"sk-" + b"Z" * 30
    data = b"old " + key + b"\nnew line\n"
    check_no_secrets("t1", data, start=data.index(b"new"))
    with pytest.raises(RolloutSecretError):
        check_no_secrets("t1", data)
