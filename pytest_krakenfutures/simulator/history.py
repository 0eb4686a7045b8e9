"""The history API's elements, built from the exchange's journal: orders, triggers, executions, positions.

Order snapshots are read by ``OrderView``; times become epoch milliseconds and decimals plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import journal as kinds
from .executions import Fill, trade_usd_value
from .identity import decimal, decimal_string, derived_uuid, epoch_ms, field
from .journal import Entry
from .market import Contract
from .order_view import OrderView

ORDER_KINDS = (
    kinds.ORDER_PLACED,
    kinds.ORDER_UPDATED,
    kinds.ORDER_CANCELLED,
    kinds.ORDER_REJECTED,
    kinds.ORDER_EDIT_REJECTED,
)
TRIGGER_KINDS = (kinds.TRIGGER_PLACED, kinds.TRIGGER_CANCELLED, kinds.TRIGGER_UPDATED, kinds.TRIGGER_ACTIVATED)
PUBLIC_ORDER_KINDS = (kinds.ORDER_PLACED, kinds.ORDER_UPDATED, kinds.ORDER_CANCELLED)
#: Order events that open an order, and those that close it (the ``opened`` / ``closed`` filters).
OPENING = frozenset({kinds.ORDER_PLACED, kinds.TRIGGER_PLACED})
CLOSING = frozenset({kinds.ORDER_CANCELLED, kinds.ORDER_REJECTED, kinds.TRIGGER_CANCELLED, kinds.TRIGGER_ACTIVATED})


def reason_of(data: Mapping[str, Any], default: str) -> str:
    """Return an event's reason in the history API's lower snake case."""
    reason = field(data, "reason", "update_reason", default=default)
    return str(reason).strip().lower().replace(" ", "_")


def element(entry: Entry, event: dict[str, Any]) -> dict[str, Any]:
    """Wrap an event in a history element: uid, timestamp and the event keyed by its kind."""
    return {
        "uid": derived_uuid("history event", entry.seq, entry.kind),
        "timestamp": epoch_ms(entry.time),
        "event": event,
    }


def order_element(entry: Entry, account_uid: str) -> dict[str, Any]:
    """Return the element of an order entry (OrderPlaced, OrderUpdated, ...)."""
    data, when = entry.data, epoch_ms(entry.time)

    def order(*names: str) -> dict[str, Any]:
        return OrderView.of(field(data, *names, default={}), when).historical(account_uid)

    reason = reason_of(data, "")
    reduced = decimal_string(field(data, "reduced_quantity", "reducedQuantity"), "")
    if entry.kind == kinds.ORDER_PLACED:
        body: dict[str, Any] = {"order": order("order"), "reason": reason or "new_user_order", "reducedQuantity": ""}
    elif entry.kind == kinds.ORDER_UPDATED:
        body = {
            "oldOrder": order("old_order", "oldOrder"),
            "newOrder": order("new_order", "newOrder"),
            "reason": reason,
            "reducedQuantity": reduced,
        }
    elif entry.kind == kinds.ORDER_CANCELLED:
        body = {"order": order("order"), "reason": reason or "cancelled_by_user"}
    elif entry.kind == kinds.ORDER_REJECTED:
        error = field(data, "order_error", "orderError", default=reason.upper())
        body = {"order": order("order"), "reason": reason, "orderError": str(error)}
    else:
        error = field(data, "order_error", "orderError", default=reason.upper())
        body = {
            "oldOrder": order("old_order", "oldOrder"),
            "attemptedOrder": order("attempted_order", "attemptedOrder"),
            "orderError": str(error),
        }
    return element(entry, {entry.kind: body})


def public_order_element(entry: Entry) -> dict[str, Any]:
    """Return the sanitized element of an order entry, as the market's public history shows it."""
    data, when = entry.data, epoch_ms(entry.time)

    def order(*names: str) -> dict[str, Any]:
        return OrderView.of(field(data, *names, default={}), when).sanitized()

    reason = reason_of(data, "")
    if entry.kind == kinds.ORDER_UPDATED:
        body: dict[str, Any] = {
            "oldOrder": order("old_order", "oldOrder"),
            "newOrder": order("new_order", "newOrder"),
            "reason": reason,
            "reducedQuantity": decimal_string(field(data, "reduced_quantity", "reducedQuantity"), ""),
        }
    elif entry.kind == kinds.ORDER_PLACED:
        body = {"order": order("order"), "reason": reason or "new_user_order", "reducedQuantity": ""}
    else:
        body = {"order": order("order"), "reason": reason or "cancelled_by_user"}
    return element(entry, {entry.kind: body})


def trigger_element(entry: Entry, account_uid: str) -> dict[str, Any]:
    """Return the element of a trigger entry (OrderTriggerPlaced, ...)."""
    data, when = entry.data, epoch_ms(entry.time)

    def trigger(*names: str) -> dict[str, Any]:
        return OrderView.of(field(data, *names, default={}), when).trigger(account_uid)

    if entry.kind == kinds.TRIGGER_UPDATED:
        body: dict[str, Any] = {
            "oldOrderTrigger": trigger("old_order", "oldOrder"),
            "newOrderTrigger": trigger("new_order", "newOrder"),
            "reason": reason_of(data, "edited_by_user"),
        }
    elif entry.kind == kinds.TRIGGER_ACTIVATED:
        body = {"order": trigger("order")}
    else:
        default = "new_user_order" if entry.kind == kinds.TRIGGER_PLACED else "cancelled_by_user"
        body = {"order": trigger("order"), "reason": reason_of(data, default)}
    return element(entry, {entry.kind: body})


