"""What a trader asks of the order engine: a new order or an edit, read and checked for form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

#: Order types that wait for a trigger price before they become orders.
TRIGGER_ORDER_TYPES = ("stp", "take_profit", "trailing_stop")


@dataclass(frozen=True)
class OrderRequest:
    """A syntactically valid ``sendorder`` request (business checks happen in the exchange)."""

    order_type: str
    symbol: str
    side: str
    size: Decimal
    limit_price: Decimal | None
    cli_ord_id: str | None
    reduce_only: bool
    process_before: datetime | None
    stop_price: Decimal | None = None
    trigger_signal: str = "mark"
    max_deviation: Decimal | None = None
    deviation_unit: str | None = None

    @property
    def is_trigger(self) -> bool:
        """Whether the order waits for a trigger price (stp, take_profit, trailing_stop)."""
        return self.order_type in TRIGGER_ORDER_TYPES


@dataclass(frozen=True)
class EditRequest:
    """A syntactically valid ``editorder`` (or batch edit) request."""

    order_id: str | None
    cli_ord_id: str | None
    size: Decimal | None
    limit_price: Decimal | None
    stop_price: Decimal | None
    max_deviation: Decimal | None
    deviation_unit: str | None
    qty_mode: str
    process_before: datetime | None
