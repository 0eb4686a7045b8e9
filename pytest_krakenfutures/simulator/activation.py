"""Trigger orders in the engine: placement, trailing, and activation into orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from . import journal
from .engine_state import Closed, EngineState, would_not_reduce
from .market import Contract
from .params import OrderRequest
from .triggers import Trigger, trailing_price, trigger_event


class Triggers(EngineState):
    """Place trigger orders, trail trailing stops, and activate those the market reaches."""

    def signal_price(self, contract: Contract, signal: str) -> Decimal:
        """Return the price a trigger watches: mark, last trade or the underlying index."""
        if signal == "last":
            return self.stats[contract.symbol].last
        if signal == "index":
            return self.index_prices[contract.index_symbol]
        return contract.mark_price

    def _place_trigger(
        self, contract: Contract, request: OrderRequest, order_id: str, now: datetime
    ) -> tuple[str, list[dict[str, Any]]]:
        if request.order_type == "trailing_stop":
            reference = self.signal_price(contract, request.trigger_signal)
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
        self.triggers[order_id] = trigger
        self.journal.append(now, journal.TRIGGER_PLACED, order=trigger.trigger_json(), reason="new_user_order")
        return "placed", [trigger_event("PLACE", trigger)]

    def run_triggers(self, now: datetime) -> None:
        """Trail trailing stops and activate every trigger whose signal price has reached it."""
        for _ in range(len(self.triggers) + 1):
            due = None
            for trigger in sorted(self.triggers.values(), key=lambda t: (t.received, t.order_id)):
                contract = self.contracts[trigger.symbol]
                price = self.signal_price(contract, trigger.signal)
                if trigger.trail(price, contract.tick_size):
                    trigger.last_update = now
                if trigger.fires(price):
                    due = trigger
                    break
            if due is None:
                return
            self._activate(due, now)

    def _activate(self, trigger: Trigger, now: datetime) -> None:
        """Turn a reached trigger into its limit (or market) order and send it to the book."""
        del self.triggers[trigger.order_id]
        contract = self.contracts[trigger.symbol]
        self.journal.append(
            now,
            journal.TRIGGER_ACTIVATED,
            order=trigger.trigger_json(),
            triggered_price=str(self.signal_price(contract, trigger.signal)),
            resulting_order_id=trigger.order_id,
        )
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
        position = self.account.signed_position(contract.symbol)
        if trigger.reduce_only and would_not_reduce(position, trigger.side):
            self.closed[trigger.order_id] = Closed(
                trigger, "TRIGGER_ACTIVATION_FAILURE", now, "STOP_ORDER_TRIGGERED", "WOULD_NOT_REDUCE_POSITION"
            )
            return
        outcome, _ = self._execute(contract, request, trigger.order_id, now, reason="STOP_ORDER_TRIGGERED")
        if outcome != "placed" and trigger.order_id not in self.closed:
            error = _ORDER_ERRORS.get(outcome, "REJECTED_AFTER_EXECUTION")
            self.closed[trigger.order_id] = Closed(trigger, "TRIGGER_ACTIVATION_FAILURE", now, None, error)


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
