"""The option sets of the thread and turn methods, declared once.

Each :class:`Option` names a keyword, its annotation and default (as source text, so the
generated signatures read exactly like hand-written ones) and its wire name. Each
:class:`OptionMethod` lists the options one public method takes. From this table:

- ``scripts/generate_sync.py`` writes the async methods' explicit signatures
  (``_core/threads/option_methods.py``), and from those the sync face (``_sync/generated.py``);
- the same script writes ``option_methods.WIRE_NAMES`` (keyword -> wire name), which
  :func:`~openai_codex._core.wire.wire_options` uses to map the values to wire params.

Only the generator imports this module, so it costs nothing at import time.

Adding a turn option is one entry in ``TURN_OPTIONS``, then ``python
scripts/generate_sync.py``. A thread option is one entry in ``THREAD_OPTIONS`` (and its
name in the ``_all_but`` list of each opener that does not take it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..wire import camel


@dataclass(frozen=True)
class Option:
    """One keyword option of a public method."""

    name: str
    annotation: str
    """The annotation, as source text."""
    default: str = "None"
    """The default, as source text."""
    wire: str | None = ""
    """The wire name: ``""`` for the camelCase of ``name``; ``None`` when the method's
    implementation encodes it (presets, tools, handlers, timeouts)."""
    doc: str = ""
    """What the keyword means, rendered into every generated docstring that takes it."""

    def __post_init__(self) -> None:
        if not self.doc.strip():
            raise ValueError(f"option {self.name!r} needs a doc= (what the keyword means)")

    @property
    def wire_name(self) -> str:
        return self.wire or camel(self.name)


@dataclass(frozen=True)
class Param:
    """A positional parameter of an option method."""

    name: str
    annotation: str


@dataclass(frozen=True)
class OptionMethod:
    """A public async method whose signature is generated from its options."""

    owner: str
    """The generated mixin class that holds it (``ThreadOpeningMethods``, ``TurnMethods``)."""
    name: str
    params: tuple[Param, ...]
    options: tuple[Option, ...]
    returns: str
    impl: str
    """The hand-written method it calls: ``impl(*params, {name: value, ...})``."""
    doc: str
    impl_args: tuple[str, ...] = ()
    """Source of extra leading arguments for ``impl`` (e.g. the wire method)."""
    typed_option: str | None = None
    """An option that types the result: an overload takes ``type[ParsedT]`` for it and
    returns ``returns[ParsedT]`` (``run(output_schema=Model) -> TurnResult[Model]``)."""
    sent_on: tuple[str, ...] = ()
    """The params models (``openai_codex_types``) the options' wire names are sent in:
    the generator checks each option's wire name and type against them."""


#: What each positional parameter means (listed before the keywords).
PARAM_DOCS: dict[str, str] = {
    "thread_id": "the id of the thread",
    "input": "what to send: a ``str``, an input item (``TextInput``, ``LocalImageInput``, "
    "...) or a list of them",
    "objective": "what the goal is; the runtime works on it until it is met",
}


def documented(method: OptionMethod) -> str:
    """``method.doc`` followed by a line per parameter and keyword (``PARAM_DOCS``, each
    option's ``doc``)."""
    lines = [f"- ``{p.name}``: {PARAM_DOCS[p.name]}" for p in method.params]
    lines += [f"- ``{o.name}``: {o.doc}" for o in method.options]
    return method.doc + "\n\nArguments:\n\n" + "\n".join(lines)


def _pick(table: Sequence[Option], *names: str) -> tuple[Option, ...]:
    """The options of ``table`` named ``names``, in that order (an explicit list)."""
    by_name = {o.name: o for o in table}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ValueError(f"no option named {unknown} in the table")
    return tuple(by_name[n] for n in names)


def _all_but(table: Sequence[Option], *left_out: str, **overrides: Option) -> tuple[Option, ...]:
    """The options of ``table`` in its order, without ``left_out``, some replaced."""
    unknown = set(left_out) - {o.name for o in table}
    assert not unknown, unknown
    return tuple(overrides.get(o.name, o) for o in table if o.name not in left_out)


