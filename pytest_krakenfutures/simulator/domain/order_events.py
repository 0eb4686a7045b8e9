"""The order events an order, trigger, edit or cancel causes, and the outcome that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .orders import OrderSnapshot
from .triggers import TriggerSnapshot


@dataclass(frozen=True, slots=True)
class PlaceEvent:
    """An order starts resting in the book (``reduced_quantity``: what reduce-only took off its size)."""

    order: OrderSnapshot
    reduced_quantity: Decimal | None


@dataclass(frozen=True, slots=True)
class ExecutionEvent:
    """One fill of ``amount`` at ``price`` of the order as it was before (and before an edit that traded)."""

    execution_id: str
    price: Decimal
    amount: Decimal
    prior: OrderSnapshot
    taker_reduced: Decimal | None
    prior_edit: OrderSnapshot | None = None


@dataclass(frozen=True, slots=True)
class RejectEvent:
    """An order refused as it met the book, or an edit that changed nothing, with Kraken's reason word."""

    order: OrderSnapshot
    reason: str


@dataclass(frozen=True, slots=True)
class CancelEvent:
    """A resting order taken off the book."""

    order: OrderSnapshot


@dataclass(frozen=True, slots=True)
class EditEvent:
    """A resting order before and after an edit."""

    old: OrderSnapshot
    new: OrderSnapshot
    reduced_quantity: Decimal | None


@dataclass(frozen=True, slots=True)
class TriggerPlaceEvent:
    """A trigger order starts waiting."""

    trigger: TriggerSnapshot


@dataclass(frozen=True, slots=True)
class TriggerCancelEvent:
    """A waiting trigger order cancelled."""

    trigger: TriggerSnapshot


@dataclass(frozen=True, slots=True)
class TriggerEditEvent:
    """A waiting trigger order before and after an edit."""

    old: TriggerSnapshot
    new: TriggerSnapshot


OrderEvent = (
    PlaceEvent
    | ExecutionEvent
    | RejectEvent
    | CancelEvent
    | EditEvent
    | TriggerPlaceEvent
    | TriggerCancelEvent
    | TriggerEditEvent
)


@dataclass(frozen=True)
class OrderOutcome:
    """What became of an order, trigger or edit: Kraken's status word and the order events it caused."""

    status: str
    events: list[OrderEvent] = field(default_factory=list)
