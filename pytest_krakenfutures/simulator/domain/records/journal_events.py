"""The events the journal keeps, one class per kind: typed, immutable, with snapshots of the orders they are about."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from ..orders import OrderSnapshot
from ..triggers import TriggerSnapshot
from . import journal as kinds


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    """An order entered the book (``reason``: new_user_order, stop_order_triggered, liquidation_order)."""

    kind: ClassVar[str] = kinds.ORDER_PLACED
    order: OrderSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class OrderUpdated:
    """A resting order changed (``reason``: full_fill, partial_fill, edited_by_user)."""

    kind: ClassVar[str] = kinds.ORDER_UPDATED
    old: OrderSnapshot
    new: OrderSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    """An order left the book unfilled (``reason``: cancelled_by_user, dead_man_switch, ioc_remainder, ...)."""

    kind: ClassVar[str] = kinds.ORDER_CANCELLED
    order: OrderSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class OrderRejected:
    """An order refused as it met the book: the reason and Kraken's OrderError."""

    kind: ClassVar[str] = kinds.ORDER_REJECTED
    order: OrderSnapshot
    reason: str
    error: str


@dataclass(frozen=True, slots=True)
class OrderEditRejected:
    """An edit refused: the order as it was, the order the edit asked for, and Kraken's OrderError."""

    kind: ClassVar[str] = kinds.ORDER_EDIT_REJECTED
    old: OrderSnapshot
    attempted: OrderSnapshot
    error: str


@dataclass(frozen=True, slots=True)
class TriggerPlaced:
    """A trigger order started waiting."""

    kind: ClassVar[str] = kinds.TRIGGER_PLACED
    trigger: TriggerSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class TriggerCancelled:
    """A waiting trigger order was cancelled (``reason`` as for orders)."""

    kind: ClassVar[str] = kinds.TRIGGER_CANCELLED
    trigger: TriggerSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class TriggerUpdated:
    """A waiting trigger order was edited."""

    kind: ClassVar[str] = kinds.TRIGGER_UPDATED
    old: TriggerSnapshot
    new: TriggerSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class TriggerActivated:
    """The market reached a trigger order: the signal price then, and the order it sent."""

    kind: ClassVar[str] = kinds.TRIGGER_ACTIVATED
    trigger: TriggerSnapshot
    triggered_price: Decimal
    resulting_order_id: str


@dataclass(frozen=True, slots=True)
class Execution:
    """A fill of the account's order (as it was after the fill), its fee and the position after.

    ``fill_type`` says which side the account's order was (``maker``, ``taker``, ``liquidation``, ...);
    the other side belongs to someone else.
    """

    kind: ClassVar[str] = kinds.EXECUTION
    execution_id: str
    symbol: str
    price: Decimal
    quantity: Decimal
    mark_price: Decimal | None
    order: OrderSnapshot
    fee: Decimal
    fee_currency: str
    fill_type: str
    position_size: Decimal | None


@dataclass(frozen=True, slots=True)
class PositionUpdated:
    """A position changed, by a trade or by funding (``update_reason``: trade, funding)."""

    kind: ClassVar[str] = kinds.POSITION
    symbol: str
    old_position: Decimal
    new_position: Decimal
    old_average_price: Decimal | None
    new_average_price: Decimal | None
    realized_pnl: Decimal
    fee: Decimal
    update_reason: str
    funding_realization: Decimal | None = None
    trade_type: str = "userExecution"
    fee_currency: str = "USD"
    execution_id: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A balance moved: a trade, liquidation, funding payment or admin transfer, in one wallet's currency."""

    kind: ClassVar[str] = kinds.LEDGER
    asset: str
    info: str
    margin_account: str
    change: Decimal
    old_balance: Decimal
    new_balance: Decimal
    contract: str | None = None
    execution: str | None = None
    fee: Decimal | None = None
    funding_rate: Decimal | None = None
    mark_price: Decimal | None = None
    trade_price: Decimal | None = None
    realized_pnl: Decimal | None = None
    realized_funding: Decimal | None = None
    old_average_entry_price: Decimal | None = None
    new_average_entry_price: Decimal | None = None
    liquidation_fee: Decimal | None = None


OrderJournalEvent = OrderPlaced | OrderUpdated | OrderCancelled | OrderRejected | OrderEditRejected
TriggerJournalEvent = TriggerPlaced | TriggerCancelled | TriggerUpdated | TriggerActivated