#: Options typed as a protocol enum take its string values too: alias -> (the accepted
#: classes, the ``openai_codex_types`` enum whose values the generator lists as
#: ``Literal``s). ``scripts/generate_sync.py`` writes each alias into ``option_methods.py``.
ENUM_ARGS: dict[str, tuple[str, str]] = {
    "PersonalityArg": ("Personality", "Personality"),
    "ReasoningEffortArg": ("ReasoningEffort", "ReasoningEffort"),
    "ReasoningSummaryArg": ("ReasoningSummaryValue | ReasoningSummary", "ReasoningSummary"),
    "ThreadSourceArg": ("ThreadSource", "ThreadSource"),
    "ThreadStartSourceArg": ("ThreadStartSource", "ThreadStartSource"),
}

# ---------------------------------------------------------------------------------- threads

_APPROVAL_MODE = Option(
    "approval_mode",
    "ApprovalModeArg | None",
    wire=None,
    doc="how escalated permissions are decided (``ApprovalMode`` or its value)",
)

_CWD = Option(
    "cwd",
    "str | None",
    doc="the working directory (an existing directory on the runtime's host)",
)

_MODEL = Option(
    "model",
    "str | None",
    doc="the model slug (``codex.models()`` lists them)",
)

_PERSONALITY = Option(
    "personality",
    "PersonalityArg | None",
    doc='the model\'s personality (``Personality`` or its value: ``"pragmatic"``)',
)

_SANDBOX = Option(
    "sandbox",
    "SandboxArg | None",
    wire=None,
    doc='filesystem access (``Sandbox`` or a value such as ``"workspace-write"``)',
)

_SERVICE_TIER = Option(
    "service_tier",
    "str | None",
    doc="the service tier to request from the model service",
)


THREAD_OPTIONS: tuple[Option, ...] = (
    _APPROVAL_MODE,
    Option(
        "base_instructions",
        "str | None",
        doc="instructions that replace the model's base instructions",
    ),
    Option(
        "config",
        "dict[str, Any] | None",
        doc="runtime config overrides for the thread (``config.toml`` keys and values)",
    ),
    _CWD,
    Option(
        "developer_instructions",
        "str | None",
        doc="developer instructions added to the conversation",
    ),
    Option(
        "ephemeral",
        "bool | None",
        doc="``True``: the thread is not stored (it cannot be resumed later)",
    ),
    Option(
        "include_turns",
        "bool | None",
        wire=None,
        doc="``False``: leave the thread's history out of the response",
    ),  # sent inverted as excludeTurns
    _MODEL,
    Option(
        "model_provider",
        "str | None",
        doc="the id of a model provider from the runtime's configuration",
    ),
    _PERSONALITY,
    _SANDBOX,
    Option(
        "service_name", "str | None", doc="a name for the calling service, recorded with the thread"
    ),
    _SERVICE_TIER,
    Option(
        "session_start_source",
        "ThreadStartSourceArg | None",
        doc="what started the session (``ThreadStartSource`` or its value)",
    ),
    Option(
        "thread_source",
        "ThreadSourceArg | None",
        doc="where the thread comes from (``ThreadSource`` or its value), recorded with it",
    ),
    Option(
        "handlers",
        "ServerRequestHandlers | None",
        wire=None,
        doc="this thread's server-request handlers (consulted before the client's)",
    ),
    Option(
        "tools",
        "ToolsArg",
        wire=None,
        doc="``@tool`` functions (or a ``ToolSet``) the model may call",
    ),
    Option(
        "hooks",
        "Hooks | None",
        wire=None,
        doc="Python hook functions for this thread (``openai_codex.hooks.Hooks``), run besides the client's",
    ),
)

_THREAD_ID = (Param("thread_id", "str"),)
_START_APPROVAL = replace(
    THREAD_OPTIONS[0], annotation="ApprovalModeArg", default="ApprovalMode.auto_review"
)

THREAD_START = OptionMethod(
    owner="ThreadOpeningMethods",
    name="thread_start",
    sent_on=("ThreadStartParams",),
    params=(),
    options=_all_but(THREAD_OPTIONS, "include_turns", approval_mode=_START_APPROVAL),
    returns="AsyncThread",
    impl="_open_thread",
    impl_args=('"thread/start"', "None"),
    doc="""Start a new thread.

``tools``: ``@tool`` functions the model may call (sent as ``dynamicTools``);
``handlers``: this thread's server-request handlers (over the client's).""",
)

