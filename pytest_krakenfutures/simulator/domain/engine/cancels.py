"""Cancels: one order, all orders, the dead man's switch, and ``orders/status``."""

from __future__ import annotations

from datetime import datetime, timedelta

from ...errors import MISSING, Refused
from ..order_events import CancelEvent, OrderEvent, TriggerCancelEvent
from ..orders import Order
from ..records.journal_events import OrderCancelled, TriggerCancelled
from ..statuses import CancelAllStatus, CancelledOrder, CancelStatus, OrderStatus, SwitchStatus
from ..triggers import Trigger
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

    def cancel_working(self, target: Order | Trigger, now: datetime, reason: str) -> OrderEvent:
        """Take a resting order or waiting trigger off the book, journal why, and return its cancel event."""
        state = self.state
        if isinstance(target, Trigger):
            trigger = target.snapshot()
            state.closed[target.order_id] = Closed(trigger, "CANCELLED", now, reason.upper())
            del state.triggers[target.order_id]
            state.journal.append(now, TriggerCancelled(trigger, reason))
            return TriggerCancelEvent(trigger)
        order = target.snapshot()
        state.closed[target.order_id] = Closed(order, "CANCELLED", now, reason.upper())
        del state.orders[target.order_id]
        state.journal.append(now, OrderCancelled(order, reason))
        return CancelEvent(order)

    def cancel_all(self, symbol: str | None, now: datetime) -> CancelAllStatus:
        """Process a ``cancelallorders`` (all contracts, or one)."""
        wanted = None if symbol is None else symbol.strip().upper()
        status = CancelAllStatus(now, symbol)
        for target in [o for o in self.state.working() if wanted is None or o.symbol == wanted]:
            status.events.append(self.cancel_working(target, now, "cancelled_by_user"))
            status.cancelled.append(CancelledOrder(target.order_id, target.cli_ord_id))
        return status

    def cancel_all_after(self, timeout: int, now: datetime) -> SwitchStatus:
        """Arm (or with 0 disarm) the dead man's switch."""
        due = None if timeout == 0 else now + timedelta(seconds=timeout)
        self.state.dead_man_at = due
        return SwitchStatus(now, due)

    def fire_dead_man(self, now: datetime) -> None:
        """Cancel every order and trigger if the dead man's switch is due."""
        due = self.state.dead_man_at
        if due is not None and now >= due:
            self.state.dead_man_at = None
            for target in self.state.working():
                self.cancel_working(target, now, "dead_man_switch")

    def order_statuses(self, order_ids: list[str], cli_ord_ids: list[str], now: datetime) -> list[OrderStatus]:
        """Return ``orders/status``: open orders and triggers, and those that left the book in the last 5 s."""
        if not order_ids and not cli_ord_ids:
            return [self._status_of(target) for target in self.state.working()]
        found: list[OrderStatus] = []
        for order_id in order_ids:
            found += self._statuses(now, "order_id", order_id)
        for cli_ord_id in cli_ord_ids:
            found += self._statuses(now, "cli_ord_id", cli_ord_id)
        return found

    def _statuses(self, now: datetime, attribute: str, wanted: str) -> list[OrderStatus]:
        """Return the status of the order or trigger whose ``attribute`` is ``wanted`` (none if unknown)."""
        working = [target for target in self.state.working() if getattr(target, attribute) == wanted]
        if working:
            return [self._status_of(working[0])]
        recent = [
            closed
            for closed in self.state.closed.values()
            if getattr(closed.order, attribute) == wanted and now - closed.time <= STATUS_MEMORY
        ]
        return [OrderStatus(closed.order, closed.status, closed.reason, closed.error) for closed in recent[-1:]]

    @staticmethod
    def _status_of(target: Order | Trigger) -> OrderStatus:
        """Return the ``orders/status`` entry of a working order or trigger."""
        if isinstance(target, Trigger):
            return OrderStatus(target.snapshot(), "TRIGGER_PLACED", None, None)
        return OrderStatus(target.snapshot(), "ENTERED_BOOK", target.reason, None)
