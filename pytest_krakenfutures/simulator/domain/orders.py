"""Orders of the simulated account and the JSON shapes they appear in (OrderJson, open orders, events)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .clock import iso_ms, iso_us
from .market.market import number


@dataclass
class Order:
    """One order: its identity, terms and fill progress (``type`` is the OrderJson type)."""

    order_id: str
    cli_ord_id: str | None
    type: str
    symbol: str
    side: str
    quantity: Decimal
    limit_price: Decimal
    reduce_only: bool
    received: datetime
    last_update: datetime
    filled: Decimal = Decimal(0)
    reason: str = "NEW_USER_ORDER"

    @property
    def unfilled(self) -> Decimal:
        """The size still open."""
        return self.quantity - self.filled

    def snapshot(self) -> Order:
        """Return a copy frozen at this moment (for ``orderPriorExecution`` and the like)."""
        return dataclasses.replace(self)

    def order_json(self) -> dict[str, Any]:
        """Return the OrderJson shape used inside order events."""
        return {
            "orderId": self.order_id,
            "cliOrdId": self.cli_ord_id,
            "type": self.type,
            "symbol": self.symbol,
            "side": self.side,
            "quantity": number(self.quantity),
            "filled": number(self.filled),
            "limitPrice": number(self.limit_price),
            "reduceOnly": self.reduce_only,
            "timestamp": iso_ms(self.received),
            "lastUpdateTimestamp": iso_ms(self.last_update),
        }

    def cached_json(self) -> dict[str, Any]:
        """Return the ``orders/status`` CachedOrderJson of this order (OrderJson with its own ``type``)."""
        fields = {key: value for key, value in self.order_json().items() if key != "type"}
        return {"type": "ORDER", **fields, "algoId": None, "priceTriggerOptions": None, "triggerTime": None}

    def open_order_json(self) -> dict[str, Any]:
        """Return the ``/openorders`` entry of a resting order."""
        data = open_order_head(self.order_id, self.cli_ord_id, self.symbol, self.side)
        data.update(
            {
                "orderType": "lmt",
                "limitPrice": number(self.limit_price),
                "unfilledSize": number(self.unfilled),
                "receivedTime": iso_us(self.received),
                "status": "untouched" if self.filled == 0 else "partiallyFilled",
                "filledSize": number(self.filled),
                "reduceOnly": self.reduce_only,
                "lastUpdateTime": iso_us(self.last_update),
            }
        )
        return data


@dataclass(frozen=True)
class OrderOutcome:
    """What became of an order, trigger or edit: Kraken's status word and the order events it caused."""

    status: str
    events: list[dict[str, Any]] = field(default_factory=list)


def open_order_head(order_id: str, cli_ord_id: str | None, symbol: str, side: str) -> dict[str, Any]:
    """Return the identity fields that open every ``/openorders`` entry (``cliOrdId`` only when set)."""
    data: dict[str, Any] = {"order_id": order_id}
    if cli_ord_id is not None:
        data["cliOrdId"] = cli_ord_id
    data.update({"symbol": symbol, "side": side})
    return data


def place_event(order: Order, reduced_quantity: Decimal | None) -> dict[str, Any]:
    """Return a PLACE event for an order that starts resting in the book."""
    return {
        "type": "PLACE",
        "order": order.order_json(),
        "reducedQuantity": None if reduced_quantity is None else number(reduced_quantity),
    }


def execution_event(
    execution_id: str,
    price: Decimal,
    amount: Decimal,
    prior: Order,
    taker_reduced: Decimal | None,
    prior_edit: Order | None = None,
) -> dict[str, Any]:
    """Return an EXECUTION event: one fill of ``amount`` at ``price`` of the order as it was before."""
    return {
        "type": "EXECUTION",
        "executionId": execution_id,
        "price": number(price),
        "amount": number(amount),
        "orderPriorEdit": None if prior_edit is None else prior_edit.order_json(),
        "orderPriorExecution": prior.order_json(),
        "takerReducedQuantity": None if taker_reduced is None else number(taker_reduced),
    }


def reject_event(order: Order, reason: str) -> dict[str, Any]:
    """Return a REJECT event (``POST_WOULD_EXECUTE``, ``IOC_WOULD_NOT_EXECUTE``, ``EDIT_HAS_NO_EFFECT``)."""
    return {"type": "REJECT", "uid": order.order_id, "order": order.order_json(), "reason": reason}


def cancel_event(order: Order) -> dict[str, Any]:
    """Return a CANCEL event for a cancelled resting order."""
    return {"type": "CANCEL", "uid": order.order_id, "order": order.order_json()}


def edit_event(old: Order, new: Order, reduced_quantity: Decimal | None) -> dict[str, Any]:
    """Return an EDIT event: the order before and after an edit."""
    return {
        "type": "EDIT",
        "old": old.order_json(),
        "new": new.order_json(),
        "reducedQuantity": None if reduced_quantity is None else number(reduced_quantity),
    }
