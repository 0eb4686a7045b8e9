"""Handlers of the private account and order operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .params import order_request

if TYPE_CHECKING:
    from .app import Call, Handler
    from .exchange import Exchange


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

    return {
        "getAccounts": accounts,
        "getOpenOrders": open_orders,
        "getOpenPositions": open_positions,
        "sendOrder": send_order,
        "cancelOrder": cancel_order,
    }
