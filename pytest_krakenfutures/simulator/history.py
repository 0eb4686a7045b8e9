"""The history API's elements, built from the exchange's journal: orders, triggers, executions, positions.

Journal entries carry order snapshots as written by the order engine: OrderJson or
OrderTriggerJson mappings (camelCase), snake_case mappings, or objects with ``order_json()``;
every spelling is read. Times become epoch milliseconds and decimals plain strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import journal as kinds
from .identity import decimal, decimal_string, derived_uuid, epoch_ms, field, to_ms
from .journal import Entry
from .market import Contract

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
_MAKER_FILLS = frozenset({"maker", "assignee", "unwindcounterparty"})


@dataclass(frozen=True)
class Event:
    """A history element not yet built: its time, a tie-breaking key, and how to build it."""

    timestamp: int
    key: int
    build: Callable[[], dict[str, Any]]


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
        text = (self.trigger_signal or "mark").lower()
        return _SIGNALS.get(text.removesuffix("_price"), "MarkPrice")

    def _trigger_side(self) -> str:
        if self.trigger_side is not None:
            return "Below" if "below" in self.trigger_side.lower() else "Above"
        rises = (self.type == "take_profit") != (self.side == "buy")
        return "Below" if rises else "Above"


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


def order_event(entry: Entry, account_uid: str) -> dict[str, Any]:
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


def public_order_event(entry: Entry) -> dict[str, Any]:
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


def trigger_event(entry: Entry, account_uid: str) -> dict[str, Any]:
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


@dataclass(frozen=True)
class Fill:
    """An execution of the account read from the journal: which side it was and what it moved."""

    entry: Entry
    uid: str
    symbol: str
    price: Decimal
    quantity: Decimal
    mark_price: Decimal | None
    fee: Decimal
    fee_currency: str
    fill_type: str
    position_size: Decimal | None
    own: OrderView
    other: OrderView

    @property
    def maker(self) -> bool:
        """Whether the account's order was the resting (maker) side."""
        return self.fill_type.lower() in _MAKER_FILLS

    @property
    def side(self) -> str:
        """``buy`` or ``sell``: the account's side of the trade."""
        return "sell" if self.own.side.startswith("s") else "buy"


def fill_of(entry: Entry) -> Fill:
    """Read an execution entry."""
    data, when = entry.data, epoch_ms(entry.time)
    fill_type = str(field(data, "fill_type", "fillType", default="taker"))
    maker_is_own = fill_type.lower() in _MAKER_FILLS
    own_key = ("maker_order", "makerOrder") if maker_is_own else ("taker_order", "takerOrder")
    other_key = ("taker_order", "takerOrder") if maker_is_own else ("maker_order", "makerOrder")
    uid = str(field(data, "execution_id", "executionId", "uid", default=derived_uuid("execution", entry.seq)))
    symbol = str(field(data, "symbol", "tradeable", default="")).upper()
    price = decimal(field(data, "price")) or Decimal(0)
    quantity = decimal(field(data, "quantity", "amount", "size")) or Decimal(0)
    own = OrderView.of(field(data, *own_key, default={}), when)
    symbol = symbol or own.symbol
    raw_other = field(data, *other_key)
    if raw_other is None:
        raw_other = {
            "orderId": derived_uuid("counterparty order", uid),
            "type": "lmt" if not maker_is_own else "ioc",
            "symbol": symbol,
            "side": "sell" if own.side.startswith("b") else "buy",
            "quantity": str(quantity),
            "filled": str(quantity),
            "limitPrice": str(price),
            "timestamp": when,
            "lastUpdateTimestamp": when,
        }
    return Fill(
        entry=entry,
        uid=uid,
        symbol=symbol,
        price=price,
        quantity=quantity,
        mark_price=decimal(field(data, "mark_price", "markPrice")),
        fee=decimal(field(data, "fee")) or Decimal(0),
        fee_currency=str(field(data, "fee_currency", "feeCurrency", default="USD")),
        fill_type=fill_type,
        position_size=decimal(field(data, "position_size", "positionSize")),
        own=own,
        other=OrderView.of(raw_other, when),
    )


def usd_value(contract: Contract | None, quantity: Decimal, price: Decimal) -> Decimal:
    """Return the USD value of a trade (inverse contracts are worth their size in USD)."""
    size = contract.contract_size if contract is not None else Decimal(1)
    if contract is not None and contract.inverse:
        return quantity * size
    return quantity * size * price


def usd_text(value: Decimal) -> str:
    """Return a USD value as the history API writes it: two decimal places."""
    return format(value.quantize(Decimal("0.01")), "f")


def execution_event(fill: Fill, contract: Contract | None, account_uid: str, public: bool) -> dict[str, Any]:
    """Return the element of an execution, private (with order data) or sanitized."""
    counterparty = derived_uuid("counterparty account", fill.uid)
    maker, taker = (fill.own, fill.other) if fill.maker else (fill.other, fill.own)
    maker_account, taker_account = (account_uid, counterparty) if fill.maker else (counterparty, account_uid)
    value = usd_value(contract, fill.quantity, fill.price)
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


def position_event(entry: Entry, account_uid: str, fills: Mapping[str, Fill]) -> dict[str, Any]:
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


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
