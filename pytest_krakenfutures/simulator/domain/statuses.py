"""What the order engine answers to an order, an edit or a cancel, and the JSON shape of each answer.

``batchorder`` reads the same answers and shapes them its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .clock import iso_ms
from .orders import OrderOutcome


@dataclass(frozen=True)
class SendStatus:
    """The answer to a ``sendorder``: the order id it was given, when it arrived, and its outcome."""

    order_id: str
    received: datetime
    cli_ord_id: str | None
    outcome: OrderOutcome

    def json(self) -> dict[str, Any]:
        """Return the ``sendStatus`` object."""
        status: dict[str, Any] = {"status": self.outcome.status, "order_id": self.order_id}
        status["receivedTime"] = iso_ms(self.received)
        if self.cli_ord_id is not None:
            status["cliOrdId"] = self.cli_ord_id
        status["orderEvents"] = self.outcome.events
        return status


@dataclass(frozen=True)
class EditStatus:
    """The answer to an ``editorder``: the order it edited (or was asked to), when it arrived, its outcome."""

    order_id: str | None
    received: datetime
    cli_ord_id: str | None
    outcome: OrderOutcome

    def json(self) -> dict[str, Any]:
        """Return the ``editStatus`` object."""
        status: dict[str, Any] = {"status": self.outcome.status, "orderId": self.order_id}
        status.update({"receivedTime": iso_ms(self.received), "orderEvents": self.outcome.events})
        if self.cli_ord_id is not None:
            status["cliOrdId"] = self.cli_ord_id
        return status


@dataclass(frozen=True)
class CancelStatus:
    """The answer to a ``cancelorder``: cancelled (with its event), already filled, or not found."""

    status: str
    received: datetime
    order_id: str | None = None
    cli_ord_id: str | None = None
    events: list[dict[str, Any]] | None = None

    def json(self) -> dict[str, Any]:
        """Return the ``cancelStatus`` object (an order id only when one was found, events only when cancelled)."""
        status: dict[str, Any] = {"status": self.status}
        if self.order_id is not None:
            status["order_id"] = self.order_id
        if self.cli_ord_id is not None:
            status["cliOrdId"] = self.cli_ord_id
        status["receivedTime"] = iso_ms(self.received)
        if self.events is not None:
            status["orderEvents"] = self.events
        return status
