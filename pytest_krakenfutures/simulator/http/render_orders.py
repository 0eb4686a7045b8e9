"""Kraken's JSON of orders and triggers: OrderJson, OrderTriggerJson, order events, open orders, order statuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.clock import iso_ms, iso_us
from ..domain.order_events import (
    CancelEvent,
    EditEvent,
    ExecutionEvent,
    OrderEvent,
    PlaceEvent,
    RejectEvent,
    TriggerCancelEvent,
    TriggerPlaceEvent,
)
from ..domain.orders import OrderSnapshot
from ..domain.statuses import OrderStatus
from ..domain.triggers import TriggerSnapshot
from .numbers import number

#: The OrderTriggerJson, orders/status and open-orders spellings of a trigger signal.
_SIGNAL_JSON = {"mark": "mark_price", "last": "last_price", "index": "spot_price"}
_SIGNAL_STATUS = {"mark": "MARK_PRICE", "last": "LAST_PRICE", "index": "SPOT_PRICE"}
_SIGNAL_OPEN = {"mark": "mark", "last": "last", "index": "spot"}
_OPEN_ORDER_TYPES = {"stp": "stop", "take_profit": "take_profit", "trailing_stop": "trailing_stop"}


def order_json(order: OrderSnapshot) -> dict[str, Any]:
    """Return the OrderJson shape used inside order events."""
    return {
        "orderId": order.order_id,
        "cliOrdId": order.cli_ord_id,
        "type": order.type,
        "symbol": order.symbol,
        "side": order.side,
        "quantity": number(order.quantity),
        "filled": number(order.filled),
        "limitPrice": number(order.limit_price),
        "reduceOnly": order.reduce_only,
        "timestamp": iso_ms(order.received),
        "lastUpdateTimestamp": iso_ms(order.last_update),
    }


def trigger_json(trigger: TriggerSnapshot) -> dict[str, Any]:
    """Return the OrderTriggerJson shape used inside order events."""
    return {
        "uid": trigger.order_id,
        "clientId": trigger.cli_ord_id,
        "type": "lmt" if trigger.limit_price is not None else "ioc",
        "symbol": trigger.symbol,
        "side": trigger.side,
        "quantity": number(trigger.quantity),
        "limitPrice": None if trigger.limit_price is None else number(trigger.limit_price),
        "triggerPrice": number(trigger.trigger_price),
        "triggerSide": f"trigger_{trigger.side_word}",
        "triggerSignal": _SIGNAL_JSON[trigger.signal],
        "reduceOnly": trigger.reduce_only,
        "timestamp": iso_ms(trigger.received),
        "lastUpdateTimestamp": iso_ms(trigger.last_update),
        "startTime": None,
    }


def _optional_number(value: Decimal | None) -> float | None:
    """Return a decimal as a JSON float, ``None`` staying ``None``."""
    return None if value is None else number(value)


def order_event_json(event: OrderEvent) -> dict[str, Any]:
    """Return the JSON of one order event (PLACE, EXECUTION, REJECT, CANCEL, EDIT, in order or trigger form)."""
    if isinstance(event, ExecutionEvent):
        return {
            "type": "EXECUTION",
            "executionId": event.execution_id,
            "price": number(event.price),
            "amount": number(event.amount),
            "orderPriorEdit": None if event.prior_edit is None else order_json(event.prior_edit),
            "orderPriorExecution": order_json(event.prior),
            "takerReducedQuantity": _optional_number(event.taker_reduced),
        }
    if isinstance(event, PlaceEvent):
        reduced = _optional_number(event.reduced_quantity)
        return {"type": "PLACE", "order": order_json(event.order), "reducedQuantity": reduced}
    if isinstance(event, RejectEvent):
        order = event.order
        return {"type": "REJECT", "uid": order.order_id, "order": order_json(order), "reason": event.reason}
    if isinstance(event, CancelEvent):
        return {"type": "CANCEL", "uid": event.order.order_id, "order": order_json(event.order)}
    if isinstance(event, EditEvent):
        reduced = _optional_number(event.reduced_quantity)
        return {"type": "EDIT", "old": order_json(event.old), "new": order_json(event.new), "reducedQuantity": reduced}
    if isinstance(event, TriggerPlaceEvent):
        return {"type": "PLACE", "orderTrigger": trigger_json(event.trigger)}
    if isinstance(event, TriggerCancelEvent):
        return {"type": "CANCEL", "uid": event.trigger.order_id, "orderTrigger": trigger_json(event.trigger)}
    old, new = trigger_json(event.old), trigger_json(event.new)
    return {"type": "EDIT", "old": old, "new": new, "reducedQuantity": None}


def order_events_json(events: list[OrderEvent]) -> list[dict[str, Any]]:
    """Return the ``orderEvents`` list of an answer."""
    return [order_event_json(event) for event in events]


def _open_order_head(order: OrderSnapshot | TriggerSnapshot) -> dict[str, Any]:
    """Return the identity fields that open every ``/openorders`` entry (``cliOrdId`` only when set)."""
    data: dict[str, Any] = {"order_id": order.order_id}
    if order.cli_ord_id is not None:
        data["cliOrdId"] = order.cli_ord_id
    data.update({"symbol": order.symbol, "side": order.side})
    return data


def open_order_json(order: OrderSnapshot | TriggerSnapshot) -> dict[str, Any]:
    """Return the ``/openorders`` entry of a resting order or waiting trigger."""
    data = _open_order_head(order)
    if isinstance(order, TriggerSnapshot):
        data.update(
            {
                "orderType": _OPEN_ORDER_TYPES[order.type],
                "stopPrice": number(order.trigger_price),
                "triggerSignal": _SIGNAL_OPEN[order.signal],
                "receivedTime": iso_us(order.received),
                "status": "untouched",
                "filledSize": 0,
                "reduceOnly": order.reduce_only,
                "lastUpdateTime": iso_us(order.last_update),
            }
        )
        if order.limit_price is not None:
            data["limitPrice"] = number(order.limit_price)
        return data
    data.update(
        {
            "orderType": "lmt",
            "limitPrice": number(order.limit_price),
            "unfilledSize": number(order.unfilled),
            "receivedTime": iso_us(order.received),
            "status": "untouched" if order.filled == 0 else "partiallyFilled",
            "filledSize": number(order.filled),
            "reduceOnly": order.reduce_only,
            "lastUpdateTime": iso_us(order.last_update),
        }
    )
    return data


def cached_order_json(order: OrderSnapshot | TriggerSnapshot) -> dict[str, Any]:
    """Return the ``orders/status`` CachedOrderJson of an order (OrderJson with its own ``type``) or trigger."""
    if isinstance(order, TriggerSnapshot):
        return _cached_trigger_json(order)
    fields = {key: value for key, value in order_json(order).items() if key != "type"}
    return {"type": "ORDER", **fields, "algoId": None, "priceTriggerOptions": None, "triggerTime": None}


def _cached_trigger_json(trigger: TriggerSnapshot) -> dict[str, Any]:
    """Return the ``orders/status`` CachedOrderJson of a trigger."""
    return {
        "type": "TRIGGER_ORDER",
        "orderId": trigger.order_id,
        "cliOrdId": trigger.cli_ord_id,
        "symbol": trigger.symbol,
        "side": trigger.side,
        "quantity": number(trigger.quantity),
        "filled": None,
        "limitPrice": None if trigger.limit_price is None else number(trigger.limit_price),
        "reduceOnly": trigger.reduce_only,
        "timestamp": iso_ms(trigger.received),
        "lastUpdateTimestamp": iso_ms(trigger.last_update),
        "algoId": None,
        "priceTriggerOptions": {
            "triggerPrice": number(trigger.trigger_price),
            "triggerSide": f"TRIGGER_{trigger.side_word.upper()}",
            "triggerSignal": _SIGNAL_STATUS[trigger.signal],
        },
        "triggerTime": None,
    }


def order_status_json(status: OrderStatus) -> dict[str, Any]:
    """Return one ``orders/status`` entry."""
    return {
        "order": cached_order_json(status.order),
        "status": status.status,
        "updateReason": status.reason,
        "error": status.error,
    }
