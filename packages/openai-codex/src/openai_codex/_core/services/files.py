"""Files on the runtime's host: ``codex.fs`` (``fs/*`` requests), pathlib-flavoured.

Paths are on the host the runtime runs on (which differs from this process's host when
attached to a remote runtime) and must be absolute. The runtime's ``fs/*`` methods act
with the runtime process's own permissions: they are not sandboxed. A failure the
runtime reports with an OS error number is raised as the matching ``OSError`` subclass
(``FileNotFoundError``, ``FileExistsError``, ``NotADirectoryError``, ...), the
``JsonRpcError`` as its ``__cause__``.
"""

from __future__ import annotations

import base64
import os
import re
import uuid
from collections.abc import AsyncIterator
from os import PathLike
from typing import TYPE_CHECKING, Any

from openai_codex_transport import JsonRpcError, TransportClosedError

from ..connection.sink import StreamClosed
from ..resources import AsyncResource

if TYPE_CHECKING:
    from openai_codex_types import (
        FsChangedNotification,
        FsGetMetadataResponse,
        FsReadDirectoryEntry,
    )

    from ..connection.session import Session
    from ..connection.sink import Sink

_OS_ERROR = re.compile(r"^(?:.*: )?(.*?) \(os error (\d+)\)$", re.DOTALL)


