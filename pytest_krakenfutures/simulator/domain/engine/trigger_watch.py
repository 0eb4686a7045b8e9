"""Trigger orders in the engine: placement, trailing, and activation when the market reaches them."""

from __future__ import annotations

from datetime import datetime

from ..market.market import Contract
from ..order_events import OrderOutcome, TriggerPlaceEvent
from ..order_requests import OrderRequest
from ..records.journal_events import TriggerActivated, TriggerPlaced
from ..triggers import Trigger, trailing_price
from .engine_state import Closed, EngineState, would_not_reduce

#: The OrderError a refused triggered order reports in ``orders/status``.
_ORDER_ERRORS = {
    "insufficientAvailableFunds": "INSUFFICIENT_MARGIN",
    "postWouldExecute": "POST_WOULD_EXECUTE",
    "iocWouldNotExecute": "IOC_WOULD_NOT_EXECUTE",
    "selfFill": "WOULD_EXECUTE_SELF",
    "outsidePriceCollar": "PRICE_COLLAR",
    "wouldIncreasePriceDislocation": "PRICE_DISLOCATION",
    "wouldCauseLiquidation": "WOULD_CAUSE_LIQUIDATION",
}


class TriggerWatch:
    """Place trigger orders, trail trailing stops, and turn those the market reaches into orders."""

    def __init__(self, state: EngineState) -> None:
        self.state = state

    def place(self, contract: Contract, request: OrderRequest, order_id: str, now: datetime) -> OrderOutcome:
        """Start watching a trigger order that passed its checks."""
        if request.order_type == "trailing_stop":
            reference = self.state.signal_price(contract, request.trigger_signal)
            price = trailing_price(
                request.side, reference, request.max_deviation, request.deviation_unit, contract.tick_size
            )
        else:
            assert request.stop_price is not None
            price = request.stop_price
        trigger = Trigger(
            order_id=order_id,
            cli_ord_id=request.cli_ord_id,
            type=request.order_type,
            symbol=contract.symbol,
            side=request.side,
            quantity=request.size,
            limit_price=request.limit_price,
            trigger_price=price,
            signal=request.trigger_signal,
            reduce_only=request.reduce_only,
            received=now,
            last_update=now,
            max_deviation=request.max_deviation,
            deviation_unit=request.deviation_unit,
        )
        self.state.triggers[order_id] = trigger
        snapshot = trigger.snapshot()
        self.state.journal.append(now, TriggerPlaced(snapshot, "new_user_order"))
        return OrderOutcome("placed", [TriggerPlaceEvent(snapshot)])

    def next_due(self, now: datetime) -> Trigger | None:
        """Trail trailing stops, oldest first, up to the first trigger whose signal price has reached it."""
        for trigger in sorted(self.state.triggers.values(), key=lambda t: (t.received, t.order_id)):
            contract = self.state.contracts[trigger.symbol]
            price = self.state.signal_price(contract, trigger.signal)
            if trigger.trail(price, contract.tick_size):
                trigger.last_update = now
            if trigger.fires(price):
                return trigger
        return None

    def activate(self, trigger: Trigger, now: datetime) -> OrderRequest | None:
        """Stop watching a reached trigger; return the order it sends (``None``: it cannot reduce, and fails)."""
        state = self.state
        del state.triggers[trigger.order_id]
        contract = state.contracts[trigger.symbol]
        snapshot = trigger.snapshot()
        triggered_price = state.signal_price(contract, trigger.signal)
        state.journal.append(now, TriggerActivated(snapshot, triggered_price, trigger.order_id))
        request = OrderRequest(
            order_type="lmt" if trigger.limit_price is not None else "mkt",
            symbol=trigger.symbol,
            side=trigger.side,
            size=trigger.quantity,
            limit_price=trigger.limit_price,
            cli_ord_id=trigger.cli_ord_id,
            reduce_only=trigger.reduce_only,
            process_before=None,
        )
        position = state.account.signed_position(contract.symbol)
        if trigger.reduce_only and would_not_reduce(position, trigger.side):
            state.closed[trigger.order_id] = Closed(
                snapshot, "TRIGGER_ACTIVATION_FAILURE", now, "STOP_ORDER_TRIGGERED", "WOULD_NOT_REDUCE_POSITION"
            )
            return None
        return request

    def settle(self, trigger: Trigger, outcome: OrderOutcome, now: datetime) -> None:
        """Record a triggered order the market refused as the trigger's activation failure."""
        if outcome.status != "placed" and trigger.order_id not in self.state.closed:
            error = _ORDER_ERRORS.get(outcome.status, "REJECTED_AFTER_EXECUTION")
            self.state.closed[trigger.order_id] = Closed(
                trigger.snapshot(), "TRIGGER_ACTIVATION_FAILURE", now, None, error
            )
