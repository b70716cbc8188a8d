"""Models whose kind in the published SDK differs from the generated types.

The published ``openai_codex.types.ReasoningSummary`` is a pydantic root model (``model_validate
("concise")`` works) over an enum it calls ``ReasoningSummaryValue``; the generated
``openai_codex_types.ReasoningSummary`` is that enum itself. ``openai_codex.types`` and
``openai_codex.generated.v2_all`` export the model below under the published name; anywhere a
summary is taken (``summary=`` of a turn) either form works, both go on the wire as the string.
"""

from __future__ import annotations

from openai_codex_types import CodexRootModel
from openai_codex_types import ReasoningSummary as ReasoningSummaryValue


class ReasoningSummary(CodexRootModel):
    """A reasoning summary setting (``"auto"``, ``"concise"``, ``"detailed"``, ``"none"``) as a
    model, as the published SDK has it; ``.root`` is the :class:`ReasoningSummaryValue`."""

    root: ReasoningSummaryValue


# What ``summary=`` takes (the enum, its string values, this model): ``ReasoningSummaryArg``
# in ``option_methods.py``, generated from ``options.ENUM_ARGS``.

__all__ = ["ReasoningSummary", "ReasoningSummaryValue"]
