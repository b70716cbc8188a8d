"""An offline model for Codex: run real turns with no network and no API key.

``OfflineModel`` is a loopback HTTP server speaking the Responses API's server-sent
events, scripted from Python with ``Reply`` objects and recording every request::

    from openai_codex import Codex
    from openai_codex.testing import OfflineModel, Reply

    with OfflineModel() as model:
        model.enqueue(Reply.text("Hello from the offline model", deltas=3))
        with Codex(model.codex_config()) as codex:
            result = codex.thread_start().run("Say hello")
        assert result.final_response == "Hello from the offline model"
        assert model.requests[0].last_user_text == "Say hello"

This module uses the standard library only and does not import the rest of the SDK
until ``OfflineModel.codex_config()`` is called. See docs/testing.md.

The pytest plugin (``openai_codex.testing.pytest_plugin``, registered automatically) gives
fixtures on top: ``offline_model``, ``codex``, ``async_codex``.
"""

from __future__ import annotations

from ..errors import OfflineModelTimeoutError
from ._assertions import assert_model_received, assert_tool_output
from ._config import config_toml, write_codex_home
from ._model import OfflineModel
from ._replies import (
    FunctionCallOutput,
    MessageOutput,
    Output,
    ReasoningOutput,
    Reply,
    Usage,
)
from ._requests import RecordedRequest, Responder, echo_reply

__all__ = [
    "FunctionCallOutput",
    "MessageOutput",
    "OfflineModel",
    "OfflineModelTimeoutError",
    "Output",
    "ReasoningOutput",
    "RecordedRequest",
    "Reply",
    "Responder",
    "Usage",
    "assert_model_received",
    "assert_tool_output",
    "config_toml",
    "echo_reply",
    "write_codex_home",
]
