"""Python functions as tools: the model calls them, the SDK runs them, the result goes back.

    python examples/host/tools.py

``@tool`` reads the name, the docstring (description) and the type hints (input schema;
pydantic models work). ``thread_start(tools=[...])`` registers them with the runtime
(``dynamicTools``); each call arrives as ``item/tool/call`` and is answered with the
function's return value. A raised exception becomes a failed tool result, not a crash.
"""

from __future__ import annotations

import sys

from pydantic import BaseModel

from openai_codex import Codex
from openai_codex.testing import OfflineModel, Reply
from openai_codex.tools import tool


class Order(BaseModel):
    sku: str
    quantity: int = 1


@tool
def price_order(order: Order, currency: str = "EUR") -> dict[str, object]:
    """Price an order of one product."""
    unit = {"apple": 0.5, "pear": 0.75}.get(order.sku)
    if unit is None:
        raise ValueError(f"unknown product {order.sku!r}")
    return {"sku": order.sku, "total": unit * order.quantity, "currency": currency}


@tool
async def shout(text: str) -> str:
    """Upper-case a text (async tools work too)."""
    return text.upper()


def main() -> int:
    with OfflineModel() as model:
        model.enqueue(
            Reply.function_call("price_order", {"order": {"sku": "apple", "quantity": 4}}),
            Reply.function_call("price_order", {"order": {"sku": "kiwi"}}),
            Reply.function_call("shout", {"text": "done"}),
            Reply.text("Four apples cost 2.0 EUR; kiwis are not sold."),
        )
        with Codex(model.codex_config()) as codex:
            thread = codex.thread_start(tools=[price_order, shout])
            result = thread.run("What do four apples and a kiwi cost?")
        print(
            f"tools offered to the model: {[n for n in model.response_requests[0].tool_names if n in ('price_order', 'shout')]}"
        )
        for output in model.response_requests[-1].function_call_outputs:
            print(f"tool output sent to the model: {output['output']}")
        print(f"final answer: {result.final_response}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
