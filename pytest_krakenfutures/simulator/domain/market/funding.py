"""Historical funding rates of the perpetual contracts: hourly, deterministic, about a year back."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from ..account.identity import from_ms, to_ms, unit_interval
from .market import Contract
from .tape import Tape

HOUR_MS = 3_600_000
#: How far back the v4 endpoint answers (Kraken returns a fixed window of about a year).
WINDOW_MS = 365 * 24 * HOUR_MS
#: Typical size of an hourly relative funding rate.
_SCALE = 2.5e-5


def relative_rate(contract: Contract, hour: int) -> float:
    """Return the relative funding rate of the period starting at ``hour`` (ms)."""
    phase = unit_interval(contract.symbol, "funding phase") * 2 * math.pi
    drift = 0.6 * math.sin(2 * math.pi * hour / (9 * 24 * HOUR_MS) + phase)
    jitter = 0.8 * (unit_interval(contract.symbol, "funding", hour) - 0.5)
    return _SCALE * (0.3 + drift + jitter)


@dataclass(frozen=True)
class FundingRate:
    """The funding of one hourly period: its start, the rate in the quote currency and relative to the price."""

    time: datetime
    absolute: float
    relative: float


def funding_rates(contract: Contract, tape: Tape, now: int) -> list[FundingRate]:
    """Return the funding of a perpetual contract's periods up to the one running at ``now``, oldest first."""
    last = now // HOUR_MS * HOUR_MS
    opening = to_ms(contract.opening_date, 0) or 0
    first = max(last - WINDOW_MS + HOUR_MS, -(-opening // HOUR_MS) * HOUR_MS)
    rates = []
    for hour in range(first, last + 1, HOUR_MS):
        relative = relative_rate(contract, hour)
        price = tape.value_at(hour)
        absolute = relative / price if contract.inverse else relative * price
        rates.append(FundingRate(from_ms(hour), absolute, relative))
    return rates