def host_path(path: object, name: str = "path") -> str:
    """``path`` as an absolute path string on the runtime's host (a clear error if not)."""
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike; got {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a text path, not bytes")
    if not text.startswith("/") and not re.match(r"^[A-Za-z]:[\\/]", text):
        raise ValueError(
            f"{name} must be absolute (it names a path on the runtime's host): {text!r}"
        )
    if "\x00" in text:
        raise ValueError(f"{name} contains a NUL character: {text!r}")
    return text


def _os_error(exc: JsonRpcError, path: str) -> OSError | None:
    """The ``OSError`` for a runtime message ending in ``(os error N)``, else None."""
    found = _OS_ERROR.match(exc.message or "")
    if found is None:
        return None
    # OSError(errno, ...) is the matching subclass: 2 -> FileNotFoundError, 17 -> FileExistsError
    return OSError(int(found.group(2)), found.group(1), path)


class AsyncFiles:
    """The runtime host's file system (``codex.fs``); every path is absolute."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def __repr__(self) -> str:
        return "AsyncFiles()"

    async def _call(self, method: str, params: dict[str, Any], path: str) -> Any:
        try:
            return await self._session.request(method, params)
        except JsonRpcError as exc:
            error = _os_error(exc, path)
            if error is None:
                raise
            raise error from exc

    async def read_bytes(self, path: str | PathLike[str]) -> bytes:
        """The file's contents."""
        where = host_path(path)
        result = await self._call("fs/readFile", {"path": where}, where)
        return base64.b64decode(result.get("dataBase64") or "")

    async def read_text(self, path: str | PathLike[str], encoding: str = "utf-8") -> str:
        """The file's contents decoded (``encoding``, strict)."""
        return (await self.read_bytes(path)).decode(encoding)

    async def write_bytes(self, path: str | PathLike[str], data: bytes) -> None:
        """Create or replace the file with ``data`` (its directory must exist)."""
        where = host_path(path)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes; got {type(data).__name__}")
        encoded = base64.b64encode(bytes(data)).decode("ascii")
        await self._call("fs/writeFile", {"path": where, "dataBase64": encoded}, where)

    async def write_text(
        self, path: str | PathLike[str], text: str, encoding: str = "utf-8"
    ) -> None:
        """Create or replace the file with ``text`` encoded (``encoding``)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str; got {type(text).__name__}")
        await self.write_bytes(path, text.encode(encoding))

    async def mkdir(self, path: str | PathLike[str], *, parents: bool = False) -> None:
        """Create a directory; ``parents=True`` also creates missing parents and accepts
        an existing directory (``FileExistsError`` otherwise)."""
        where = host_path(path)
        await self._call("fs/createDirectory", {"path": where, "recursive": parents}, where)

    async def stat(self, path: str | PathLike[str]) -> FsGetMetadataResponse:
        """``is_file``, ``is_directory``, ``is_symlink``, ``modified_at_ms``, ``created_at_ms``."""
        from ..parsing import parse_result

        where = host_path(path)
        result: FsGetMetadataResponse = parse_result(
            "fs/getMetadata", await self._call("fs/getMetadata", {"path": where}, where)
        )
        return result

    async def exists(self, path: str | PathLike[str]) -> bool:
        """Whether the path exists."""
        try:
            await self.stat(path)
        except FileNotFoundError:
            return False
        return True

    async def iterdir(self, path: str | PathLike[str]) -> list[FsReadDirectoryEntry]:
        """The directory's direct entries (``file_name``, ``is_file``, ``is_directory``)."""
        from ..parsing import parse_result

        where = host_path(path)
        result = parse_result(
            "fs/readDirectory", await self._call("fs/readDirectory", {"path": where}, where)
        )
        entries: list[FsReadDirectoryEntry] = list(result.entries)
        return entries

    async def remove(
        self,
        path: str | PathLike[str],
        *,
        recursive: bool = False,
        missing_ok: bool = False,
    ) -> None:
        """Remove a file, an empty directory, or (``recursive=True``) a directory tree.
        A missing path raises ``FileNotFoundError`` unless ``missing_ok``."""
        where = host_path(path)
        params = {"path": where, "recursive": recursive, "force": missing_ok}
        await self._call("fs/remove", params, where)

    async def copy(
        self,
        source: str | PathLike[str],
        destination: str | PathLike[str],
        *,
        recursive: bool = False,
    ) -> None:
        """Copy a file, or (``recursive=True``) a directory tree, to ``destination``."""
        src = host_path(source, "source")
        dst = host_path(destination, "destination")
        params = {"sourcePath": src, "destinationPath": dst, "recursive": recursive}
        await self._call("fs/copy", params, src)

    async def watch(self, path: str | PathLike[str]) -> AsyncFileWatch:
        """Watch a file or directory (it need not exist yet): the ``AsyncFileWatch``
        yields each ``fs/changed`` (``changed_paths``) until ``close()``."""
        where = host_path(path)
        await self._session.ensure_started()
        watch_id = f"py-{uuid.uuid4().hex}"
        streams = self._session.keyed_streams("fs/changed", "watchId")
        sink = streams.open(watch_id)
        try:
            result = await self._call("fs/watch", {"path": where, "watchId": watch_id}, where)
        except BaseException:
            streams.close(watch_id)
            raise
        return AsyncFileWatch(self._session, watch_id, str(result.get("path") or where), sink)


class AsyncFileWatch(AsyncResource):
    """A live ``fs/watch``: ``async for change in watch`` (``FsChangedNotification``:
    ``changed_paths``); ``close()`` (or leaving ``async with``) unwatches."""

    __slots__ = ("_closed", "_session", "_sink", "path", "watch_id")

    def __init__(self, session: Session, watch_id: str, path: str, sink: Sink) -> None:
        self._session = session
        self.watch_id = watch_id
        self.path = path  # the runtime's canonical path of the watched file or directory
        self._sink = sink
        self._closed = False

    def __repr__(self) -> str:
        return f"AsyncFileWatch(path={self.path!r})"

    async def changes(self) -> AsyncIterator[FsChangedNotification]:
        """Each change as it is reported, until the watch is closed."""
        from ..parsing import validate

        while not self._closed:
            item = await self._sink.get()
            if isinstance(item, BaseException):
                if isinstance(item, StreamClosed):
                    return
                if isinstance(item, TransportClosedError):
                    raise item._copy() from item
                raise item
            from openai_codex_types import FsChangedNotification

            yield validate(FsChangedNotification, item[1], "an fs/changed notification")

    def __aiter__(self) -> AsyncIterator[FsChangedNotification]:
        return self.changes()

    async def close(self) -> None:
        """Stop watching (``fs/unwatch``); a consumer waiting in ``changes()`` ends."""
        if self._closed:
            return
        self._closed = True
        self._session.keyed_streams("fs/changed", "watchId").close(self.watch_id)
        self._sink.push(StreamClosed())
        if self._session.live:
            await self._session.request("fs/unwatch", {"watchId": self.watch_id})
