"""Context managers from one close: ``with``/``async with`` for everything the SDK opens.

In the spirit of anyio's ``AsyncResource``: a class says how it opens (``_open``, nothing
by default) and how it closes (``close``), and may say what leaving a ``with`` block does
when that is more than closing (``_on_exit``, e.g. a turn handle interrupts a running
turn); ``__enter__``/``__exit__`` and their async twins are written once, here.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Self


class AsyncResource:
    """``async with obj:`` opens ``obj`` (``_open``) and, on exit, runs ``_on_exit``
    (``close()`` unless the class says otherwise)."""

    __slots__ = ()

    async def _open(self) -> None:
        """What entering does before the block runs (nothing by default)."""

    async def _on_exit(self, exc: BaseException | None) -> None:
        """What leaving the block does (``close()`` by default); ``exc``: the exception
        leaving it, if any."""
        await self.close()

    async def close(self) -> None:
        """Close the resource (idempotent)."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self._open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._on_exit(exc)


class Resource:
    """``with obj:`` opens ``obj`` (``_open``) and, on exit, runs ``_on_exit``
    (``close()`` unless the class says otherwise)."""

    __slots__ = ()

    def _open(self) -> None:
        """What entering does before the block runs (nothing by default)."""

    def _on_exit(self, exc: BaseException | None) -> None:
        """What leaving the block does (``close()`` by default); ``exc``: the exception
        leaving it, if any."""
        self.close()

    def close(self) -> None:
        """Close the resource (idempotent)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._on_exit(exc)


__all__ = ["AsyncResource", "Resource"]
