"""Handlers of the private account and order operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import INVALID, ApiError
from .batch import read_batch, run_batch
from .calls import bind
from .params import edit_request, order_request
from .render_orders import open_order_json, order_status_json
from .render_statement import accounts_json, position_json
from .render_statuses import (
    cancel_all_status_json,
    cancel_status_json,
    edit_status_json,
    send_status_json,
    switch_status_json,
)

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from .calls import Call, Handler, Route


def accounts(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/accounts``: every margin and cash account with its balances."""
    return {"accounts": accounts_json(exchange.accounts())}


def open_orders(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/openorders``: the orders and triggers working now."""
    return {"openOrders": [open_order_json(order) for order in exchange.open_orders()]}


def open_positions(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/openpositions``."""
    return {"openPositions": [position_json(position) for position in exchange.open_positions()]}


def send_order(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/sendorder``: the order read, then placed by the engine."""
    return {"sendStatus": send_status_json(exchange.send_order(order_request(call.params), call.now))}


def cancel_order(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/cancelorder``, by order id or client order id."""
    status = exchange.cancel_order(call.params.get("order_id"), call.params.get("cliOrdId"), call.now)
    return {"cancelStatus": cancel_status_json(status)}


def edit_order(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/editorder``: the edit read, then applied by the engine."""
    return {"editStatus": edit_status_json(exchange.edit_order(edit_request(call.params), call.now))}


def batch_order(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/batchorder``: every instruction read and checked, then run in order."""
    instructions = read_batch(call.params)
    return {"batchStatus": run_batch(exchange, instructions, call.now, call.params.time("processBefore"))}


def cancel_all(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/cancelallorders``, of one contract or all."""
    return {"cancelStatus": cancel_all_status_json(exchange.cancel_all(call.params.get("symbol"), call.now))}


def cancel_all_after(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/cancelallordersafter``: set or clear the dead man's switch (a whole number of seconds)."""
    text = (call.params.get("timeout") or "0").strip()
    if not text.isdigit() or int(text) >= 2**32:
        raise ApiError(INVALID)
    return {"status": switch_status_json(exchange.cancel_all_after(int(text), call.now))}


def order_status(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/orders/status``, by order ids and client order ids."""
    order_ids = _listed(call.params.getlist("orderIds"))
    cli_ord_ids = _listed(call.params.getlist("cliOrdIds"))
    statuses = exchange.order_statuses(order_ids, cli_ord_ids, call.now)
    return {"orders": [order_status_json(status) for status in statuses]}


#: The account and trading handlers by operation id.
ROUTES: dict[str, Route] = {
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


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the account and trading handlers by operation id."""
    return bind(ROUTES, exchange)


def _listed(values: list[str]) -> list[str]:
    """Return array parameter values sent as repeated keys, comma lists or ``a[]``-free JSON arrays."""
    items: list[str] = []
    for value in values:
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items += [part.strip().strip('"') for part in text.split(",") if part.strip().strip('"')]
    return items
