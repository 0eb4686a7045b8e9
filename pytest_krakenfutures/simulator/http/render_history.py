"""The history API's elements: orders, triggers, executions and positions from the journal, and the tape's past.

Order snapshots are read by ``OrderView``; times become epoch milliseconds and decimals plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..domain.account.identity import decimal, decimal_string, derived_uuid, epoch_ms, field, unit_interval
from ..domain.market.market import Contract
from ..domain.market.tape import Tape
from ..domain.records import journal as kinds
from ..domain.records.account_history import PositionUpdate
from ..domain.records.executions import Fill, trade_usd_value
from ..domain.records.journal import Entry
from ..domain.records.order_view import OrderView


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
        """Return the order snapshot kept under one of ``names``, as the account's history shows it."""
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
        """Return the order snapshot kept under one of ``names``, sanitized."""
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
        """Return the trigger snapshot kept under one of ``names``."""
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


def position_element(update: PositionUpdate, account_uid: str) -> dict[str, Any]:
    """Return the HistoricalPositionUpdateElement of a position update."""
    data, old, new, reason, fill = update.entry.data, update.old, update.new, update.reason, update.fill
    old_price = decimal(field(data, "old_average_price", "oldAverageEntryPrice"))
    new_price = decimal(field(data, "new_average_price", "newAverageEntryPrice"))
    when = epoch_ms(update.entry.time)
    body: dict[str, Any] = {
        "accountUid": account_uid,
        "tradeable": update.symbol,
        "oldPosition": decimal_string(old),
        "oldAverageEntryPrice": None if old == 0 or old_price is None else decimal_string(old_price),
        "newPosition": decimal_string(new),
        "newAverageEntryPrice": decimal_string(new_price if new != 0 else 0),
        "fillTime": when if reason == "trade" else None,
        "fee": decimal_string(field(data, "fee")),
        "feeCurrency": str(field(data, "fee_currency", "feeCurrency", default="USD")),
        "realizedPnL": decimal_string(field(data, "realized_pnl", "realizedPnL")),
        "positionChange": update.change,
        "tradeType": str(field(data, "trade_type", "tradeType", default="userExecution")),
        "timestamp": when,
        "updateReason": reason,
    }
    if update.execution_id is not None:
        body["executionUid"] = update.execution_id
    if fill is not None:
        body["executionPrice"] = decimal_string(fill.price)
        body["executionSize"] = decimal_string(fill.quantity)
    funding = field(data, "funding_realization", "realizedFunding")
    if funding is not None:
        body["realizedFunding"] = decimal_string(funding)
    if reason == "fundingRealisation":
        body["fundingRealizationTime"] = when
    return body


def tape_execution_element(tape: Tape, age: int) -> dict[str, Any]:
    """Return the public execution element of a trade of the synthetic tape, ``age`` trades before its last."""
    trade = tape.trade(age)
    taker_side = trade.side
    maker_side = "sell" if taker_side == "buy" else "buy"
    size, price = decimal_string(trade.size), decimal_string(trade.price)
    maker_type = "post" if unit_interval(tape.contract.symbol, "maker type", trade.trade_id) < 0.6 else "lmt"
    placed = trade.time - 1 - int(unit_interval(tape.contract.symbol, "resting", trade.trade_id) * 60_000)

    def order(role: str, side: str, kind: str, since: int) -> dict[str, Any]:
        """Return the sanitized order of one side of the trade."""
        view = OrderView.of(
            {
                "orderId": derived_uuid("tape order", trade.trade_id, trade.time, role),
                "type": kind,
                "symbol": tape.contract.symbol,
                "side": side,
                "quantity": size,
                "limitPrice": price,
                "timestamp": since,
            },
            since,
        )
        return view.sanitized()

    taker = order("taker", taker_side, "ioc", trade.time)
    taker["limitPrice"] = format(trade.price.quantize(Decimal("1e-10")), "f")
    execution = {
        "uid": trade.uid,
        "makerOrder": order("maker", maker_side, maker_type, placed),
        "takerOrder": taker,
        "timestamp": trade.time,
        "quantity": size,
        "price": price,
        "markPrice": decimal_string(tape.mark_value(trade.time)),
        "limitFilled": True,
        "usdValue": usd_text(trade_usd_value(tape.contract, trade.size, trade.price)),
    }
    return {
        "uid": derived_uuid("execution element", trade.uid),
        "timestamp": trade.time,
        "event": {"Execution": {"execution": execution, "takerReducedQuantity": ""}},
    }


def price_element(tape: Tape, moment: int) -> dict[str, Any]:
    """Return a mark-price event of the market at ``moment`` (ms; Kraken leaves their uid empty)."""
    price = decimal_string(tape.mark_value(moment))
    return {"uid": "", "timestamp": moment, "event": {"MarkPriceChanged": {"price": price}}}
