"""Cancels: one order, all orders, the dead man's switch, and ``orders/status``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ...errors import MISSING, Refused
from ..clock import iso_ms
from ..orders import Order, cancel_event
from ..records import journal
from ..statuses import CancelStatus
from ..triggers import Trigger, trigger_event
from .engine_state import STATUS_MEMORY, Closed, EngineState


class Cancels:
    """Take orders and triggers off the book, arm the dead man's switch, and report order statuses."""

    def __init__(self, state: EngineState) -> None:
        self.state = state

    def cancel_order(self, order_id: str | None, cli_ord_id: str | None, now: datetime) -> CancelStatus:
        """Process a ``cancelorder`` by order id or client order id."""
        if order_id is None and cli_ord_id is None:
            raise Refused(MISSING)
        target = self.state.find(order_id, cli_ord_id)
        if target is not None:
            event = self.cancel_working(target, now, "cancelled_by_user")
            return CancelStatus("cancelled", now, target.order_id, target.cli_ord_id, [event])
        filled = self.state.filled
        done = filled.get(order_id) if order_id is not None else None
        if done is None and cli_ord_id is not None:
            done = next((o for o in filled.values() if o.cli_ord_id == cli_ord_id), None)
        if done is not None:
            return CancelStatus("filled", now, done.order_id)
        return CancelStatus("notFound", now)

    def cancel_working(self, target: Order | Trigger, now: datetime, reason: str) -> dict[str, Any]:
        """Take a resting order or waiting trigger off the book, journal why, and return its CANCEL event."""
        state = self.state
        state.closed[target.order_id] = Closed(target, "CANCELLED", now, reason.upper())
        if isinstance(target, Trigger):
            del state.triggers[target.order_id]
            state.journal.append(now, journal.TRIGGER_CANCELLED, order=target.trigger_json(), reason=reason)
            return trigger_event("CANCEL", target)
        del state.orders[target.order_id]
        state.journal.append(now, journal.ORDER_CANCELLED, order=target.order_json(), reason=reason)
        return cancel_event(target)

    def cancel_all(self, symbol: str | None, now: datetime) -> dict[str, Any]:
        """Process a ``cancelallorders`` (all contracts, or one) and return its ``cancelStatus``."""
        wanted = None if symbol is None else symbol.strip().upper()
        targets = [o for o in self.state.working() if wanted is None or o.symbol == wanted]
        cancelled: list[dict[str, Any]] = []
        events = []
        for target in targets:
            events.append(self.cancel_working(target, now, "cancelled_by_user"))
            entry = {"order_id": target.order_id}
            if target.cli_ord_id is not None:
                entry["cliOrdId"] = target.cli_ord_id
            cancelled.append(entry)
        return {
            "receivedTime": iso_ms(now),
            "cancelOnly": "all" if symbol is None else symbol,
            "status": "cancelled" if targets else "noOrdersToCancel",
            "cancelledOrders": cancelled,
            "orderEvents": events,
        }

    def cancel_all_after(self, timeout: int, now: datetime) -> dict[str, Any]:
        """Arm (or with 0 disarm) the dead man's switch and return its ``status``."""
        due = None if timeout == 0 else now + timedelta(seconds=timeout)
        self.state.dead_man_at = due
        return {"currentTime": iso_ms(now), "triggerTime": "0" if due is None else iso_ms(due)}

    def fire_dead_man(self, now: datetime) -> None:
        """Cancel every order and trigger if the dead man's switch is due."""
        due = self.state.dead_man_at
        if due is not None and now >= due:
            self.state.dead_man_at = None
            for target in self.state.working():
                self.cancel_working(target, now, "dead_man_switch")

    def order_statuses(self, order_ids: list[str], cli_ord_ids: list[str], now: datetime) -> list[dict[str, Any]]:
        """Return ``orders/status``: open orders and triggers, and those that left the book in the last 5 s."""
        if not order_ids and not cli_ord_ids:
            return [self._status_of(target, now) for target in self.state.working()]
        found: list[dict[str, Any]] = []
        for order_id in order_ids:
            found += self._statuses(now, "order_id", order_id)
        for cli_ord_id in cli_ord_ids:
            found += self._statuses(now, "cli_ord_id", cli_ord_id)
        return found

    def _statuses(self, now: datetime, attribute: str, wanted: str) -> list[dict[str, Any]]:
        """Return the status of the order or trigger whose ``attribute`` is ``wanted`` (none if unknown)."""
        working = [target for target in self.state.working() if getattr(target, attribute) == wanted]
        if working:
            return [self._status_of(working[0], now)]
        recent = [
            closed
            for closed in self.state.closed.values()
            if getattr(closed.order, attribute) == wanted and now - closed.time <= STATUS_MEMORY
        ]
        return [_closed_json(closed) for closed in recent[-1:]]

    @staticmethod
    def _status_of(target: Order | Trigger, now: datetime) -> dict[str, Any]:
        """Return the ``orders/status`` entry of a working order or trigger."""
        if isinstance(target, Trigger):
            return {"order": target.cached_json(), "status": "TRIGGER_PLACED", "updateReason": None, "error": None}
        return {"order": target.cached_json(), "status": "ENTERED_BOOK", "updateReason": target.reason, "error": None}


def _closed_json(closed: Closed) -> dict[str, Any]:
    """Return the ``orders/status`` entry of an order or trigger that left the book."""
    return {
        "order": closed.order.cached_json(),
        "status": closed.status,
        "updateReason": closed.reason,
        "error": closed.error,
    }
