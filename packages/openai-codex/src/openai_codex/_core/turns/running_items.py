"""The items a runtime is working on now, so an approval handler sees what it approves.

A router listener: ``item/started`` of a ``fileChange`` item keeps its raw dict (with the
changes: paths and diffs), ``item/fileChange/patchUpdated`` refreshes its changes and
``item/completed`` drops it. The runtime sends an item's ``item/started`` before the
approval request that names it, and the connection reads both in order, so the item is
known by the time the handler runs. Bounded: an item that never completes is forgotten
after :data:`LIMIT` newer ones.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = ["LIMIT", "RunningItems"]

#: How many running items are remembered at most.
LIMIT = 256

#: Item types an approval refers to (file changes only, for now).
_KEPT = frozenset({"fileChange"})


class RunningItems:
    """Running items of one client by item id (raw wire dicts)."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def observe(self, method: str, params: dict[str, Any]) -> None:
        """Router listener (called for every notification: cheap for the others)."""
        if method == "item/started":
            item = params.get("item")
            if isinstance(item, dict) and item.get("type") in _KEPT:
                item_id = item.get("id")
                if isinstance(item_id, str):
                    self._items[item_id] = item
                    while len(self._items) > LIMIT:
                        self._items.popitem(last=False)
        elif method == "item/fileChange/patchUpdated":
            known = self._items.get(params.get("itemId"))  # type: ignore[arg-type]
            changes = params.get("changes")
            if known is not None and isinstance(changes, list):
                self._items[known["id"]] = {**known, "changes": changes}
        elif method == "item/completed":
            item = params.get("item")
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self._items.pop(item["id"], None)

    def get(self, item_id: object) -> dict[str, Any] | None:
        """The running item ``item_id`` (its ``item/started`` dict), else ``None``."""
        return self._items.get(item_id) if isinstance(item_id, str) else None
