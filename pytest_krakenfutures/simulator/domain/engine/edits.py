"""``editorder``: edits of resting orders and triggers, with the checks behind every editStatus."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..order_events import EditEvent, OrderOutcome, RejectEvent, TriggerEditEvent
from ..order_requests import EditRequest
from ..orders import Order
from ..records.journal_events import OrderUpdated, TriggerUpdated
from ..statuses import EditStatus
from ..triggers import MAX_DEVIATION, MIN_DEVIATION, Trigger, trailing_price
from .checks import OrderChecks
from .engine_state import EngineState, is_multiple
from .fills import Fills

#: The reason of the REJECT event that answers an edit changing nothing.
EDIT_HAS_NO_EFFECT = "EDIT_HAS_NO_EFFECT"


class Edits:
    """Edit resting orders (which may then execute) and waiting triggers."""

    def __init__(self, state: EngineState, checks: OrderChecks, fills: Fills) -> None:
        self.state = state
        self.checks = checks
        self.fills = fills

    def edit_order(self, request: EditRequest, now: datetime) -> EditStatus:
        """Process an ``editorder``."""
        target = self.state.find(request.order_id, request.cli_ord_id)
        if request.process_before is not None and now > request.process_before:
            outcome = OrderOutcome("wouldProcessAfterSpecifiedTime")
        elif target is None:
            outcome = OrderOutcome("orderForEditNotFound")
        elif isinstance(target, Trigger):
            outcome = self._edit_trigger(target, request, now)
        else:
            outcome = self._edit_order(target, request, now)
        order_id = target.order_id if target is not None else request.order_id
        return EditStatus(order_id, now, request.cli_ord_id, outcome)

    def _edit_order(self, order: Order, request: EditRequest, now: datetime) -> OrderOutcome:
        """Edit a resting order's size or limit; an edit that now crosses the book trades."""
        state = self.state
        contract = state.contracts[order.symbol]
        if request.stop_price is not None or request.max_deviation is not None:
            return OrderOutcome("orderForEditNotAStop")
        quantity = order.quantity
        if request.size is not None:
            quantity = request.size if request.qty_mode == "ABSOLUTE" else order.filled + request.size
            if request.size <= 0 or not is_multiple(request.size, contract.size_step) or quantity <= order.filled:
                return OrderOutcome("invalidSize")
        limit = request.limit_price if request.limit_price is not None else order.limit_price
        if limit <= 0 or not is_multiple(limit, contract.tick_size):
            return OrderOutcome("invalidPrice")
        if quantity == order.quantity and limit == order.limit_price:
            return OrderOutcome("edited", [RejectEvent(order.snapshot(), EDIT_HAS_NO_EFFECT)])
        position = state.account.signed_position(contract.symbol)
        if order.reduce_only and quantity - order.filled > abs(position):
            return OrderOutcome("wouldNotReducePosition")
        if self.checks.too_many_small(contract, quantity - order.filled, limit, exclude=order.order_id):
            return OrderOutcome("tooManySmallOrders")
        old = order.snapshot()
        edited = replace(order, quantity=quantity, limit_price=limit, last_update=now)
        del state.orders[order.order_id]  # its own level and margin reservation are replaced by the edit
        try:
            refusal = self.checks.market_refusal(contract, edited, position)
        finally:
            state.orders[order.order_id] = order
        if refusal:
            return OrderOutcome(refusal)
        order.quantity, order.limit_price, order.last_update, order.reason = quantity, limit, now, "EDITED_BY_USER"
        new = order.snapshot()
        state.journal.append(now, OrderUpdated(old, new, "edited_by_user"))
        if self._crossing_without(order):
            fills = state.books[contract.symbol].take(order.side, order.unfilled, order.limit_price)
            if fills:
                # Kraken answers an edit that trades with the executions alone, and their outcome.
                executions = self.fills.fill_and_rest(contract, order, fills, now, None, prior_edit=old)
                return OrderOutcome("filled" if order.unfilled == 0 else "partiallyFilled", executions)
        return OrderOutcome("edited", [EditEvent(old, new, None)])

    def _crossing_without(self, order: Order) -> bool:
        """Whether a resting order now crosses the book (its own level left out)."""
        del self.state.orders[order.order_id]
        try:
            return self.state.crossing(order)
        finally:
            self.state.orders[order.order_id] = order

    def _edit_trigger(self, trigger: Trigger, request: EditRequest, now: datetime) -> OrderOutcome:
        """Edit a waiting trigger's size, prices or trailing distance."""
        contract = self.state.contracts[trigger.symbol]
        if trigger.trailing and request.stop_price is not None:
            return OrderOutcome("cannotEditTriggerPriceOfTrailingStop")
        if trigger.trailing and request.limit_price is not None:
            return OrderOutcome("cannotEditLimitPriceOfTrailingStop")
        quantity = trigger.quantity
        if request.size is not None:
            quantity = request.size
            if quantity <= 0 or not is_multiple(quantity, contract.size_step):
                return OrderOutcome("invalidSize")
        for price in (request.stop_price, request.limit_price):
            if price is not None and (price <= 0 or not is_multiple(price, contract.tick_size)):
                return OrderOutcome("invalidPrice")
        deviation = request.max_deviation
        if deviation is not None and not MIN_DEVIATION <= deviation <= MAX_DEVIATION:
            return OrderOutcome("invalidPrice")
        old = trigger.snapshot()
        trigger.quantity, trigger.last_update = quantity, now
        if request.limit_price is not None:
            trigger.limit_price = request.limit_price
        if request.stop_price is not None:
            trigger.trigger_price = request.stop_price
        if trigger.trailing and (deviation is not None or request.deviation_unit is not None):
            trigger.max_deviation = deviation or trigger.max_deviation
            trigger.deviation_unit = request.deviation_unit or trigger.deviation_unit
            reference = self.state.signal_price(contract, trigger.signal)
            trigger.trigger_price = trailing_price(
                trigger.side, reference, trigger.max_deviation, trigger.deviation_unit, contract.tick_size
            )
        new = trigger.snapshot()
        self.state.journal.append(now, TriggerUpdated(old, new, "edited_by_user"))
        return OrderOutcome("edited", [TriggerEditEvent(old, new)])
