"""Historical funding rates of the perpetual contracts: hourly, deterministic, about a year back."""

from __future__ import annotations

import math
from datetime import timezone
from typing import Any

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


def funding_rates(contract: Contract, tape: Tape, now: int) -> list[dict[str, Any]]:
    """Return the ``rates`` of a perpetual contract up to the period running at ``now``, oldest first."""
    last = now // HOUR_MS * HOUR_MS
    opening = to_ms(contract.opening_date, 0) or 0
    first = max(last - WINDOW_MS + HOUR_MS, -(-opening // HOUR_MS) * HOUR_MS)
    rates = []
    for hour in range(first, last + 1, HOUR_MS):
        relative = relative_rate(contract, hour)
        price = tape.value_at(hour)
        absolute = relative / price if contract.inverse else relative * price
        stamp = from_ms(hour).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rates.append({"timestamp": stamp, "fundingRate": absolute, "relativeFundingRate": relative})
    return rates
