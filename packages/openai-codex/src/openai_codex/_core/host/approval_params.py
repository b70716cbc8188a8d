"""Approval params that carry what the handler decides on.

``file_change_approval`` handlers receive :class:`FileChangeApproval`: the runtime's
``FileChangeRequestApprovalParams`` plus the changes of the ``fileChange`` item it refers
to (each with its path, kind and diff), which the runtime sent earlier as that item's
``item/started`` and the request itself leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from openai_codex_types import FileChangeRequestApprovalParams, FileUpdateChange

__all__ = ["FileChangeApproval", "file_change_approval"]


class FileChangeApproval(FileChangeRequestApprovalParams):
    """A file-change approval request with the changes it asks about.

    ``changes`` are the item's ``FileUpdateChange`` records (``path``, ``kind``, ``diff``);
    ``paths`` and ``diff`` are the same as plain values. Empty when the runtime did not
    announce the item first (it always does in 0.163.0).
    """

    changes: list[FileUpdateChange] = Field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        """The changed files' paths, in the item's order."""
        return [change.path for change in self.changes]

    @property
    def diff(self) -> str:
        """The unified diff of every change, one file after the other."""
        return "\n".join(change.diff.rstrip("\n") for change in self.changes if change.diff)


def file_change_approval(
    raw: Mapping[str, Any], item: Mapping[str, Any] | None
) -> FileChangeApproval:
    """The handler's params: ``raw`` (the request) and the changes of ``item``."""
    changes = item.get("changes") if item is not None else None
    data = {**raw, "changes": changes if isinstance(changes, list) else []}
    return FileChangeApproval.model_validate(data)
