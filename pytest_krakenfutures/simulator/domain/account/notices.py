"""Platform notifications and the unwind queue of the account's positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ..market.market import Contract
from .figures import OpenPosition
from .wallets import at_double_precision

DECOMMISSIONING = datetime(2027, 3, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Notice:
    """A platform notification: its kind, priority, text, when it takes effect, and any downtime it brings."""

    type: str
    priority: str
    note: str
    effective_time: datetime
    expected_downtime_minutes: int | None = None


@dataclass(frozen=True)
class QueuePlace:
    """A position's percentile in the unwind queue."""

    symbol: str
    percentile: int


def notifications(epoch: datetime) -> list[Notice]:
    """Return the platform's notifications, timed relative to the exchange's start."""
    day = epoch.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        Notice(
            "maintenance",
            "high",
            "Scheduled maintenance of the trading engine: trading and the API will be unavailable.",
            day + timedelta(days=3, hours=6),
            30,
        ),
        Notice(
            "general",
            "medium",
            "The Derivatives REST API will be decommissioned; move integrations to the unified API.",
            DECOMMISSIONING,
        ),
        Notice(
            "settlement",
            "low",
            "FF_XBTUSD_261225 expires and settles at 16:00 UTC on 25 December 2026.",
            datetime(2026, 12, 25, 16, tzinfo=timezone.utc),
        ),
    ]


def unwind_queue(positions: Iterable[OpenPosition], contract_of: Callable[[str], Contract | None]) -> list[QueuePlace]:
    """Return each position's percentile in the unwind queue: the more profitable, the further ahead.

    A position's gain is measured from its entry price as Kraken reports it, a binary double.
    """
    queue = []
    for position in positions:
        contract = contract_of(position.symbol)
        if contract is None:
            continue
        entry = at_double_precision(position.price)
        direction = 1 if position.side == "long" else -1
        gain = direction * (contract.mark_price - entry) / entry if entry else Decimal(0)
        queue.append(QueuePlace(contract.symbol, percentile(gain)))
    return queue


def percentile(gain: Decimal) -> int:
    """Return the unwind-queue percentile of a position with this relative gain at mark."""
    for threshold, rank in ((Decimal("0.02"), 100), (Decimal(0), 80), (Decimal("-0.02"), 40)):
        if gain > threshold:
            return rank
    return 20