THREAD_RESUME = OptionMethod(
    owner="ThreadOpeningMethods",
    name="thread_resume",
    sent_on=("ThreadResumeParams",),
    params=_THREAD_ID,
    options=_all_but(
        THREAD_OPTIONS, "ephemeral", "service_name", "session_start_source", "thread_source"
    ),
    returns="AsyncThread",
    impl="_open_thread",
    impl_args=('"thread/resume"',),
    doc="""Resume a stored thread. ``include_turns=False`` leaves history out of the response.

The runtime keeps the thread's tool specs from ``thread_start``; ``tools`` gives
this client the functions that answer them. ``handlers`` as for ``thread_start``.""",
)

THREAD_FORK = OptionMethod(
    owner="ThreadOpeningMethods",
    name="thread_fork",
    sent_on=("ThreadForkParams",),
    params=_THREAD_ID,
    options=_all_but(THREAD_OPTIONS, "personality", "service_name", "session_start_source"),
    returns="AsyncThread",
    impl="_open_thread",
    impl_args=('"thread/fork"',),
    doc="""Fork a thread into a new thread with a copy of its history.

``tools``/``handlers`` as for ``thread_resume`` (the fork keeps the tool specs).""",
)

# ------------------------------------------------------------------------------------ turns

TURN_OPTIONS: tuple[Option, ...] = (
    _APPROVAL_MODE,
    _CWD,
    Option(
        "effort",
        "ReasoningEffortArg | None",
        doc='reasoning effort (``ReasoningEffort`` or its value: ``"high"``)',
    ),
    _MODEL,
    Option(
        "output_schema",
        "Any",
        wire=None,
        doc="a pydantic model class, a type or a JSON schema the final answer must match; parsed into ``result.parsed`` (this turn only)",
    ),  # made strict by structured output
    _PERSONALITY,
    _SANDBOX,
    _SERVICE_TIER,
    Option(
        "source",
        "str | None",
        wire="turnTrigger",
        doc="a label for what triggered the turn (sent as ``turnTrigger``)",
    ),
    Option(
        "summary",
        "ReasoningSummaryArg | None",
        doc="the reasoning summary setting (``auto``, ``concise``, ``detailed``, ``none``)",
    ),
    Option(
        "turn_service_tier",
        "str | None",
        wire="serviceTierForTurn",
        doc="a service tier for this turn only",
    ),
    Option(
        "join",
        "bool",
        "False",
        wire=None,
        doc="``True``: if a turn is running on the thread, add the input to it (the handle is that turn's); ``False`` (default): raise ``TurnInProgressError``",
    ),
)

_INPUT = (Param("input", "RunInput"),)

TURN = OptionMethod(
    owner="TurnMethods",
    name="turn",
    sent_on=("TurnStartParams",),
    params=_INPUT,
    options=TURN_OPTIONS,
    returns="AsyncTurnHandle",
    impl="_start_turn",
    typed_option="output_schema",
    doc="""Start a turn and return its handle.

Options persist as thread defaults, except ``output_schema`` (this turn only)
and ``turn_service_tier``. While a turn runs on the thread, ``TurnInProgressError``
is raised (wait for it, ``steer()`` it or ``interrupt()`` it), unless ``join=True``:
then the input is appended to the running turn and the handle has the same turn
id and its own complete stream (the turn's events so far, without past text
deltas, then everything live up to ``turn/completed``), so its ``run()`` has all
the turn's items. Other handles of the turn are unaffected. A manual compaction
turn cannot be joined: the runtime rejects the request.""",
)

RUN = OptionMethod(
    owner="TurnMethods",
    name="run",
    sent_on=("TurnStartParams",),
    params=_INPUT,
    options=(
        *TURN_OPTIONS,
        Option(
            "timeout",
            "float | None",
            wire=None,
            doc="seconds to wait; past them the turn is interrupted and ``TurnTimeoutError`` raised (``None``: no limit)",
        ),
        Option(
            "progress",
            "bool",
            "False",
            wire=None,
            doc="show the turn in the terminal while it runs",
        ),
    ),
    returns="TurnResult",
    impl="_run_turn",
    typed_option="output_schema",
    doc="""Run a turn to completion and return its ``TurnResult``.

Raises ``TurnFailedError`` if the turn fails and ``TurnTimeoutError`` (after
interrupting the turn) if ``timeout`` seconds pass first. ``progress=True`` shows
the turn in the terminal as it runs (``openai_codex.console``: a live display on a
terminal with the ``[console]`` extra, plain lines otherwise).""",
)

