"""The history API's elements: orders, triggers, executions and positions from the journal, and the tape's past.

Times become epoch milliseconds and decimals plain strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.account.identity import derived_uuid, epoch_ms, from_ms, unit_interval
from ..domain.market.market import Contract
from ..domain.market.tape import Tape
from ..domain.orders import OrderSnapshot
from ..domain.records.account_history import PositionUpdate
from ..domain.records.executions import Fill, trade_usd_value
from ..domain.records.journal import Entry
from ..domain.records.journal_events import (
    OrderCancelled,
    OrderEditRejected,
    OrderPlaced,
    OrderRejected,
    OrderUpdated,
    TriggerActivated,
    TriggerCancelled,
    TriggerPlaced,
    TriggerUpdated,
)
from ..domain.triggers import TriggerSnapshot
from .numbers import decimal_string

_ORDER_TYPES = {
    "lmt": "Limit",
    "post": "Post",
    "ioc": "IoC",
    "fok": "FoK",
    "liquidation": "Liquidation",
    "assignment": "Assignment",
    "unwind": "Unwind",
}
_SIGNALS = {"mark": "MarkPrice", "last": "LastPrice", "index": "SpotPrice"}


def direction(side: str) -> str:
    """Return the history API's side of an order: ``Buy`` or ``Sell``."""
    return "Sell" if side.startswith("s") else "Buy"


def order_type(order: OrderSnapshot) -> str:
    """Return the history API's order type (``Limit``, ``IoC``, ``Post``, ``FoK``, ``Liquidation``, ...)."""
    return _ORDER_TYPES.get(order.type, "Limit")


def sanitized_json(order: OrderSnapshot) -> dict[str, Any]:
    """Return an order as the public market history shows it."""
    return {
        "uid": order.order_id,
        "tradeable": order.symbol,
        "direction": direction(order.side),
        "quantity": decimal_string(order.quantity),
        "timestamp": epoch_ms(order.received),
        "limitPrice": decimal_string(order.limit_price),
        "orderType": order_type(order),
        "reduceOnly": order.reduce_only,
        "lastUpdateTimestamp": epoch_ms(order.last_update),
    }


def historical_json(order: OrderSnapshot, account_uid: str) -> dict[str, Any]:
    """Return the HistoricalOrder shape of an order."""
    return {
        "uid": order.order_id,
        "accountUid": account_uid,
        "tradeable": order.symbol,
        "direction": direction(order.side),
        "quantity": decimal_string(order.quantity),
        "filled": decimal_string(order.filled),
        "timestamp": epoch_ms(order.received),
        "limitPrice": decimal_string(order.limit_price),
        "orderType": order_type(order),
        "clientId": order.cli_ord_id or "",
        "reduceOnly": order.reduce_only,
        "lastUpdateTimestamp": epoch_ms(order.last_update),
        "spotData": None,
    }


def historical_trigger_json(trigger: TriggerSnapshot, account_uid: str) -> dict[str, Any]:
    """Return the HistoricalTrigger shape of a trigger order."""
    return {
        "uid": trigger.order_id,
        "accountId": 0,
        "accountUid": account_uid,
        "tradeable": trigger.symbol,
        "direction": direction(trigger.side),
        "quantity": decimal_string(trigger.quantity),
        "timestamp": epoch_ms(trigger.received),
        "limitPrice": decimal_string(trigger.limit_price, ""),
        "orderType": "Limit" if trigger.limit_price is not None else "IoC",
        "clientId": trigger.cli_ord_id or "",
        "reduceOnly": trigger.reduce_only,
        "lastUpdateTimestamp": epoch_ms(trigger.last_update),
        "triggerOptions": {
            "triggerPrice": decimal_string(trigger.trigger_price),
            "triggerSignal": _SIGNALS[trigger.signal],
            "triggerSide": trigger.side_word.capitalize(),
            "trailingStopOptions": None,
            "limitPriceOffset": None,
        },
    }


def element(entry: Entry, event: dict[str, Any]) -> dict[str, Any]:
    """Wrap an event in a history element: uid, timestamp and the event keyed by its kind."""
    return {
        "uid": derived_uuid("history event", entry.seq, entry.kind),
        "timestamp": epoch_ms(entry.time),
        "event": event,
    }


