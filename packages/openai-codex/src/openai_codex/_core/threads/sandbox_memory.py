"""What the client knows about each thread's sandbox, so turn-level presets keep its details.

A turn's ``sandboxPolicy`` replaces the thread's policy. ``Sandbox.workspace_write`` on a
turn must therefore carry the thread's writable roots, network access and tmp
exclusions, or they are reset. They come from, in order: the thread's last
``workspaceWrite`` policy (thread/start|resume|fork responses, earlier turns); else the
effective ``sandbox_workspace_write`` config (``config/read``) overlaid with the
thread's own ``config`` overrides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

WORKSPACE_WRITE = "workspaceWrite"
_CONFIG_SECTION = "sandbox_workspace_write"
_CONFIG_TO_POLICY = {
    "writable_roots": "writableRoots",
    "network_access": "networkAccess",
    "exclude_tmpdir_env_var": "excludeTmpdirEnvVar",
    "exclude_slash_tmp": "excludeSlashTmp",
}


def section_overrides(config: Any) -> dict[str, Any]:
    """The ``sandbox_workspace_write`` keys in a thread's ``config`` (nested or dotted)."""
    if not isinstance(config, dict):
        return {}
    out: dict[str, Any] = {}
    nested = config.get(_CONFIG_SECTION)
    if isinstance(nested, dict):
        out.update(nested)
    prefix = _CONFIG_SECTION + "."
    for key, value in config.items():
        if isinstance(key, str) and key.startswith(prefix):
            out[key[len(prefix) :]] = value
    return out


def policy_from_section(section: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = {"type": WORKSPACE_WRITE}
    for key, wire in _CONFIG_TO_POLICY.items():
        if section.get(key) is not None:
            policy[wire] = section[key]
    return policy


class SandboxMemory:
    """Per-thread sandbox knowledge (owned by one ``AsyncCodex``)."""

    def __init__(self) -> None:
        self._policies: dict[str, dict[str, dict[str, Any]]] = {}
        self._overrides: dict[str, dict[str, Any]] = {}
        self._cwd: dict[str, str] = {}

    def clear(self) -> None:
        self._policies.clear()
        self._overrides.clear()
        self._cwd.clear()

    def remember(self, thread_id: str, policy: Any) -> None:
        """Record a policy the thread had (a response's ``sandbox`` or a turn's policy)."""
        if isinstance(policy, dict) and isinstance(policy.get("type"), str):
            self._policies.setdefault(thread_id, {})[policy["type"]] = dict(policy)

    def remember_thread(self, thread_id: str, params: dict[str, Any], result: Any) -> None:
        """Record what a thread/start|resume|fork request and its response tell."""
        if not isinstance(result, dict):
            return
        self.remember(thread_id, result.get("sandbox"))
        cwd = result.get("cwd")
        if isinstance(cwd, str):
            self._cwd[thread_id] = cwd
        overrides = section_overrides(params.get("config"))
        if overrides:
            self._overrides[thread_id] = overrides

    def known(self, thread_id: str) -> dict[str, dict[str, Any]]:
        return self._policies.get(thread_id, {})

    async def ensure_workspace_policy(
        self,
        thread_id: str,
        cwd: str | None,
        read_config: Callable[[dict[str, Any]], Awaitable[Any]],
    ) -> None:
        """Make sure a ``workspaceWrite`` policy is known for the thread (may read config)."""
        if WORKSPACE_WRITE in self.known(thread_id):
            return
        section: dict[str, Any] = {}
        params: dict[str, Any] = {}
        where = cwd or self._cwd.get(thread_id)
        if where:
            params["cwd"] = where
        try:
            result = await read_config(params)
        except Exception:
            result = None
        config = result.get("config") if isinstance(result, dict) else None
        if isinstance(config, dict) and isinstance(config.get(_CONFIG_SECTION), dict):
            section.update(config[_CONFIG_SECTION])
        section.update(self._overrides.get(thread_id, {}))
        if section:
            self.remember(thread_id, policy_from_section(section))
