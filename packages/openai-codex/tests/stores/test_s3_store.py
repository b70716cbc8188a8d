"""``FsspecStore`` on ``s3://`` against a local S3-compatible server (moto's, in a thread).

Needs ``moto[server]`` and ``s3fs`` (``nox -s stores-s3`` installs them); skipped, saying
why, without them. The server is local: nothing leaves
the machine and no AWS credentials are used (the server takes any).
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import Any

import pytest

from openai_codex.testing import store_conformance as conformance

pytest.importorskip("s3fs", reason="s3fs is not installed (pip install s3fs)")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

from openai_codex.stores import FsspecStore  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(300)]

Check = Callable[[conformance.StoreUnderTest], Awaitable[None]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _options(endpoint: str) -> dict[str, Any]:
    return {
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
        "skip_instance_cache": True,
    }


@pytest.fixture
def bucket_url(endpoint: str) -> str:
    import boto3  # moto's dependency

    name = f"codex-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    return f"s3://{name}/threads"


def _flip_first_chunk(url: str, options: dict[str, Any], thread_id: str) -> None:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url, **options)
    chunk = sorted(p for p in fs.ls(f"{root}/{thread_id}", detail=False) if "chunk-" in p)[0]
    data = bytearray(fs.cat_file(chunk))
    data[10] ^= 0x01
    fs.pipe_file(chunk, bytes(data))


@pytest.mark.parametrize("check", conformance.CHECKS, ids=conformance.check_id)
async def test_s3_url(check: Check, bucket_url: str, endpoint: str, anyio_backend: str) -> None:
    if check is conformance.check_torn_write and anyio_backend == "trio":
        pytest.skip("the torn-write check spawns processes; once (under asyncio) is enough")
    options = _options(endpoint)
    sut = conformance.StoreUnderTest(
        partial(FsspecStore, bucket_url, **options),
        corrupt=partial(_flip_first_chunk, bucket_url, options),
    )
    try:
        await check(sut)
    except conformance.CheckSkipped as exc:
        pytest.skip(str(exc))


def test_the_repr_shows_no_secret(bucket_url: str, endpoint: str) -> None:
    store = FsspecStore(bucket_url, **_options(endpoint))
    assert repr(store) == f"FsspecStore({bucket_url!r})"
    assert "testing" not in repr(store)
