"""What the order engine answers to an order, an edit, a cancel, the dead man's switch and a status request.

The HTTP layer renders each answer in Kraken's shape; ``batchorder`` reads the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .order_events import OrderEvent, OrderOutcome
from .orders import OrderSnapshot
from .triggers import TriggerSnapshot


@dataclass(frozen=True)
class SendStatus:
    """The answer to a ``sendorder``: the order id it was given, when it arrived, and its outcome."""

    order_id: str
    received: datetime
    cli_ord_id: str | None
    outcome: OrderOutcome


@dataclass(frozen=True)
class EditStatus:
    """The answer to an ``editorder``: the order it edited (or was asked to), when it arrived, its outcome."""

    order_id: str | None
    received: datetime
    cli_ord_id: str | None
    outcome: OrderOutcome


@dataclass(frozen=True)
class CancelStatus:
    """The answer to a ``cancelorder``: cancelled (with its event), already filled, or not found."""

    status: str
    received: datetime
    order_id: str | None = None
    cli_ord_id: str | None = None
    events: list[OrderEvent] | None = None


@dataclass(frozen=True)
class CancelledOrder:
    """The ids of one order or trigger a ``cancelallorders`` cancelled."""

    order_id: str
    cli_ord_id: str | None


@dataclass(frozen=True)
class CancelAllStatus:
    """The answer to a ``cancelallorders``: of which contract (``None``: all), what it cancelled, its events."""

    received: datetime
    symbol: str | None
    cancelled: list[CancelledOrder] = field(default_factory=list)
    events: list[OrderEvent] = field(default_factory=list)


@dataclass(frozen=True)
class SwitchStatus:
    """The answer to a ``cancelallordersafter``: the time now, and when the switch fires (``None``: disarmed)."""

    now: datetime
    due: datetime | None


@dataclass(frozen=True)
class OrderStatus:
    """An ``orders/status`` entry: the order or trigger as it is (or was), its status word, reason and error."""

    order: OrderSnapshot | TriggerSnapshot
    status: str
    reason: str | None
    error: str | None
