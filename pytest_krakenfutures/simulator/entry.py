"""Order entry: every check behind a sendorder status, then execution against the book."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from . import journal
from .account import ZERO, notional, pnl
from .clock import iso_ms
from .engine_state import (
    MARKET_PROTECTION,
    MAX_CLIENT_ID_LENGTH,
    MAX_OPEN_ORDERS,
    MAX_SMALL_ORDERS,
    PRICE_COLLAR,
    SMALL_ORDER_NOTIONAL,
    EngineState,
    is_multiple,
    would_not_reduce,
)
from .market import Contract, round_to_tick
from .orders import Order, reject_event
from .params import OrderRequest
from .triggers import MAX_DEVIATION, MIN_DEVIATION


class Entry(EngineState):
    """``sendorder``: refusals before the book, checks against the market, execution."""

    def send_order(self, request: OrderRequest, now: datetime) -> dict[str, Any]:
        """Process a ``sendorder`` and return its ``sendStatus``."""
        with self.lock:
            contract = self._require_contract(request.symbol)
            order_id = self.ids.uuid()
            refusal = self._refusal(contract, request, now)
            events: list[dict[str, Any]] = []
            if refusal:
                outcome = refusal
            elif request.is_trigger:
                outcome, events = self._place_trigger(contract, request, order_id, now)
            else:
                outcome, events = self._execute(contract, request, order_id, now)
            status: dict[str, Any] = {"status": outcome, "order_id": order_id, "receivedTime": iso_ms(now)}
            if request.cli_ord_id is not None:
                status["cliOrdId"] = request.cli_ord_id
            status["orderEvents"] = events
            self.run_triggers(now)
            return status

    def _refusal(self, contract: Contract, request: OrderRequest, now: datetime) -> str | None:
        """Return the status of an order refused before it reaches the book, or ``None``."""
        if request.process_before is not None and now > request.process_before:
            return "wouldProcessAfterSpecifiedTime"
        state = self.states[contract.symbol].state
        if state == "suspended":
            return "marketSuspended"
        if state == "inactive":
            return "marketInactive"
        if state == "post_only" and request.order_type != "post":
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
        position = self.account.signed_position(contract.symbol)
        if request.reduce_only and would_not_reduce(position, request.side):
            return "wouldNotReducePosition"
        resting = [o for o in self.working() if o.symbol == contract.symbol]
        if len(resting) >= MAX_OPEN_ORDERS:
            return "tooManyOrders"
        price = request.limit_price or request.stop_price or contract.mark_price
        if self._too_many_small(contract, request.size, price):
            return "tooManySmallOrders"
        if not request.reduce_only:
            grown = abs(position + (request.size if request.side == "buy" else -request.size))
            if grown > contract.max_position_size:
                return "maxPositionViolation"
            if self._leverage_too_high(contract, grown, price):
                return "fixedLeverageTooHigh"
        return None

    def _too_many_small(self, contract: Contract, size: Decimal, price: Decimal, exclude: str = "") -> bool:
        """Whether a small order would exceed the contract's allowance of resting small orders."""
        if notional(contract, size, price) >= SMALL_ORDER_NOTIONAL:
            return False
        small = [
            o
            for o in self.working()
            if o.symbol == contract.symbol
            and o.order_id != exclude
            and notional(contract, o.quantity, self._price_of(o)) < SMALL_ORDER_NOTIONAL
        ]
        return len(small) >= MAX_SMALL_ORDERS

    def _client_id_refusal(self, cli_ord_id: str) -> str | None:
        if len(cli_ord_id) > MAX_CLIENT_ID_LENGTH:
            return "clientOrderIdTooBig"
        if not cli_ord_id.isascii() or not cli_ord_id.isprintable():
            return "clientOrderIdInvalid"
        if any(o.cli_ord_id == cli_ord_id for o in self.working()):
            return "clientOrderIdAlreadyExist"
        return None

    def _leverage_too_high(self, contract: Contract, size: Decimal, price: Decimal) -> bool:
        """Whether an isolated contract's fixed leverage exceeds what its margin tier allows at this size."""
        from .backoffice import back_office  # the back office module imports the exchange

        leverage = back_office(self).settings.max_leverage.get(contract.symbol)  # type: ignore[arg-type]
        if leverage is None:
            return False
        value = notional(contract, size, price)
        tier = [level for level in contract.margin_levels if value >= level.threshold][-1]
        return leverage > 1 / tier.initial

    def _limit_price(self, contract: Contract, request: OrderRequest) -> Decimal:
        """Return the order's limit, or for ``mkt`` the protected worst price around mark."""
        if request.limit_price is not None:
            return request.limit_price
        if request.side == "buy":
            return round_to_tick(contract.mark_price * (1 + MARKET_PROTECTION), contract.tick_size, ROUND_FLOOR)
        return round_to_tick(contract.mark_price * (1 - MARKET_PROTECTION), contract.tick_size, ROUND_CEILING)

    def _execute(
        self, contract: Contract, request: OrderRequest, order_id: str, now: datetime, reason: str = "NEW_USER_ORDER"
    ) -> tuple[str, list[dict[str, Any]]]:
        """Check the order against the market and the account, then fill it and rest or drop the remainder."""
        position = self.account.signed_position(contract.symbol)
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
        refusal = self._market_refusal(contract, order, position)
        if refusal == "postWouldExecute":
            self._reject(order, now, "POST_WOULD_EXECUTE")
            return refusal, [reject_event(order, "POST_WOULD_EXECUTE")]
        if refusal:
            return refusal, []
        crossing = self._crossing(order)
        book = self.books[contract.symbol]
        available = sum((amount for _, amount in book.fillable(order.side, order.limit_price)), ZERO)
        if order.type == "fok" and available < order.quantity:
            self._reject(order, now, "IOC_WOULD_NOT_EXECUTE")
            return "iocWouldNotExecute", [reject_event(order, "IOC_WOULD_NOT_EXECUTE")]
        fills = book.take(order.side, order.quantity, order.limit_price) if crossing else []
        if not fills and order.type in ("ioc", "fok"):
            self._reject(order, now, "IOC_WOULD_NOT_EXECUTE")
            return "iocWouldNotExecute", [reject_event(order, "IOC_WOULD_NOT_EXECUTE")]
        self.journal.append(now, journal.ORDER_PLACED, order=order.order_json(), reason=reason.lower())
        return "placed", self.fill_and_rest(contract, order, fills, now, reduced)

    def _market_refusal(self, contract: Contract, order: Order, position: Decimal) -> str | None:
        """Return why an order (new, triggered or edited) may not meet the market, or ``None``."""
        crossing = self._crossing(order)
        if order.type == "post" and crossing:
            return "postWouldExecute"
        mark = contract.mark_price
        if crossing and (
            (order.side == "buy" and order.limit_price > mark * PRICE_COLLAR)
            or (order.side == "sell" and order.limit_price * PRICE_COLLAR < mark)
        ):
            return "outsidePriceCollar"
        dislocation = self.states[contract.symbol].dislocation
        if crossing and dislocation == ("ABOVE_UPPER_BOUND" if order.side == "buy" else "BELOW_LOWER_BOUND"):
            return "wouldIncreasePriceDislocation"
        if self._margin_needed(contract, order, position) > self._available_margin(contract):
            return "insufficientAvailableFunds"
        if crossing and self._would_self_fill(order):
            return "selfFill"
        if crossing and not contract.inverse and self._would_liquidate(contract, order, position):
            return "wouldCauseLiquidation"
        return None

    def _would_liquidate(self, contract: Contract, order: Order, position: Decimal) -> bool:
        """Whether the order's fills, valued at mark, would leave equity below maintenance margin."""
        fills = self.books[contract.symbol].fillable(order.side, order.limit_price)
        remaining, loss = order.unfilled, ZERO
        direction = Decimal(1) if order.side == "buy" else Decimal(-1)
        for price, amount in fills:
            taken = min(remaining, amount)
            loss -= pnl(contract, direction * taken, price, contract.mark_price)
            remaining -= taken
            if remaining <= 0:
                break
        filled = order.unfilled - remaining
        figures = self.account.margins(self.contracts, self.orders.values())
        after = abs(position + direction * filled)
        maintenance = notional(contract, after, contract.mark_price) * contract.maintenance_margin_rate
        others = (
            figures["maintenanceMargin"]
            - notional(contract, abs(position), contract.mark_price) * contract.maintenance_margin_rate
        )
        return figures["portfolioValue"] - loss < maintenance + others
