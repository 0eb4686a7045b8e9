"""The market's past before the simulation starts: a deterministic price path and trade tape.

Derived from the contract's reference data and the exchange's start time only, so the same
clock gives the same past. The path runs from ``open24h`` a day before the start to the ticker's
last price at the start, inside the day's high and low, and wanders around ``open24h`` before that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from ..account.identity import derived_uuid, unit_interval
from .market import INDEX_PRICES, Contract

DAY_MS = 86_400_000
#: How far back the synthetic trade tape and mark-price events reach.
TAPE_MS = 7 * DAY_MS
#: Milliseconds between two synthetic trades, and between two mark-price events.
TRADE_INTERVAL_MS = 41_300
PRICE_INTERVAL_MS = 60_000
#: Age of the ticker's last trade when the simulation starts (as ``/tickers`` reports it).
LAST_TRADE_AGE_MS = 2_164
#: Trade ids of the tape end here; the simulation's own trades continue from the next id.
_TRADE_ID_BASE = 2_000_000
_WAVES = ((7 * 3_600_000, 0.5), (97 * 60_000, 0.3), (23 * 60_000, 0.15), (6 * 60_000, 0.05))
_SETTLE_MS = 30 * 60_000


@dataclass(frozen=True)
class TapeTrade:
    """One trade of the synthetic tape."""

    trade_id: int
    time: int
    price: Decimal
    size: Decimal
    side: str

    @property
    def uid(self) -> str:
        """The trade's execution uid."""
        return derived_uuid("tape trade", self.trade_id, self.time)


class Tape:
    """The price path and trade tape of one contract for an exchange that started at ``start`` (ms)."""

    def __init__(self, contract: Contract, start: int) -> None:
        self.contract = contract
        self.start = start
        self.last_price = contract.reference_mid()
        self.last_time = start - LAST_TRADE_AGE_MS
        self._open = float(contract.open24h)
        self._last = float(self.last_price)
        self._high = float(contract.high24h)
        self._low = float(contract.low24h)
        self._amplitude = (self._high - self._low) / (self._high + self._low) * 0.8
        self._phases = [unit_interval(contract.symbol, "phase", i) * 2 * math.pi for i in range(len(_WAVES))]

    # -- prices ------------------------------------------------------------------------------

    def value_at(self, time: int) -> float:
        """Return the unrounded trade price at a time (ms); flat at the last price after the start."""
        if time >= self.start:
            return self._last
        elapsed = min(1.0, max(0.0, (time - (self.start - DAY_MS)) / DAY_MS))
        base = self._open + (self._last - self._open) * elapsed
        waves = zip(_WAVES, self._phases, strict=True)
        wave = math.fsum(a * math.sin(2 * math.pi * time / period + phase) for (period, a), phase in waves)
        settle = 1.0 - math.exp(-(self.start - time) / _SETTLE_MS)
        price = base * (1 + self._amplitude * wave * settle)
        if time >= self.start - DAY_MS:
            price = min(self._high, max(self._low, price))
        return price

    def price_at(self, time: int, kind: str = "trade") -> Decimal:
        """Return the trade, ``mark`` or ``spot`` (index) price at a time, rounded to the tick."""
        value = self.value_at(time)
        if kind == "mark":
            value *= float(self.contract.mark_price) / self._last
        elif kind == "spot":
            value *= float(INDEX_PRICES[self.contract.index_symbol]) / self._last
        return self.round(value)

    def mark_value(self, time: int) -> Decimal:
        """Return the unrounded mark price at a time, as Kraken publishes it (11 decimal places)."""
        value = self.value_at(time) * float(self.contract.mark_price) / self._last
        return Decimal(repr(value)).quantize(Decimal("1e-11"))

    def round(self, value: float) -> Decimal:
        """Round a price to the contract's tick."""
        tick = self.contract.tick_size
        return (Decimal(repr(value)) / tick).to_integral_value(rounding=ROUND_HALF_EVEN) * tick

    # -- trades ------------------------------------------------------------------------------

    @property
    def trade_count(self) -> int:
        """How many trades the tape holds."""
        return TAPE_MS // TRADE_INTERVAL_MS + 1

    @property
    def next_trade_id(self) -> int:
        """The trade id of the first trade after the tape."""
        return _TRADE_ID_BASE + 1

    def trade_time(self, age: int) -> int:
        """Return the time (ms) of the tape's trade ``age`` trades before its last one."""
        return self.last_time - age * TRADE_INTERVAL_MS

    def trade_id(self, age: int) -> int:
        """Return the trade id of the tape's trade ``age`` trades before its last one."""
        return _TRADE_ID_BASE - age

    def trade(self, age: int) -> TapeTrade:
        """Return the tape's trade ``age`` trades before its last one (0 is the ticker's last trade)."""
        time = self.trade_time(age)
        if age == 0:
            return TapeTrade(self.trade_id(age), time, self.last_price, self.contract.last_size, "buy")
        noise = unit_interval(self.contract.symbol, "trade", age)
        step = self.contract.size_step
        size = max(step, (self.contract.last_size * Decimal(repr(0.2 + 3 * noise))).quantize(step))
        side = "buy" if unit_interval(self.contract.symbol, "side", age) < 0.5 else "sell"
        return TapeTrade(self.trade_id(age), time, self.price_at(time), size, side)

    def trade_ages(self, since: int, before: int) -> range:
        """Return the ages of the tape's trades with ``since <= time < before``, newest first."""
        newest = max(0, -((before - 1 - self.last_time) // TRADE_INTERVAL_MS))
        oldest = min(self.trade_count - 1, (self.last_time - since) // TRADE_INTERVAL_MS)
        return range(newest, oldest + 1)

    def price_times(self, until: int) -> range:
        """Return the times (ms) of the mark-price events up to ``until``, oldest first."""
        last = (until // PRICE_INTERVAL_MS) * PRICE_INTERVAL_MS
        first = ((until - TAPE_MS) // PRICE_INTERVAL_MS + 1) * PRICE_INTERVAL_MS
        return range(first, last + 1, PRICE_INTERVAL_MS)
