"""The checks behind an order's refusals: before it reaches the book, and as it meets the market."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..account.account import ZERO, notional, pnl
from ..account.account_settings import AccountSettings
from ..market.market import Contract
from ..order_requests import OrderRequest
from ..orders import Order
from ..triggers import MAX_DEVIATION, MIN_DEVIATION
from .engine_state import (
    MAX_CLIENT_ID_LENGTH,
    MAX_OPEN_ORDERS,
    MAX_SMALL_ORDERS,
    PRICE_COLLAR,
    SMALL_ORDER_NOTIONAL,
    EngineState,
    is_multiple,
    would_not_reduce,
)


class OrderChecks:
    """Decide whether an order is refused, and with which status: new orders, triggered ones and edits."""

    def __init__(self, state: EngineState, settings: AccountSettings) -> None:
        self.state = state
        self.settings = settings

    def refusal(self, contract: Contract, request: OrderRequest, now: datetime) -> str | None:
        """Return the status of an order refused before it reaches the book, or ``None``."""
        if request.process_before is not None and now > request.process_before:
            return "wouldProcessAfterSpecifiedTime"
        market = self.state.states[contract.symbol].state
        if market == "suspended":
            return "marketSuspended"
        if market == "inactive":
            return "marketInactive"
        if market == "post_only" and request.order_type != "post":
            return "marketIsPostOnly"
        if request.cli_ord_id is not None:
            refusal = self._client_id_refusal(request.cli_ord_id)
            if refusal:
                return refusal
        if request.size <= 0 or not is_multiple(request.size, contract.size_step):
            return "invalidSize"
        for price in (request.limit_price, request.stop_price):
            if price is not None and (price <= 0 or not is_multiple(price, contract.tick_size)):
                return "invalidPrice"
        deviation = request.max_deviation
        if deviation is not None and not MIN_DEVIATION <= deviation <= MAX_DEVIATION:
            return "invalidPrice"
        position = self.state.account.signed_position(contract.symbol)
        if request.reduce_only and would_not_reduce(position, request.side):
            return "wouldNotReducePosition"
        resting = [o for o in self.state.working() if o.symbol == contract.symbol]
        if len(resting) >= MAX_OPEN_ORDERS:
            return "tooManyOrders"
        price = request.limit_price or request.stop_price or contract.mark_price
        if self.too_many_small(contract, request.size, price):
            return "tooManySmallOrders"
        if not request.reduce_only:
            grown = abs(position + (request.size if request.side == "buy" else -request.size))
            if grown > contract.max_position_size:
                return "maxPositionViolation"
            if self._leverage_too_high(contract, grown, price):
                return "fixedLeverageTooHigh"
        return None

    def too_many_small(self, contract: Contract, size: Decimal, price: Decimal, exclude: str = "") -> bool:
        """Whether a small order would exceed the contract's allowance of resting small orders."""
        if notional(contract, size, price) >= SMALL_ORDER_NOTIONAL:
            return False
        small = [
            o
            for o in self.state.working()
            if o.symbol == contract.symbol
            and o.order_id != exclude
            and notional(contract, o.quantity, self.state.price_of(o)) < SMALL_ORDER_NOTIONAL
        ]
        return len(small) >= MAX_SMALL_ORDERS

    def _client_id_refusal(self, cli_ord_id: str) -> str | None:
        """Return why a client order id is refused (too long, not printable ASCII, in use), or ``None``."""
        if len(cli_ord_id) > MAX_CLIENT_ID_LENGTH:
            return "clientOrderIdTooBig"
        if not cli_ord_id.isascii() or not cli_ord_id.isprintable():
            return "clientOrderIdInvalid"
        if any(o.cli_ord_id == cli_ord_id for o in self.state.working()):
            return "clientOrderIdAlreadyExist"
        return None

    def _leverage_too_high(self, contract: Contract, size: Decimal, price: Decimal) -> bool:
        """Whether an isolated contract's fixed leverage exceeds what its margin tier allows at this size."""
        leverage = self.settings.max_leverage.get(contract.symbol)
        if leverage is None:
            return False
        value = notional(contract, size, price)
        tier = [level for level in contract.margin_levels if value >= level.threshold][-1]
        return leverage > 1 / tier.initial

    def market_refusal(self, contract: Contract, order: Order, position: Decimal) -> str | None:
        """Return why an order (new, triggered or edited) may not meet the market, or ``None``."""
        state = self.state
        crossing = state.crossing(order)
        if order.type == "post" and crossing:
            return "postWouldExecute"
        mark = contract.mark_price
        if crossing and (
            (order.side == "buy" and order.limit_price > mark * PRICE_COLLAR)
            or (order.side == "sell" and order.limit_price * PRICE_COLLAR < mark)
        ):
            return "outsidePriceCollar"
        dislocation = state.states[contract.symbol].dislocation
        if crossing and dislocation == ("ABOVE_UPPER_BOUND" if order.side == "buy" else "BELOW_LOWER_BOUND"):
            return "wouldIncreasePriceDislocation"
        if state._margin_needed(contract, order, position) > state._available_margin(contract):
            return "insufficientAvailableFunds"
        if crossing and state.would_self_fill(order):
            return "selfFill"
        if crossing and not contract.inverse and self._would_liquidate(contract, order, position):
            return "wouldCauseLiquidation"
        return None

    def _would_liquidate(self, contract: Contract, order: Order, position: Decimal) -> bool:
        """Whether the order's fills, valued at mark, would leave equity below maintenance margin."""
        fills = self.state.books[contract.symbol].fillable(order.side, order.limit_price)
        remaining, loss = order.unfilled, ZERO
        direction = Decimal(1) if order.side == "buy" else Decimal(-1)
        for price, amount in fills:
            taken = min(remaining, amount)
            loss -= pnl(contract, direction * taken, price, contract.mark_price)
            remaining -= taken
            if remaining <= 0:
                break
        filled = order.unfilled - remaining
        figures = self.state.account.flex_figures(self.state.contracts, self.state.orders.values())
        after = abs(position + direction * filled)
        maintenance = notional(contract, after, contract.mark_price) * contract.maintenance_margin_rate
        others = (
            figures.maintenance_margin
            - notional(contract, abs(position), contract.mark_price) * contract.maintenance_margin_rate
        )
        return figures.portfolio_value - loss < maintenance + others