def usd_text(value: Decimal) -> str:
    """Return a USD value as the history API writes it: two decimal places."""
    return format(value.quantize(Decimal("0.01")), "f")


def execution_element(fill: Fill, contract: Contract | None, account_uid: str, public: bool) -> dict[str, Any]:
    """Return the element of an execution, private (with order data) or sanitized."""
    counterparty = derived_uuid("counterparty account", fill.uid)
    maker, taker = (fill.own, fill.other) if fill.maker else (fill.other, fill.own)
    maker_account, taker_account = (account_uid, counterparty) if fill.maker else (counterparty, account_uid)
    value = trade_usd_value(contract, fill.quantity, fill.price)
    mark = fill.mark_price if fill.mark_price is not None else (contract.mark_price if contract else fill.price)
    execution: dict[str, Any] = {
        "uid": fill.uid,
        "makerOrder": maker.sanitized() if public else maker.historical(maker_account),
        "takerOrder": taker.sanitized() if public else taker.historical(taker_account),
        "timestamp": epoch_ms(fill.entry.time),
        "quantity": decimal_string(fill.quantity),
        "price": decimal_string(fill.price),
        "markPrice": decimal_string(mark),
        "limitFilled": maker.quantity is not None and maker.filled is not None and maker.filled >= maker.quantity,
        "usdValue": usd_text(value),
    }
    if not public:
        own_data = {
            "fee": decimal_string(fill.fee),
            "positionSize": decimal_string(fill.position_size),
            "feeCalculationInfo": [
                {
                    "percentageFee": decimal_string(fill.fee / value * 100 if value else 0),
                    "userFeeDiscountApplied": None,
                    "marketShareRebateCredited": None,
                }
            ],
        }
        execution["makerOrderData"] = own_data if fill.maker else None
        execution["takerOrderData"] = None if fill.maker else own_data
    event = {"Execution": {"execution": execution, "takerReducedQuantity": ""}}
    return {"uid": derived_uuid("execution element", fill.uid), "timestamp": epoch_ms(fill.entry.time), "event": event}


def position_change(old: Decimal, new: Decimal) -> str:
    """Return how a position changed: open, close, increase, decrease, reverse or noChange."""
    if old == new:
        return "noChange"
    if old == 0:
        return "open"
    if new == 0:
        return "close"
    if (old > 0) != (new > 0):
        return "reverse"
    return "increase" if abs(new) > abs(old) else "decrease"


def update_reason(data: Mapping[str, Any]) -> str:
    """Return a position update's reason: trade, fundingRealisation or settlement."""
    reason = str(field(data, "update_reason", "updateReason", default="trade")).lower()
    if "fund" in reason:
        return "fundingRealisation"
    if "settle" in reason:
        return "settlement"
    return "trade"


def position_element(entry: Entry, account_uid: str, fills: Mapping[str, Fill]) -> dict[str, Any]:
    """Return the HistoricalPositionUpdateElement of a position entry."""
    data = entry.data
    old = decimal(field(data, "old_position", "oldPosition")) or Decimal(0)
    new = decimal(field(data, "new_position", "newPosition")) or Decimal(0)
    reason = update_reason(data)
    execution_id = field(data, "execution_id", "executionUid")
    fill = fills.get(str(execution_id)) if execution_id is not None else None
    old_price = decimal(field(data, "old_average_price", "oldAverageEntryPrice"))
    new_price = decimal(field(data, "new_average_price", "newAverageEntryPrice"))
    when = epoch_ms(entry.time)
    body: dict[str, Any] = {
        "accountUid": account_uid,
        "tradeable": str(field(data, "symbol", "tradeable", default="")).upper(),
        "oldPosition": decimal_string(old),
        "oldAverageEntryPrice": None if old == 0 or old_price is None else decimal_string(old_price),
        "newPosition": decimal_string(new),
        "newAverageEntryPrice": decimal_string(new_price if new != 0 else 0),
        "fillTime": when if reason == "trade" else None,
        "fee": decimal_string(field(data, "fee")),
        "feeCurrency": str(field(data, "fee_currency", "feeCurrency", default="USD")),
        "realizedPnL": decimal_string(field(data, "realized_pnl", "realizedPnL")),
        "positionChange": position_change(old, new),
        "tradeType": str(field(data, "trade_type", "tradeType", default="userExecution")),
        "timestamp": when,
        "updateReason": reason,
    }
    if execution_id is not None:
        body["executionUid"] = str(execution_id)
    if fill is not None:
        body["executionPrice"] = decimal_string(fill.price)
        body["executionSize"] = decimal_string(fill.quantity)
    funding = field(data, "funding_realization", "realizedFunding")
    if funding is not None:
        body["realizedFunding"] = decimal_string(funding)
    if reason == "fundingRealisation":
        body["fundingRealizationTime"] = when
    return body


def position_wanted(body: Mapping[str, Any], changes: set[str], reasons: set[str]) -> bool:
    """Whether a position element passes the change filters (any) and the reason filters (any)."""
    if changes and body["positionChange"] not in changes:
        return False
    return not reasons or body["updateReason"] in reasons