def order_element(entry: Entry, account_uid: str) -> dict[str, Any]:
    """Return the element of an order entry (OrderPlaced, OrderUpdated, ...)."""
    event = entry.event
    body: dict[str, Any]
    if isinstance(event, OrderPlaced):
        body = {"order": historical_json(event.order, account_uid), "reason": event.reason, "reducedQuantity": ""}
    elif isinstance(event, OrderUpdated):
        body = {
            "oldOrder": historical_json(event.old, account_uid),
            "newOrder": historical_json(event.new, account_uid),
            "reason": event.reason,
            "reducedQuantity": "",
        }
    elif isinstance(event, OrderCancelled):
        body = {"order": historical_json(event.order, account_uid), "reason": event.reason}
    elif isinstance(event, OrderRejected):
        order = historical_json(event.order, account_uid)
        body = {"order": order, "reason": event.reason, "orderError": event.error}
    else:
        assert isinstance(event, OrderEditRejected)
        body = {
            "oldOrder": historical_json(event.old, account_uid),
            "attemptedOrder": historical_json(event.attempted, account_uid),
            "orderError": event.error,
        }
    return element(entry, {entry.kind: body})


def public_order_element(entry: Entry) -> dict[str, Any]:
    """Return the sanitized element of an order entry, as the market's public history shows it."""
    event = entry.event
    body: dict[str, Any]
    if isinstance(event, OrderUpdated):
        old, new = sanitized_json(event.old), sanitized_json(event.new)
        body = {"oldOrder": old, "newOrder": new, "reason": event.reason, "reducedQuantity": ""}
    elif isinstance(event, OrderPlaced):
        body = {"order": sanitized_json(event.order), "reason": event.reason, "reducedQuantity": ""}
    else:
        assert isinstance(event, OrderCancelled)
        body = {"order": sanitized_json(event.order), "reason": event.reason}
    return element(entry, {entry.kind: body})


def trigger_element(entry: Entry, account_uid: str) -> dict[str, Any]:
    """Return the element of a trigger entry (OrderTriggerPlaced, ...)."""
    event = entry.event
    body: dict[str, Any]
    if isinstance(event, TriggerUpdated):
        body = {
            "oldOrderTrigger": historical_trigger_json(event.old, account_uid),
            "newOrderTrigger": historical_trigger_json(event.new, account_uid),
            "reason": event.reason,
        }
    elif isinstance(event, TriggerActivated):
        body = {"order": historical_trigger_json(event.trigger, account_uid)}
    else:
        assert isinstance(event, (TriggerPlaced, TriggerCancelled))
        body = {"order": historical_trigger_json(event.trigger, account_uid), "reason": event.reason}
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
        "makerOrder": sanitized_json(maker) if public else historical_json(maker, maker_account),
        "takerOrder": sanitized_json(taker) if public else historical_json(taker, taker_account),
        "timestamp": epoch_ms(fill.entry.time),
        "quantity": decimal_string(fill.quantity),
        "price": decimal_string(fill.price),
        "markPrice": decimal_string(mark),
        "limitFilled": maker.filled >= maker.quantity,
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
    event, old, new, reason, fill = update.event, update.old, update.new, update.reason, update.fill
    old_price, new_price = event.old_average_price, event.new_average_price
    when = epoch_ms(update.entry.time)
    body: dict[str, Any] = {
        "accountUid": account_uid,
        "tradeable": update.symbol,
        "oldPosition": decimal_string(old),
        "oldAverageEntryPrice": None if old == 0 or old_price is None else decimal_string(old_price),
        "newPosition": decimal_string(new),
        "newAverageEntryPrice": decimal_string(new_price if new != 0 else 0),
        "fillTime": when if reason == "trade" else None,
        "fee": decimal_string(event.fee),
        "feeCurrency": event.fee_currency,
        "realizedPnL": decimal_string(event.realized_pnl),
        "positionChange": update.change,
        "tradeType": event.trade_type,
        "timestamp": when,
        "updateReason": reason,
    }
    if event.execution_id is not None:
        body["executionUid"] = event.execution_id
    if fill is not None:
        body["executionPrice"] = decimal_string(fill.price)
        body["executionSize"] = decimal_string(fill.quantity)
    if event.funding_realization is not None:
        body["realizedFunding"] = decimal_string(event.funding_realization)
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
        placed = from_ms(since)
        snapshot = OrderSnapshot(
            order_id=derived_uuid("tape order", trade.trade_id, trade.time, role),
            cli_ord_id=None,
            type=kind,
            symbol=tape.contract.symbol,
            side=side,
            quantity=trade.size,
            filled=Decimal(0),
            limit_price=trade.price,
            reduce_only=False,
            received=placed,
            last_update=placed,
        )
        return sanitized_json(snapshot)

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
