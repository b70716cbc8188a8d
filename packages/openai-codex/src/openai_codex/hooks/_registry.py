"""``Hooks``: a set of Python functions registered for hook events."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from ._decisions import HookDecision
from ._events import EVENTS, HookEventArg, event_spec

__all__ = ["DEFAULT_TIMEOUT", "HookFunction", "HookRegistration", "Hooks"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a hook function may take by default; past them it counts as failed."""

HookResult = HookDecision | None
HookFunction = Callable[[Any], HookResult | Awaitable[HookResult]]
"""A hook function: takes the event's input, returns a decision or ``None`` (sync or async)."""

F = TypeVar("F", bound=HookFunction)


@dataclass(frozen=True, eq=False)
class HookRegistration:
    """One registered hook function."""

    event: str
    """The event's Python name (``"pre_tool_use"``)."""
    function: HookFunction
    matcher: str | None
    """A regular expression the runtime matches against the tool name (``"Bash"``,
    ``"apply_patch"``, ``"mcp__server__tool"``) for tool events, the start source for
    ``session_start``, ...; ``None`` matches everything."""
    timeout: float
    """Seconds the function may take; past them the hook fails (closed, for blocking events)."""

    @property
    def name(self) -> str:
        """The function's qualified name (for logs)."""
        fn = self.function
        return str(getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or fn)


def _check_timeout(timeout: float | None, cap: int | None) -> float:
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}")
    if cap is not None:
        # the runtime kills the hook after `cap` seconds: leave the relay time to answer
        timeout = min(float(timeout), cap - 0.5)
    return float(timeout)


