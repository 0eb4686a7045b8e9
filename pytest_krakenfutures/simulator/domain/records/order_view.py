"""Order and trigger snapshots from the journal, read whatever spelling they were written in.

Journal entries carry order snapshots as written by the order engine: OrderJson or
OrderTriggerJson mappings (camelCase), snake_case mappings, or objects with ``order_json()``;
every spelling is read. Times become epoch milliseconds and decimals plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..account.identity import decimal, decimal_string, field, to_ms

_ORDER_TYPES = {
    "lmt": "Limit",
    "limit": "Limit",
    "post": "Post",
    "ioc": "IoC",
    "mkt": "Market",
    "market": "Market",
    "fok": "FoK",
    "liquidation": "Liquidation",
    "assignment": "Assignment",
    "unwind": "Unwind",
}
_SIGNALS = {"mark": "MarkPrice", "last": "LastPrice", "index": "SpotPrice", "spot": "SpotPrice"}


@dataclass(frozen=True)
class OrderView:
    """An order or trigger snapshot from the journal, whatever spelling the engine used."""

    uid: str
    client_id: str | None
    type: str
    symbol: str
    side: str
    quantity: Decimal | None
    filled: Decimal | None
    limit_price: Decimal | None
    reduce_only: bool
    timestamp: int
    last_update: int
    trigger_price: Decimal | None
    trigger_side: str | None
    trigger_signal: str | None

    @classmethod
    def of(cls, value: Any, default_time: int) -> OrderView:
        """Read a snapshot (a mapping, or an object with ``order_json()``)."""
        if not isinstance(value, Mapping) and hasattr(value, "order_json"):
            value = value.order_json()
        data: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        timestamp = to_ms(field(data, "timestamp", "received", "receivedTime"), default_time)
        assert timestamp is not None
        return cls(
            uid=str(field(data, "orderId", "order_id", "uid", default="")),
            client_id=_text(field(data, "cliOrdId", "cli_ord_id", "clientId", "client_id")),
            type=str(field(data, "type", "orderType", "order_type", default="lmt")).lower(),
            symbol=str(field(data, "symbol", "tradeable", default="")).upper(),
            side=str(field(data, "side", "direction", default="buy")).lower(),
            quantity=decimal(field(data, "quantity", "size")),
            filled=decimal(field(data, "filled", "filledSize")),
            limit_price=decimal(field(data, "limitPrice", "limit_price")),
            reduce_only=bool(field(data, "reduceOnly", "reduce_only", default=False)),
            timestamp=timestamp,
            last_update=to_ms(field(data, "lastUpdateTimestamp", "last_update", "lastUpdateTime"), timestamp)
            or timestamp,
            trigger_price=decimal(field(data, "triggerPrice", "trigger_price", "stopPrice", "stop_price")),
            trigger_side=_text(field(data, "triggerSide", "trigger_side")),
            trigger_signal=_text(field(data, "triggerSignal", "trigger_signal")),
        )

    @property
    def direction(self) -> str:
        """``Buy`` or ``Sell``."""
        return "Sell" if self.side.startswith("s") else "Buy"

    @property
    def order_type(self) -> str:
        """The history API's order type (``Limit``, ``IoC``, ``Post``, ``Market``, ...)."""
        if self.type in _ORDER_TYPES:
            return _ORDER_TYPES[self.type]
        return "Limit" if self.limit_price is not None else "IoC"

    def sanitized(self) -> dict[str, Any]:
        """Return the order as the public market history shows it."""
        return {
            "uid": self.uid,
            "tradeable": self.symbol,
            "direction": self.direction,
            "quantity": decimal_string(self.quantity),
            "timestamp": self.timestamp,
            "limitPrice": decimal_string(self.limit_price),
            "orderType": self.order_type,
            "reduceOnly": self.reduce_only,
            "lastUpdateTimestamp": self.last_update,
        }

    def historical(self, account_uid: str) -> dict[str, Any]:
        """Return the HistoricalOrder shape."""
        return {
            "uid": self.uid,
            "accountUid": account_uid,
            "tradeable": self.symbol,
            "direction": self.direction,
            "quantity": decimal_string(self.quantity),
            "filled": decimal_string(self.filled),
            "timestamp": self.timestamp,
            "limitPrice": decimal_string(self.limit_price),
            "orderType": self.order_type,
            "clientId": self.client_id or "",
            "reduceOnly": self.reduce_only,
            "lastUpdateTimestamp": self.last_update,
            "spotData": None,
        }

    def trigger(self, account_uid: str) -> dict[str, Any]:
        """Return the HistoricalTrigger shape."""
        return {
            "uid": self.uid,
            "accountId": 0,
            "accountUid": account_uid,
            "tradeable": self.symbol,
            "direction": self.direction,
            "quantity": decimal_string(self.quantity),
            "timestamp": self.timestamp,
            "limitPrice": decimal_string(self.limit_price, ""),
            "orderType": "Limit" if self.limit_price is not None else "IoC",
            "clientId": self.client_id or "",
            "reduceOnly": self.reduce_only,
            "lastUpdateTimestamp": self.last_update,
            "triggerOptions": {
                "triggerPrice": decimal_string(self.trigger_price),
                "triggerSignal": self._signal(),
                "triggerSide": self._trigger_side(),
                "trailingStopOptions": None,
                "limitPriceOffset": None,
            },
        }

    def _signal(self) -> str:
        """Return the history API's trigger signal (``MarkPrice``, ``LastPrice``, ``SpotPrice``)."""
        text = (self.trigger_signal or "mark").lower()
        return _SIGNALS.get(text.removesuffix("_price"), "MarkPrice")

    def _trigger_side(self) -> str:
        """Return ``Above`` or ``Below``, from the snapshot or from the order's type and side."""
        if self.trigger_side is not None:
            return "Below" if "below" in self.trigger_side.lower() else "Above"
        rises = (self.type == "take_profit") != (self.side == "buy")
        return "Below" if rises else "Above"


def _text(value: Any) -> str | None:
    """Return a value as text, ``None`` when absent or empty."""
    return None if value is None or value == "" else str(value)
