"""Handlers of the private account and order operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import INVALID, ApiError
from .batch import read_batch, run_batch
from .params import edit_request, order_request

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from .calls import Call, Handler


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the account and trading handlers by operation id."""

    def accounts(call: Call) -> dict[str, Any]:
        return {"accounts": exchange.accounts()}

    def open_orders(call: Call) -> dict[str, Any]:
        return {"openOrders": exchange.open_orders()}

    def open_positions(call: Call) -> dict[str, Any]:
        return {"openPositions": exchange.open_positions()}

    def send_order(call: Call) -> dict[str, Any]:
        return {"sendStatus": exchange.send_order(order_request(call.params), call.now)}

    def cancel_order(call: Call) -> dict[str, Any]:
        status = exchange.cancel_order(call.params.get("order_id"), call.params.get("cliOrdId"), call.now)
        return {"cancelStatus": status}

    def edit_order(call: Call) -> dict[str, Any]:
        return {"editStatus": exchange.edit_order(edit_request(call.params), call.now)}

    def batch_order(call: Call) -> dict[str, Any]:
        instructions = read_batch(call.params)
        return {"batchStatus": run_batch(exchange, instructions, call.now, call.params.time("processBefore"))}

    def cancel_all(call: Call) -> dict[str, Any]:
        return {"cancelStatus": exchange.cancel_all(call.params.get("symbol"), call.now)}

    def cancel_all_after(call: Call) -> dict[str, Any]:
        text = (call.params.get("timeout") or "0").strip()
        if not text.isdigit() or int(text) >= 2**32:
            raise ApiError(INVALID)
        return {"status": exchange.cancel_all_after(int(text), call.now)}

    def order_status(call: Call) -> dict[str, Any]:
        order_ids = _listed(call.params.getlist("orderIds"))
        cli_ord_ids = _listed(call.params.getlist("cliOrdIds"))
        return {"orders": exchange.order_statuses(order_ids, cli_ord_ids, call.now)}

    return {
        "getAccounts": accounts,
        "getOpenOrders": open_orders,
        "getOpenPositions": open_positions,
        "sendOrder": send_order,
        "cancelOrder": cancel_order,
        "editOrderSpring": edit_order,
        "sendBatchOrder": batch_order,
        "cancelAllOrders": cancel_all,
        "cancelAllOrdersAfter": cancel_all_after,
        "getOrderStatus": order_status,
    }


def _listed(values: list[str]) -> list[str]:
    """Return array parameter values sent as repeated keys, comma lists or ``a[]``-free JSON arrays."""
    items: list[str] = []
    for value in values:
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items += [part.strip().strip('"') for part in text.split(",") if part.strip().strip('"')]
    return items
