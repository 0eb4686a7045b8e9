"""Order execution: a new or triggered order that passed its checks meets the book."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..account.account import ZERO
from ..market.market import Contract, round_to_tick
from ..order_events import OrderOutcome
from ..order_requests import OrderRequest
from ..orders import Order
from ..records.journal_events import OrderPlaced
from .checks import OrderChecks
from .engine_state import MARKET_PROTECTION, EngineState
from .fills import Fills


class OrderEntry:
    """Turn a checked request into an order, check it against the market, then fill it and rest the remainder."""

    def __init__(self, state: EngineState, checks: OrderChecks, fills: Fills) -> None:
        self.state = state
        self.checks = checks
        self.fills = fills

    def execute(
        self, contract: Contract, request: OrderRequest, order_id: str, now: datetime, reason: str = "NEW_USER_ORDER"
    ) -> OrderOutcome:
        """Check the order against the market and the account, then fill it and rest or drop the remainder."""
        state = self.state
        position = state.account.signed_position(contract.symbol)
        size = request.size
        reduced: Decimal | None = None
        if request.reduce_only:
            reduced = max(ZERO, size - abs(position))
            size -= reduced
        order = Order(
            order_id=order_id,
            cli_ord_id=request.cli_ord_id,
            type="ioc" if request.order_type == "mkt" else request.order_type,
            symbol=contract.symbol,
            side=request.side,
            quantity=size,
            limit_price=self._limit_price(contract, request),
            reduce_only=request.reduce_only,
            received=now,
            last_update=now,
            reason=reason,
        )
        refusal = self.checks.market_refusal(contract, order, position)
        if refusal == "postWouldExecute":
            return OrderOutcome(refusal, [self.fills.reject(order, now, "POST_WOULD_EXECUTE")])
        if refusal:
            return OrderOutcome(refusal)
        crossing = state.crossing(order)
        book = state.books[contract.symbol]
        available = sum((amount for _, amount in book.fillable(order.side, order.limit_price)), ZERO)
        if order.type == "fok" and available < order.quantity:
            return OrderOutcome("iocWouldNotExecute", [self.fills.reject(order, now, "IOC_WOULD_NOT_EXECUTE")])
        fills = book.take(order.side, order.quantity, order.limit_price) if crossing else []
        if not fills and order.type in ("ioc", "fok"):
            return OrderOutcome("iocWouldNotExecute", [self.fills.reject(order, now, "IOC_WOULD_NOT_EXECUTE")])
        state.journal.append(now, OrderPlaced(order.snapshot(), reason.lower()))
        return OrderOutcome("placed", self.fills.fill_and_rest(contract, order, fills, now, reduced))

    @staticmethod
    def _limit_price(contract: Contract, request: OrderRequest) -> Decimal:
        """Return the order's limit, or for ``mkt`` the protected worst price around mark."""
        if request.limit_price is not None:
            return request.limit_price
        if request.side == "buy":
            return round_to_tick(contract.mark_price * (1 + MARKET_PROTECTION), contract.tick_size, ROUND_FLOOR)
        return round_to_tick(contract.mark_price * (1 - MARKET_PROTECTION), contract.tick_size, ROUND_CEILING)
