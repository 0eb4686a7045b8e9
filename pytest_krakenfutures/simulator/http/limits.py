"""Kraken's rate limits: a replenishing budget per key and pool, spent by each call's cost."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ...catalog import DERIVATIVES_POOL, HISTORY_POOL
from ..errors import RateLimited


@dataclass(frozen=True)
class Budget:
    """A pool: at most ``capacity`` points, replenished at ``capacity`` per ``seconds``."""

    capacity: int
    seconds: int

    @property
    def rate(self) -> Decimal:
        """Points replenished per second."""
        return Decimal(self.capacity) / self.seconds


#: The documented budgets: 500 per 10 s for /derivatives, 100 per 10 min for /history.
BUDGETS: dict[str, Budget] = {
    DERIVATIVES_POOL: Budget(500, 10),
    HISTORY_POOL: Budget(100, 600),
}


class RateLimiter:
    """Spends each call's cost from its key's pool; a call the pool cannot pay is refused."""

    def __init__(self, budgets: dict[str, Budget] | None = None) -> None:
        self.budgets = dict(BUDGETS if budgets is None else budgets)
        self._levels: dict[tuple[str, str], tuple[Decimal, datetime]] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Refill every pool."""
        with self._lock:
            self._levels.clear()

    def spend(self, key: str, pool: str | None, cost: int, now: datetime) -> None:
        """Take ``cost`` points from ``key``'s ``pool`` at time ``now``, or raise ``apiLimitExceeded``."""
        if pool is None or cost <= 0 or pool not in self.budgets:
            return
        budget = self.budgets[pool]
        with self._lock:
            level, since = self._levels.get((key, pool), (Decimal(budget.capacity), now))
            elapsed = Decimal(str(max((now - since).total_seconds(), 0.0)))
            level = min(Decimal(budget.capacity), level + elapsed * budget.rate)
            if level < cost:
                self._levels[(key, pool)] = (level, now)
                raise RateLimited(pool, math.ceil((cost - level) / budget.rate))
            self._levels[(key, pool)] = (level - cost, now)

    def remaining(self, key: str, pool: str, now: datetime) -> Decimal:
        """Return the points ``key`` could spend from ``pool`` at ``now``."""
        budget = self.budgets[pool]
        with self._lock:
            level, since = self._levels.get((key, pool), (Decimal(budget.capacity), now))
        elapsed = Decimal(str(max((now - since).total_seconds(), 0.0)))
        return min(Decimal(budget.capacity), level + elapsed * budget.rate)
