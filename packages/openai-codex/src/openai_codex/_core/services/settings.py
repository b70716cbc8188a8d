"""Skills, hooks and the runtime's configuration: list, read and write
(``SettingsMethods``, a mixin of ``AsyncCodex``). ``hook/started``/``hook/completed``
and ``skills/changed`` arrive as typed events (``codex.events(...)``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ..arguments import check_text

if TYPE_CHECKING:
    from openai_codex_types import (
        ConfigReadResponse,
        ConfigWriteResponse,
        HooksListEntry,
        SkillsListEntry,
    )

#: How a written value meets what is there: ``replace`` it, or ``upsert`` (merge tables).
Merge = Literal["replace", "upsert"]


def _cwds(cwds: object) -> list[str] | None:
    if cwds is None:
        return None
    if not isinstance(cwds, (list, tuple)) or not all(isinstance(c, str) for c in cwds):
        raise TypeError("cwds must be a list of directory paths (str)")
    return [str(c) for c in cwds]


def _merge(merge: object) -> str:
    if merge not in ("replace", "upsert"):
        raise ValueError(f"merge must be 'replace' or 'upsert'; got {merge!r}")
    return str(merge)


class SettingsMethods:
    """The client's skills, hooks and config methods (implemented on ``AsyncCodex``)."""

    __slots__ = ()

    async def _typed(self, method: str, params: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError

    async def skills(
        self, *, cwds: list[str] | None = None, force_reload: bool = False
    ) -> list[SkillsListEntry]:
        """The skills available in each of ``cwds`` (default: the runtime's cwd), one
        ``SkillsListEntry`` (``cwd``, ``skills``, ``errors``) per directory."""
        params: dict[str, Any] = {"forceReload": force_reload}
        dirs = _cwds(cwds)
        if dirs is not None:
            params["cwds"] = dirs
        result = await self._typed("skills/list", params)
        entries: list[SkillsListEntry] = list(result.data)
        return entries

    async def hooks(self, *, cwds: list[str] | None = None) -> list[HooksListEntry]:
        """The hooks configured for each of ``cwds`` (default: the runtime's cwd), one
        ``HooksListEntry`` (``cwd``, ``hooks``, ``errors``, ``warnings``) per directory."""
        params: dict[str, Any] = {}
        dirs = _cwds(cwds)
        if dirs is not None:
            params["cwds"] = dirs
        result = await self._typed("hooks/list", params)
        entries: list[HooksListEntry] = list(result.data)
        return entries

    async def config_read(
        self, *, cwd: str | None = None, include_layers: bool = False
    ) -> ConfigReadResponse:
        """The effective configuration (``ConfigReadResponse``: ``config``, ``origins``,
        and with ``include_layers`` each layer it was merged from)."""
        params: dict[str, Any] = {"includeLayers": include_layers}
        if cwd is not None:
            params["cwd"] = cwd
        result: ConfigReadResponse = await self._typed("config/read", params)
        return result

    async def config_write(
        self,
        key_path: str,
        value: Any,
        *,
        merge: Merge = "replace",
        file_path: str | None = None,
        expected_version: str | None = None,
    ) -> ConfigWriteResponse:
        """Write one value (``key_path`` dotted, e.g. ``"model"`` or
        ``"mcp_servers.docs.command"``) to the user's ``config.toml`` (or ``file_path``).
        ``expected_version`` (from ``config_read``/a previous write) refuses a write over
        a concurrent change. The answer says ``ok`` or ``okOverridden`` (another layer
        wins, see ``overridden_metadata``)."""
        check_text(key_path, "key_path")
        params: dict[str, Any] = {
            "keyPath": key_path,
            "value": value,
            "mergeStrategy": _merge(merge),
        }
        if file_path is not None:
            params["filePath"] = file_path
        if expected_version is not None:
            params["expectedVersion"] = expected_version
        result: ConfigWriteResponse = await self._typed("config/value/write", params)
        return result

    async def config_write_batch(
        self,
        values: Mapping[str, Any],
        *,
        merge: Merge = "replace",
        file_path: str | None = None,
        expected_version: str | None = None,
        reload: bool = False,
    ) -> ConfigWriteResponse:
        """Write several values at once (``{key_path: value}``, all or none);
        ``reload=True`` makes loaded threads pick the new user config up."""
        if not isinstance(values, Mapping) or not values:
            raise ValueError("values must be a non-empty mapping of key paths to values")
        strategy = _merge(merge)
        edits = []
        for key_path, value in values.items():
            check_text(key_path, "key_path")
            edits.append({"keyPath": key_path, "value": value, "mergeStrategy": strategy})
        params: dict[str, Any] = {"edits": edits}
        if file_path is not None:
            params["filePath"] = file_path
        if expected_version is not None:
            params["expectedVersion"] = expected_version
        if reload:
            params["reloadUserConfig"] = True
        result: ConfigWriteResponse = await self._typed("config/batchWrite", params)
        return result
