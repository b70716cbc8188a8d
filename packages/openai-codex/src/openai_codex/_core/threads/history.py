"""Thread history: revert, turns and items as paged iterators, delete, unsubscribe,
metadata, the loaded list and search (``AsyncThread``/``AsyncCodex`` relay here).

Paging is hidden: an iterator asks for the next page (``cursor``) only when the
previous one is used up, so ``break`` stops the requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from openai_codex_transport import ProtocolError

from ..arguments import check_text

if TYPE_CHECKING:
    from openai_codex_types import ThreadItemEntry, Turn, TurnItemsView

    from ..connection.session import Session


def check_page_size(value: object) -> int | None:
    """A page size: a positive int or None (the runtime's default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"page_size must be a positive int or None; got {value!r}")
    return value


async def pages(
    session: Session, method: str, params: dict[str, Any], what: str, entry: str | None = None
) -> AsyncIterator[Any]:
    """Every entry of every page of a ``{data, nextCursor}`` list method, in order.

    A page is kept as wire data; each entry is typed as the model named ``entry`` (an
    ``openai_codex_types`` name; ``None``: a string) when it is yielded, so a loop that
    breaks early types nothing after it."""
    from ..parsing import validate

    model: Any = None
    if entry is not None:
        import openai_codex_types

        model = getattr(openai_codex_types, entry)
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        request = params if cursor is None else {**params, "cursor": cursor}
        data, cursor = _page(method, await session.request(method, request))
        for raw in data:
            if model is None:
                if not isinstance(raw, str):
                    raise ProtocolError(f"an entry of the {method} result is not a string", raw)
                yield raw
            else:
                yield validate(model, raw, f"an entry of the {method} result")
        if cursor is None or not data:
            return
        if cursor in seen:  # a runtime that hands back a cursor twice would loop forever
            raise RuntimeError(f"{method} returned the cursor {cursor!r} twice ({what})")
        seen.add(cursor)


def _page(method: str, raw: Any) -> tuple[list[Any], str | None]:
    """A page's entries (still wire data) and its next cursor; ``ProtocolError`` if it is
    not a ``{data: [...], nextCursor}`` object."""
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), list):
        raise ProtocolError(f"the {method} result is not a page ({{data: [...]}})", repr(raw))
    cursor = raw.get("nextCursor")
    if cursor is not None and not isinstance(cursor, str):
        raise ProtocolError(f"the {method} result's nextCursor is not a string", repr(cursor))
    return raw["data"], cursor


async def iter_turns(
    session: Session,
    thread_id: str,
    *,
    newest_first: bool,
    items_view: TurnItemsView | None,
    page_size: int | None,
) -> AsyncIterator[Turn]:
    """``thread/turns/list`` page by page."""
    params: dict[str, Any] = {
        "threadId": thread_id,
        "sortDirection": "desc" if newest_first else "asc",
    }
    if items_view is not None:
        params["itemsView"] = getattr(items_view, "value", items_view)
    size = check_page_size(page_size)
    if size is not None:
        params["limit"] = size
    what = f"turns of {thread_id}"
    async for turn in pages(session, "thread/turns/list", params, what, "Turn"):
        yield turn


async def iter_items(
    session: Session,
    thread_id: str,
    *,
    turn_id: str | None,
    newest_first: bool,
    page_size: int | None,
) -> AsyncIterator[ThreadItemEntry]:
    """``thread/items/list`` page by page."""
    params: dict[str, Any] = {
        "threadId": thread_id,
        "sortDirection": "desc" if newest_first else "asc",
    }
    if turn_id is not None:
        check_text(turn_id, "turn_id")
        params["turnId"] = turn_id
    size = check_page_size(page_size)
    if size is not None:
        params["limit"] = size
    what = f"items of {thread_id}"
    async for entry in pages(session, "thread/items/list", params, what, "ThreadItemEntry"):
        yield entry


def git_info_params(
    sha: str | None, branch: str | None, origin_url: str | None, clear: bool
) -> dict[str, Any]:
    """``gitInfo`` for ``thread/metadata/update``: a value replaces, ``None`` keeps the
    stored one (or, with ``clear``, clears it)."""
    info: dict[str, Any] = {}
    for key, value in (("sha", sha), ("branch", branch), ("originUrl", origin_url)):
        if value is None:
            if clear:
                info[key] = None
            continue
        check_text(value, key)
        if not value:
            raise ValueError(f"{key} must not be empty (clear_git_info=True clears it)")
        info[key] = value
    return info
