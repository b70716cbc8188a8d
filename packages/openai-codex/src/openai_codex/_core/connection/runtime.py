"""Starting the runtime: spawn ``codex app-server`` (or attach to one), connect, ``initialize``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio

from openai_codex_transport import (
    DEFAULT_MAX_REQUESTS_IN_FLIGHT,
    DEFAULT_REQUEST_TIMEOUT,
    JsonRpcConnection,
    StdioTransport,
    Transport,
    TransportClosedError,
    app_server_argv,
    resolve_codex_binary,
)

from ..config import CodexConfig

if TYPE_CHECKING:
    from openai_codex_transport import EarlyChild

INITIALIZE_TIMEOUT_S = 60.0


def launch(config: CodexConfig | None) -> tuple[list[str], dict[str, Any]]:
    """The runtime's argv and the keywords that start it (``env``, ``cwd`` and the
    directory to prepend to its PATH, for the bundled binary only): what
    ``StdioTransport.spawn`` and ``EarlyChild.start`` take. ``None`` means the default
    configuration.
    """
    if config is None:
        path, extra_path_dir = resolve_codex_binary(None)
        return app_server_argv(path, ()), {"extra_path_dir": extra_path_dir}
    if config.launch_args_override is not None:
        argv, extra_path_dir = list(config.launch_args_override), None
    else:
        path, extra_path_dir = resolve_codex_binary(config.codex_bin)
        argv = app_server_argv(path, tuple(config.config_overrides))
    return argv, {"env": config._child_env(), "cwd": config.cwd, "extra_path_dir": extra_path_dir}


async def connect(
    config: CodexConfig | None,
    *,
    on_notification: Callable[[str, dict[str, Any]], None],
    on_request: Callable[[str, Any], Awaitable[Any]],
    on_close: Callable[[TransportClosedError], None],
    early: EarlyStart | None = None,
) -> tuple[JsonRpcConnection, Any]:
    """A started, initialized connection and the ``initialize`` result.

    ``config=None`` is the default ``CodexConfig()``, built only after the spawn (its
    ``client_version`` is read from the installed distribution's metadata while the
    runtime boots).
    ``early``: the runtime :func:`early_start` started already (adopted, not spawned).
    On any failure whatever was started is closed before the error propagates.
    """
    if early is not None:
        try:
            return await _open(config, on_notification, on_request, on_close, early.child)
        finally:
            early.release()  # the runtime has answered initialize (or is gone)
    if config is not None and config.url is not None:
        return await _open(config, on_notification, on_request, on_close)
    from .start_lock import codex_home_of, first_start_lock

    home = codex_home_of(config.env if config is not None else None)
    async with first_start_lock(home, INITIALIZE_TIMEOUT_S):
        return await _open(config, on_notification, on_request, on_close)


class EarlyStart:
    """A runtime started before the loop (``early_start``) and the first-start lock held
    for it (a fresh home), until ``connect`` adopts it and releases the lock."""

    __slots__ = ("child", "lock_fd")

    def __init__(self, child: EarlyChild, lock_fd: int) -> None:
        self.child = child
        self.lock_fd = lock_fd

    def release(self) -> None:
        """Release the first-start lock (idempotent)."""
        from .start_lock import release

        fd, self.lock_fd = self.lock_fd, -1
        release(fd)

    def discard(self) -> None:
        """Stop the child if it was never adopted, and release the lock (idempotent)."""
        self.child.discard()
        self.release()


def early_start(config: CodexConfig | None) -> EarlyStart | None:
    """Start the runtime now, before the sync client's event loop exists (it boots while
    the loop comes up; ``connect(early=...)`` adopts it), where that is supported: a
    spawned runtime (not ``url``), POSIX with pidfds, and a first-start lock that is free
    (taken and held here for a fresh home). None: not started; the loop spawns it as
    usual. Start errors are raised as the spawn would raise them."""
    if config is not None and config.url is not None:
        return None
    from openai_codex_transport import EarlyChild, early_start_supported

    if not early_start_supported():
        return None
    from .start_lock import BUSY, claim_now, codex_home_of, release

    lock_fd = claim_now(codex_home_of(config.env if config is not None else None))
    if lock_fd == BUSY:
        return None
    try:
        argv, options = launch(config)
        child = EarlyChild.start(argv, **options)
    except BaseException:
        release(lock_fd)
        raise
    return EarlyStart(child, lock_fd)


async def _open(
    config: CodexConfig | None,
    on_notification: Callable[[str, dict[str, Any]], None],
    on_request: Callable[[str, Any], Awaitable[Any]],
    on_close: Callable[[TransportClosedError], None],
    early: EarlyChild | None = None,
) -> tuple[JsonRpcConnection, Any]:
    transport: Transport
    if config is not None and config.url is not None:
        from .attach import attach

        transport = await attach(config)
    else:
        if early is not None:
            transport = await StdioTransport.adopt(early)
        else:
            argv, options = launch(config)
            transport = await StdioTransport.spawn(argv, **options)
        preload()
    conn = JsonRpcConnection(
        transport,
        on_notification=on_notification,
        on_request=on_request,
        on_close=on_close,
        request_timeout=config.request_timeout if config is not None else DEFAULT_REQUEST_TIMEOUT,
        max_requests_in_flight=(
            config.max_requests_in_flight if config is not None else DEFAULT_MAX_REQUESTS_IN_FLIGHT
        ),
    )
    try:
        if config is None:
            config = CodexConfig()
        await conn.start()
        result = await conn.request(
            "initialize", config._initialize_params(), timeout=INITIALIZE_TIMEOUT_S
        )
        await conn.notify("initialized")
    except BaseException:
        with anyio.CancelScope(shield=True), anyio.move_on_after(10):
            await conn.aclose()
            await transport.aclose()
        raise
    return conn, result


#: What the first thread and turn load (``import openai_codex`` leaves them out): threads,
#: turn handles and results, notifications and their event classes, the host control.
_PRELOADED = (
    "openai_codex._core.threads.thread",
    "openai_codex._core.host.control",
    "openai_codex.events",
)


def preload() -> None:
    """Import what the first thread and turn need, once the runtime has been spawned:
    the runtime takes ~50-100 ms to boot and answer ``initialize``, and these imports
    (a few ms) run meanwhile instead of after it. Nothing heavy is loaded here (no
    pydantic, no item models: a turn's result is typed on first read)."""
    import sys
    from importlib import import_module

    for name in _PRELOADED:
        if name not in sys.modules:
            import_module(name)
    import openai_codex_types

    openai_codex_types.TurnStatus  # noqa: B018  (loads the one enum every turn's result uses)