class Hooks:
    """Python functions for the runtime's hook events.

    Register with a decorator per event (``@hooks.pre_tool_use(matcher="Bash")``) or
    ``hooks.on("pre_tool_use", fn)``; give the set to a client (``Codex(hooks=hooks)``:
    every thread it opens) or a thread (``codex.thread_start(hooks=hooks)``). Functions
    may be sync (run in a worker thread) or async; each gets the event's typed input
    (``PreToolUseInput``, ...) and returns a decision (``Deny``, ``Allow``,
    ``AddContext``, ``Continue``, ``StopTurn``) or ``None``.
    """

    def __init__(self) -> None:
        self._registrations: list[HookRegistration] = []

    def __repr__(self) -> str:
        names = ", ".join(f"{r.event}:{r.name}" for r in self._registrations)
        return f"Hooks([{names}])"

    def __len__(self) -> int:
        return len(self._registrations)

    def __iter__(self) -> Iterator[HookRegistration]:
        return iter(tuple(self._registrations))

    def on(
        self,
        event: HookEventArg | str,
        function: HookFunction,
        *,
        matcher: str | None = None,
        timeout: float | None = None,
    ) -> HookRegistration:
        """Register ``function`` for ``event``; returns its registration."""
        spec = event_spec(event)
        if not callable(function):
            raise TypeError(f"a hook must be a function; got {function!r}")
        if matcher is not None:
            if not isinstance(matcher, str):
                raise TypeError(f"matcher must be a string (a regular expression); got {matcher!r}")
            if not spec.takes_matcher:
                raise ValueError(f"{spec.name} hooks take no matcher (the runtime ignores it)")
            try:
                re.compile(matcher)
            except re.error as exc:
                raise ValueError(
                    f"matcher {matcher!r} is not a regular expression: {exc}"
                ) from None
            if matcher in ("", "*"):
                matcher = None
        registration = HookRegistration(
            spec.name, function, matcher, _check_timeout(timeout, spec.max_timeout)
        )
        self._registrations.append(registration)
        return registration

    def _decorator(self, event: str, first: Any, timeout: float | None) -> Any:
        """``@hooks.EVENT`` (``first`` is the function) or ``@hooks.EVENT(matcher)``."""
        if callable(first):
            self.on(event, first, timeout=timeout)
            return first

        def register(function: F) -> F:
            self.on(event, function, matcher=first, timeout=timeout)
            return function

        return register

    # one decorator per event ----------------------------------------------------------
    @overload
    def pre_tool_use(self, matcher: F, /) -> F: ...
    @overload
    def pre_tool_use(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def pre_tool_use(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """Before a tool call runs (``PreToolUseInput``): ``Deny``, ``Allow(updated_input=)``,
        ``AddContext`` or ``None``. ``matcher``: a regular expression on the tool name."""
        return self._decorator("pre_tool_use", matcher, timeout)

    @overload
    def permission_request(self, matcher: F, /) -> F: ...
    @overload
    def permission_request(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def permission_request(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """Before the runtime asks for an approval (``PermissionRequestInput``): ``Allow``,
        ``Deny`` or ``None``."""
        return self._decorator("permission_request", matcher, timeout)

    @overload
    def post_tool_use(self, matcher: F, /) -> F: ...
    @overload
    def post_tool_use(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def post_tool_use(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """After a tool call (``PostToolUseInput``, with ``tool_response``): ``Deny``
        (feedback to the model), ``AddContext``, ``StopTurn`` or ``None``."""
        return self._decorator("post_tool_use", matcher, timeout)

    @overload
    def pre_compact(self, matcher: F, /) -> F: ...
    @overload
    def pre_compact(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def pre_compact(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """Before the history is compacted (``CompactInput``; observe only). ``matcher``:
        on the trigger (``"manual"``, ``"auto"``)."""
        return self._decorator("pre_compact", matcher, timeout)

    @overload
    def post_compact(self, matcher: F, /) -> F: ...
    @overload
    def post_compact(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def post_compact(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """After the history was compacted (``CompactInput``; observe only)."""
        return self._decorator("post_compact", matcher, timeout)

    @overload
    def session_start(self, matcher: F, /) -> F: ...
    @overload
    def session_start(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def session_start(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """When a thread starts working, on its first turn after start or resume
        (``SessionStartInput``): ``AddContext`` or ``None``. ``matcher``: on the source
        (``"startup"``, ``"resume"``)."""
        return self._decorator("session_start", matcher, timeout)

    @overload
    def session_end(self, matcher: F, /) -> F: ...
    @overload
    def session_end(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def session_end(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """When a session ends, e.g. its client closes (``SessionEndInput``; observe only;
        the runtime allows 3 s)."""
        return self._decorator("session_end", matcher, timeout)

    @overload
    def user_prompt_submit(self, fn: F, /) -> F: ...
    @overload
    def user_prompt_submit(self, *, timeout: float | None = None) -> Callable[[F], F]: ...
    def user_prompt_submit(self, fn: Any = None, *, timeout: float | None = None) -> Any:
        """Before a prompt reaches the model (``UserPromptSubmitInput``): ``Deny``,
        ``AddContext`` or ``None``."""
        return self._decorator("user_prompt_submit", fn, timeout)

    @overload
    def subagent_start(self, matcher: F, /) -> F: ...
    @overload
    def subagent_start(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def subagent_start(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """When a sub-agent starts (``HookInput``; observe only)."""
        return self._decorator("subagent_start", matcher, timeout)

    @overload
    def subagent_stop(self, matcher: F, /) -> F: ...
    @overload
    def subagent_stop(
        self, matcher: str | None = None, *, timeout: float | None = None
    ) -> Callable[[F], F]: ...
    def subagent_stop(self, matcher: Any = None, *, timeout: float | None = None) -> Any:
        """When a sub-agent is about to stop (``StopInput``): ``Continue`` or ``None``."""
        return self._decorator("subagent_stop", matcher, timeout)

    @overload
    def stop(self, fn: F, /) -> F: ...
    @overload
    def stop(self, *, timeout: float | None = None) -> Callable[[F], F]: ...
    def stop(self, fn: Any = None, *, timeout: float | None = None) -> Any:
        """When the model is about to end its turn (``StopInput``): ``Continue(prompt)``
        (it keeps working) or ``None``."""
        return self._decorator("stop", fn, timeout)

    @overload
    def interrupt(self, fn: F, /) -> F: ...
    @overload
    def interrupt(self, *, timeout: float | None = None) -> Callable[[F], F]: ...
    def interrupt(self, fn: Any = None, *, timeout: float | None = None) -> Any:
        """When a turn is interrupted (``HookInput``; observe only; the runtime allows 3 s)."""
        return self._decorator("interrupt", fn, timeout)


assert {m for m in EVENTS} <= set(dir(Hooks)), "a decorator per event"
