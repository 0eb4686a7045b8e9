"""Orders of the simulated account: the working order, and the immutable snapshot of it at one moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass
class Order:
    """One order: its identity, terms and fill progress (``type`` is the OrderJson type)."""

    order_id: str
    cli_ord_id: str | None
    type: str
    symbol: str
    side: str
    quantity: Decimal
    limit_price: Decimal
    reduce_only: bool
    received: datetime
    last_update: datetime
    filled: Decimal = Decimal(0)
    reason: str = "NEW_USER_ORDER"

    @property
    def unfilled(self) -> Decimal:
        """The size still open."""
        return self.quantity - self.filled

    def snapshot(self) -> OrderSnapshot:
        """Return the order frozen at this moment (for journal events, order events and statuses)."""
        return OrderSnapshot(
            self.order_id,
            self.cli_ord_id,
            self.type,
            self.symbol,
            self.side,
            self.quantity,
            self.filled,
            self.limit_price,
            self.reduce_only,
            self.received,
            self.last_update,
        )


@dataclass(frozen=True, slots=True)
class OrderSnapshot:
    """An order as it was at one moment: identity, terms, fill progress and times."""

    order_id: str
    cli_ord_id: str | None
    type: str
    symbol: str
    side: str
    quantity: Decimal
    filled: Decimal
    limit_price: Decimal
    reduce_only: bool
    received: datetime
    last_update: datetime

    @property
    def unfilled(self) -> Decimal:
        """The size that was still open."""
        return self.quantity - self.filled
