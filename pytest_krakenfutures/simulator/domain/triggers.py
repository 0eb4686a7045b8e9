"""Trigger orders (stp, take_profit, trailing_stop): their terms, when they fire, and their snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .market.market import round_to_tick

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

    def snapshot(self) -> TriggerSnapshot:
        """Return the trigger frozen at this moment (for journal events, order events and statuses)."""
        return TriggerSnapshot(
            self.order_id,
            self.cli_ord_id,
            self.type,
            self.symbol,
            self.side,
            self.quantity,
            self.limit_price,
            self.trigger_price,
            self.signal,
            self.reduce_only,
            self.received,
            self.last_update,
        )


@dataclass(frozen=True, slots=True)
class TriggerSnapshot:
    """A trigger order as it was at one moment (``limit_price`` None: it sends a market order)."""

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

    @property
    def side_word(self) -> str:
        """``above`` or ``below``."""
        return trigger_side(self.type, self.side)


def trailing_price(side: str, price: Decimal, deviation: Decimal | None, unit: str | None, tick: Decimal) -> Decimal:
    """Return a trailing stop's trigger price at a reference price: a sell trails below, a buy above."""
    amount = deviation or MIN_DEVIATION
    distance = price * amount / 100 if unit != "QUOTE_CURRENCY" else amount
    if side == "sell":
        return round_to_tick(price - distance, tick, ROUND_FLOOR)
    return round_to_tick(price + distance, tick, ROUND_CEILING)
