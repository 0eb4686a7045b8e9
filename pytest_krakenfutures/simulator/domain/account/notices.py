"""Platform notifications and the unwind queue of the account's positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..clock import iso_ms
from ..market.market import Contract

DECOMMISSIONING = "2027-03-01T00:00:00.000Z"


def notifications(epoch: datetime) -> list[dict[str, Any]]:
    """Return the platform's notifications, timed relative to the exchange's start."""
    day = epoch.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        {
            "type": "maintenance",
            "priority": "high",
            "note": "Scheduled maintenance of the trading engine: trading and the API will be unavailable.",
            "effectiveTime": iso_ms(day + timedelta(days=3, hours=6)),
            "expectedDowntimeMinutes": 30,
        },
        {
            "type": "general",
            "priority": "medium",
            "note": "The Derivatives REST API will be decommissioned; move integrations to the unified API.",
            "effectiveTime": DECOMMISSIONING,
        },
        {
            "type": "settlement",
            "priority": "low",
            "note": "FF_XBTUSD_261225 expires and settles at 16:00 UTC on 25 December 2026.",
            "effectiveTime": "2026-12-25T16:00:00.000Z",
        },
    ]


def unwind_queue(
    positions: Iterable[Mapping[str, Any]], contract_of: Callable[[str], Contract | None]
) -> list[dict[str, Any]]:
    """Return each position's percentile in the unwind queue: the more profitable, the further ahead."""
    queue = []
    for position in positions:
        contract = contract_of(str(position["symbol"]))
        if contract is None:
            continue
        entry = Decimal(str(position["price"]))
        direction = 1 if position["side"] == "long" else -1
        gain = direction * (contract.mark_price - entry) / entry if entry else Decimal(0)
        queue.append({"symbol": contract.symbol, "percentile": percentile(gain)})
    return queue


def percentile(gain: Decimal) -> int:
    """Return the unwind-queue percentile of a position with this relative gain at mark."""
    for threshold, rank in ((Decimal("0.02"), 100), (Decimal(0), 80), (Decimal("-0.02"), 40)):
        if gain > threshold:
            return rank
    return 20