# ------------------------------------------------------------------------------------ goals

#: The turn options a goal takes. The runtime starts a goal's turns itself, so they are
#: sent as thread settings (``thread/settings/update``); ``output_schema``, ``source``
#: and ``turn_service_tier`` only exist for one ``turn/start``.
GOAL_OPTIONS: tuple[Option, ...] = _pick(
    TURN_OPTIONS,
    "approval_mode",
    "cwd",
    "effort",
    "model",
    "personality",
    "sandbox",
    "service_tier",
    "summary",
)
_TOKEN_BUDGET = Option(
    "token_budget", "int | None", wire=None, doc="the goal's token budget (``None``: no budget)"
)
_OBJECTIVE = (Param("objective", "str"),)

START_GOAL = OptionMethod(
    owner="GoalMethods",
    name="start_goal",
    sent_on=("ThreadSettingsUpdateParams",),
    params=_OBJECTIVE,
    options=(_TOKEN_BUDGET, *GOAL_OPTIONS),
    returns="AsyncTurnHandle",
    impl="_start_goal",
    doc="""Set ``objective`` as the thread's goal (replacing any previous goal) and return
the handle of its logical turn once the runtime started working on it.

The runtime works over as many turns as it needs; the handle follows them as one
turn: ``stream()`` yields one ``turn/started``, every runtime turn's events (and the
``thread/goal/*`` notifications), then one ``turn/completed``. ``steer()`` reaches the
runtime turn running now; ``interrupt()`` pauses the goal, then interrupts that turn.
Options become the thread's settings (for later turns too). Raises
``GoalsUnavailableError`` (goals disabled, ephemeral thread) and
``GoalInProgressError`` (a goal or a turn already runs on the thread). See
docs/goals.md.""",
)

RUN_GOAL = OptionMethod(
    owner="GoalMethods",
    name="run_goal",
    sent_on=("ThreadSettingsUpdateParams",),
    params=_OBJECTIVE,
    options=(
        _TOKEN_BUDGET,
        *GOAL_OPTIONS,
        Option(
            "timeout",
            "float | None",
            wire=None,
            doc="seconds to wait; past them the turn is interrupted and ``TurnTimeoutError`` raised (``None``: no limit)",
        ),
    ),
    returns="TurnResult",
    impl="_run_goal",
    doc="""Pursue ``objective`` as the thread's goal until it stops; the ``TurnResult`` of
its logical turn (see ``start_goal``).

The result covers every runtime turn (items, summed usage, timings); ``result.goal``
says how the goal ended: ``complete``, or ``blocked``/``usageLimited``/
``budgetLimited``/``paused``, which are results, not errors. A failed runtime turn
raises ``TurnFailedError``; with ``timeout`` the goal is paused and its turn
interrupted at the deadline (``TurnTimeoutError`` with the partial result).""",
)

RESUME_GOAL = OptionMethod(
    owner="GoalMethods",
    name="resume_goal",
    sent_on=("ThreadSettingsUpdateParams",),
    params=(),
    options=(_TOKEN_BUDGET, *GOAL_OPTIONS),
    returns="AsyncTurnHandle",
    impl="_start_goal",
    impl_args=("None",),
    doc="""Make the thread's stopped goal (``paused``, ``blocked``, ``usageLimited``,
``budgetLimited``) active again, as a new logical turn (see ``start_goal``).

``token_budget`` replaces the goal's budget (raise it to resume a ``budgetLimited``
goal). ``ValueError`` if the thread has no goal or its goal is complete.""",
)

OPTION_METHODS: tuple[OptionMethod, ...] = (
    THREAD_START,
    THREAD_RESUME,
    THREAD_FORK,
    RUN,
    TURN,
    RUN_GOAL,
    START_GOAL,
    RESUME_GOAL,
)
"""Every generated option method, in the order they are written."""


__all__ = [
    "ENUM_ARGS",
    "GOAL_OPTIONS",
    "OPTION_METHODS",
    "RESUME_GOAL",
    "RUN",
    "RUN_GOAL",
    "START_GOAL",
    "THREAD_FORK",
    "THREAD_OPTIONS",
    "THREAD_RESUME",
    "THREAD_START",
    "TURN",
    "TURN_OPTIONS",
    "Option",
    "OptionMethod",
    "Param",
]
