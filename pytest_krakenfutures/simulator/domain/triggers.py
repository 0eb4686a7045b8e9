"""Trigger orders (stp, take_profit, trailing_stop): their terms, when they fire, and their JSON shapes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from .clock import iso_ms, iso_us
from .market.market import number, round_to_tick
from .orders import open_order_head

#: The OrderTriggerJson, orders/status and open-orders spellings of a trigger signal.
_SIGNAL_JSON = {"mark": "mark_price", "last": "last_price", "index": "spot_price"}
_SIGNAL_STATUS = {"mark": "MARK_PRICE", "last": "LAST_PRICE", "index": "SPOT_PRICE"}
_SIGNAL_OPEN = {"mark": "mark", "last": "last", "index": "spot"}
_OPEN_ORDER_TYPES = {"stp": "stop", "take_profit": "take_profit", "trailing_stop": "trailing_stop"}
#: Allowed ``trailingStopMaxDeviation`` (both units), as Kraken documents it.
MIN_DEVIATION = Decimal("0.1")
MAX_DEVIATION = Decimal(50)


def trigger_side(order_type: str, side: str) -> str:
    """Return ``above`` or ``below``: a buy stop fires on a rise, a buy take-profit on a fall, and so on."""
    above = (side == "buy") != (order_type == "take_profit")
    return "above" if above else "below"


@dataclass
class Trigger:
    """A trigger order waiting in the engine (``limit_price`` None means it sends a market order)."""

    order_id: str
    cli_ord_id: str | None
    type: str
    symbol: str
    side: str
    quantity: Decimal
    limit_price: Decimal | None
    trigger_price: Decimal
    signal: str
    reduce_only: bool
    received: datetime
    last_update: datetime
    max_deviation: Decimal | None = None
    deviation_unit: str | None = None

    @property
    def side_word(self) -> str:
        """``above`` or ``below``."""
        return trigger_side(self.type, self.side)

    @property
    def trailing(self) -> bool:
        """Whether the trigger price follows the market."""
        return self.type == "trailing_stop"

    def snapshot(self) -> Trigger:
        """Return a copy frozen at this moment."""
        return dataclasses.replace(self)

    def fires(self, price: Decimal) -> bool:
        """Whether a signal price reaches the trigger price."""
        return price >= self.trigger_price if self.side_word == "above" else price <= self.trigger_price

    def trail(self, price: Decimal, tick: Decimal) -> bool:
        """Move a trailing stop's trigger price after a favourable signal price; return whether it moved."""
        if not self.trailing:
            return False
        candidate = trailing_price(self.side, price, self.max_deviation, self.deviation_unit, tick)
        better = candidate < self.trigger_price if self.side == "buy" else candidate > self.trigger_price
        if better:
            self.trigger_price = candidate
        return better

    def trigger_json(self) -> dict[str, Any]:
        """Return the OrderTriggerJson shape used inside order events."""
        return {
            "uid": self.order_id,
            "clientId": self.cli_ord_id,
            "type": "lmt" if self.limit_price is not None else "ioc",
            "symbol": self.symbol,
            "side": self.side,
            "quantity": number(self.quantity),
            "limitPrice": None if self.limit_price is None else number(self.limit_price),
            "triggerPrice": number(self.trigger_price),
            "triggerSide": f"trigger_{self.side_word}",
            "triggerSignal": _SIGNAL_JSON[self.signal],
            "reduceOnly": self.reduce_only,
            "timestamp": iso_ms(self.received),
            "lastUpdateTimestamp": iso_ms(self.last_update),
            "startTime": None,
        }

    def open_order_json(self) -> dict[str, Any]:
        """Return the ``/openorders`` entry of a waiting trigger."""
        data = open_order_head(self.order_id, self.cli_ord_id, self.symbol, self.side)
        data.update(
            {
                "orderType": _OPEN_ORDER_TYPES[self.type],
                "stopPrice": number(self.trigger_price),
                "triggerSignal": _SIGNAL_OPEN[self.signal],
                "receivedTime": iso_us(self.received),
                "status": "untouched",
                "filledSize": 0,
                "reduceOnly": self.reduce_only,
                "lastUpdateTime": iso_us(self.last_update),
            }
        )
        if self.limit_price is not None:
            data["limitPrice"] = number(self.limit_price)
        return data

    def cached_json(self) -> dict[str, Any]:
        """Return the ``orders/status`` CachedOrderJson of this trigger."""
        return {
            "type": "TRIGGER_ORDER",
            "orderId": self.order_id,
            "cliOrdId": self.cli_ord_id,
            "symbol": self.symbol,
            "side": self.side,
            "quantity": number(self.quantity),
            "filled": None,
            "limitPrice": None if self.limit_price is None else number(self.limit_price),
            "reduceOnly": self.reduce_only,
            "timestamp": iso_ms(self.received),
            "lastUpdateTimestamp": iso_ms(self.last_update),
            "algoId": None,
            "priceTriggerOptions": {
                "triggerPrice": number(self.trigger_price),
                "triggerSide": f"TRIGGER_{self.side_word.upper()}",
                "triggerSignal": _SIGNAL_STATUS[self.signal],
            },
            "triggerTime": None,
        }


def trailing_price(side: str, price: Decimal, deviation: Decimal | None, unit: str | None, tick: Decimal) -> Decimal:
    """Return a trailing stop's trigger price at a reference price: a sell trails below, a buy above."""
    amount = deviation or MIN_DEVIATION
    distance = price * amount / 100 if unit != "QUOTE_CURRENCY" else amount
    if side == "sell":
        return round_to_tick(price - distance, tick, ROUND_FLOOR)
    return round_to_tick(price + distance, tick, ROUND_CEILING)


def trigger_event(kind: str, trigger: Trigger) -> dict[str, Any]:
    """Return a PLACE or CANCEL order event in its trigger form."""
    if kind == "PLACE":
        return {"type": "PLACE", "orderTrigger": trigger.trigger_json()}
    return {"type": kind, "uid": trigger.order_id, "orderTrigger": trigger.trigger_json()}


def trigger_edit_event(old: Trigger, new: Trigger) -> dict[str, Any]:
    """Return the EDIT event of an edited trigger."""
    return {"type": "EDIT", "old": old.trigger_json(), "new": new.trigger_json(), "reducedQuantity": None}
