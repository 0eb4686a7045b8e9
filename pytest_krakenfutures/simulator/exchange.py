"""The simulated exchange: books, the account, orders and positions behind one lock."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from . import journal
from .account import TAKER_FEE, ZERO, Account, notional
from .book import Book, Level
from .clock import Clock, ClockSetting, iso_ms
from .envelope import ApiError
from .ids import IdSource
from .journal import Journal
from .market import CONTRACTS, INDICES, Contract, book_levels, number, round_to_tick
from .orders import Order, cancel_event, execution_event, place_event, reject_event
from .params import INVALID, MISSING, OrderRequest
from .tickers import MarketStats, index_ticker_json, market_ticker_json

#: Price protection of ``mkt`` orders: the worst fill price as a fraction away from mark.
MARKET_PROTECTION = Decimal("0.01")
MAX_CLIENT_ID_LENGTH = 100


@dataclass(frozen=True)
class Closed:
    """An order that left the book: as it was, its orders/status word, when, and the update reason."""

    order: Order
    status: str
    time: datetime
    reason: str


class Exchange:
    """All mutable state of the simulator, read and changed only under ``lock`` (re-entrant)."""

    def __init__(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        self.lock = threading.RLock()
        self.contracts: dict[str, Contract] = {c.symbol: c for c in CONTRACTS}
        self.reset(seed, clock)

    def reset(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        """Start over: fresh books, a freshly funded account, no orders, a restarted clock and id source."""
        with self.lock:
            self.clock = Clock(clock)
            self.ids = IdSource(seed)
            self.epoch = self.clock.peek()
            self.books = {symbol: Book(*book_levels(c)) for symbol, c in self.contracts.items()}
            self.stats = {symbol: MarketStats.reference(c, self.epoch) for symbol, c in self.contracts.items()}
            self.account = Account()
            self.orders: dict[str, Order] = {}
            self.filled: dict[str, Order] = {}
            self.closed: dict[str, Closed] = {}
            self.journal = Journal()
            self.dead_man_at: datetime | None = None

    def tick(self) -> datetime:
        """Return the time of a new request (a deterministic clock advances 1 ms); fire a due dead man's switch."""
        with self.lock:
            now = self.clock.tick()
            if self.dead_man_at is not None and now >= self.dead_man_at:
                self.dead_man_at = None
                for order in list(self.orders.values()):
                    self.cancel_resting(order, now, "dead_man_switch")
            return now

    def contract(self, symbol: str) -> Contract | None:
        """Return the contract with this symbol (any case), or ``None``."""
        return self.contracts.get(symbol.strip().upper())

    # -- market data -------------------------------------------------------------------------

    def instruments(self, contract_types: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Return the ``/instruments`` list, optionally only some contract types."""
        wanted = set(contract_types)
        return [c.instrument_json() for c in self.contracts.values() if not wanted or c.type in wanted]

    def tickers(self, contract_types: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Return the ``/tickers`` list: markets, then indices (indices only when not filtered)."""
        wanted = set(contract_types)
        with self.lock:
            tickers = [self._market_ticker(c) for c in self.contracts.values() if not wanted or c.type in wanted]
            if not wanted:
                tickers += [index_ticker_json(index, self.epoch) for index in INDICES]
            return tickers

    def ticker(self, symbol: str) -> dict[str, Any]:
        """Return one ticker by symbol (any case); an unknown symbol is a 404 ``notFound``."""
        with self.lock:
            contract = self.contract(symbol)
            if contract is not None:
                return self._market_ticker(contract)
            for index in INDICES:
                if index.symbol == symbol.strip().lower():
                    return index_ticker_json(index, self.epoch)
        raise ApiError("notFound", 404)

    def order_book(self, symbol: str | None) -> dict[str, Any]:
        """Return the whole non-cumulative book of a contract, own resting orders included."""
        if symbol is None:
            raise ApiError(MISSING)
        with self.lock:
            contract = self._require_contract(symbol)
            bids, asks = self._merged_levels(contract.symbol)
            return {
                "bids": [[number(price), number(size)] for price, size in bids],
                "asks": [[number(price), number(size)] for price, size in asks],
            }

    # -- account -----------------------------------------------------------------------------

    def accounts(self) -> dict[str, Any]:
        """Return the ``accounts`` object."""
        with self.lock:
            return self.account.accounts_json(self.contracts, self.orders.values())

    def open_orders(self) -> list[dict[str, Any]]:
        """Return the ``openOrders`` list, newest first."""
        with self.lock:
            ordered = sorted(self.orders.values(), key=lambda o: o.received, reverse=True)
            return [order.open_order_json() for order in ordered]

    def open_positions(self) -> list[dict[str, Any]]:
        """Return the ``openPositions`` list, newest first."""
        with self.lock:
            return self.account.positions_json(self.contracts)

    # -- trading -----------------------------------------------------------------------------

    def send_order(self, request: OrderRequest, now: datetime) -> dict[str, Any]:
        """Process a ``sendorder`` and return its ``sendStatus``."""
        with self.lock:
            contract = self._require_contract(request.symbol)
            order_id = self.ids.uuid()
            refusal = self._refusal(contract, request, now)
            outcome, events = (refusal, []) if refusal else self._execute(contract, request, order_id, now)
            status: dict[str, Any] = {"status": outcome, "order_id": order_id, "receivedTime": iso_ms(now)}
            if request.cli_ord_id is not None:
                status["cliOrdId"] = request.cli_ord_id
            status["orderEvents"] = events
            return status

    def cancel_order(self, order_id: str | None, cli_ord_id: str | None, now: datetime) -> dict[str, Any]:
        """Process a ``cancelorder`` by order id or client order id and return its ``cancelStatus``."""
        if order_id is None and cli_ord_id is None:
            raise ApiError(MISSING)
        with self.lock:
            received = iso_ms(now)
            order = self._find(self.orders, order_id, cli_ord_id)
            if order is not None:
                self.cancel_resting(order, now, "cancelled_by_user")
                status: dict[str, Any] = {"status": "cancelled", "order_id": order.order_id}
                if order.cli_ord_id is not None:
                    status["cliOrdId"] = order.cli_ord_id
                status.update({"receivedTime": received, "orderEvents": [cancel_event(order)]})
                return status
            order = self._find(self.filled, order_id, cli_ord_id)
            if order is not None:
                return {"status": "filled", "order_id": order.order_id, "receivedTime": received}
            return {"status": "notFound", "receivedTime": received}

    def cancel_resting(self, order: Order, now: datetime, reason: str) -> None:
        """Take a resting order off the book and journal why."""
        del self.orders[order.order_id]
        self.journal.append(now, journal.ORDER_CANCELLED, order=order.order_json(), reason=reason)
        self.closed[order.order_id] = Closed(order, "CANCELLED", now, reason.upper())

    def book_fill(self, contract: Contract, order: Order, price: Decimal, amount: Decimal, now: datetime) -> None:
        """Book one fill of the account's taker order: balances, position, statistics and the journal."""
        old_usd = self.account.usd
        old_position = self.account.positions.get(contract.symbol)
        old_size = old_position.size if old_position else ZERO
        old_price = old_position.price if old_position else None
        before = order.order_json()
        order.filled += amount
        order.last_update = now
        self.account.apply_fill(contract, order.side, amount, price, now)
        self.stats[contract.symbol].record(contract, price, amount, now)
        fee = notional(contract, amount, price) * TAKER_FEE
        realized = self.account.usd - old_usd + fee
        new_position = self.account.positions.get(contract.symbol)
        new_size = new_position.size if new_position else ZERO
        execution_id = self.ids.uuid()
        self.last_execution_id = execution_id
        self.journal.append(
            now,
            journal.EXECUTION,
            execution_id=execution_id,
            symbol=contract.symbol,
            price=str(price),
            quantity=str(amount),
            mark_price=str(contract.mark_price),
            taker_order=order.order_json(),
            maker_order=None,
            fee=str(fee),
            fee_currency="USD",
            fill_type="taker",
            position_size=str(new_size),
        )
        reason = "full_fill" if order.unfilled == 0 else "partial_fill"
        self.journal.append(now, journal.ORDER_UPDATED, old_order=before, new_order=order.order_json(), reason=reason)
        self.journal.append(
            now,
            journal.POSITION,
            symbol=contract.symbol,
            old_position=str(old_size),
            new_position=str(new_size),
            old_average_price=None if old_price is None else str(old_price),
            new_average_price=str(new_position.price) if new_position else None,
            realized_pnl=str(realized),
            fee=str(fee),
            update_reason="trade",
            execution_id=execution_id,
        )
        self.journal.append(
            now,
            journal.LEDGER,
            asset="usd",
            info="futures trade",
            contract=contract.symbol,
            margin_account="flex",
            change=str(self.account.usd - old_usd),
            old_balance=str(old_usd),
            new_balance=str(self.account.usd),
            fee=str(fee),
            realized_pnl=str(realized),
            trade_price=str(price),
            mark_price=str(contract.mark_price),
            execution=execution_id,
            old_average_entry_price=None if old_price is None else str(old_price),
            new_average_entry_price=str(new_position.price) if new_position else None,
        )

    # -- internals ---------------------------------------------------------------------------

    def _require_contract(self, symbol: str) -> Contract:
        contract = self.contract(symbol)
        if contract is None:
            raise ApiError(INVALID)
        return contract

    def _market_ticker(self, contract: Contract) -> dict[str, Any]:
        bids, asks = self._merged_levels(contract.symbol)
        return market_ticker_json(
            contract, self.stats[contract.symbol], bids[0] if bids else None, asks[0] if asks else None
        )

    def _merged_levels(self, symbol: str) -> tuple[list[Level], list[Level]]:
        """Return the book's levels with the account's resting orders added in, best first."""
        bids, asks = self.books[symbol].levels()
        merged: dict[str, dict[Decimal, Decimal]] = {"buy": dict(bids), "sell": dict(asks)}
        for order in self.orders.values():
            if order.symbol == symbol:
                side = merged[order.side]
                side[order.limit_price] = side.get(order.limit_price, ZERO) + order.unfilled
        return (
            sorted(merged["buy"].items(), reverse=True),
            sorted(merged["sell"].items()),
        )

    @staticmethod
    def _find(orders: dict[str, Order], order_id: str | None, cli_ord_id: str | None) -> Order | None:
        if order_id is not None:
            return orders.get(order_id)
        return next((o for o in orders.values() if o.cli_ord_id == cli_ord_id), None)

    def _refusal(self, contract: Contract, request: OrderRequest, now: datetime) -> str | None:
        """Return the status of an order refused before it reaches the book, or ``None``."""
        if request.process_before is not None and now > request.process_before:
            return "wouldProcessAfterSpecifiedTime"
        if request.cli_ord_id is not None:
            if len(request.cli_ord_id) > MAX_CLIENT_ID_LENGTH:
                return "clientOrderIdTooBig"
            if any(o.cli_ord_id == request.cli_ord_id for o in self.orders.values()):
                return "clientOrderIdAlreadyExist"
        if request.size <= 0 or not _multiple(request.size, contract.size_step):
            return "invalidSize"
        price = request.limit_price
        if price is not None and (price <= 0 or not _multiple(price, contract.tick_size)):
            return "invalidPrice"
        position = self.account.signed_position(contract.symbol)
        if request.reduce_only and (position == 0 or (position > 0) == (request.side == "buy")):
            return "wouldNotReducePosition"
        return None

    def _limit_price(self, contract: Contract, request: OrderRequest) -> Decimal:
        """Return the order's limit, or for ``mkt`` the protected worst price around mark."""
        if request.limit_price is not None:
            return request.limit_price
        if request.side == "buy":
            return round_to_tick(contract.mark_price * (1 + MARKET_PROTECTION), contract.tick_size, ROUND_FLOOR)
        return round_to_tick(contract.mark_price * (1 - MARKET_PROTECTION), contract.tick_size, ROUND_CEILING)

    def _execute(
        self, contract: Contract, request: OrderRequest, order_id: str, now: datetime
    ) -> tuple[str, list[dict[str, Any]]]:
        """Check margin and crossing, then fill against the book and rest or drop the remainder."""
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
        )
        crossing = self._crossing(order)
        if order.type == "post" and crossing:
            self._reject(order, now, "POST_WOULD_EXECUTE")
            return "postWouldExecute", [reject_event(order, "POST_WOULD_EXECUTE")]
        if self._margin_needed(contract, order, position) > self._available_margin():
            return "insufficientAvailableFunds", []
        if crossing and self._would_self_fill(order):
            return "selfFill", []
        book = self.books[contract.symbol]
        fills = book.take(order.side, order.quantity, order.limit_price) if crossing else []
        if not fills and order.type == "ioc":
            self._reject(order, now, "IOC_WOULD_NOT_EXECUTE")
            return "iocWouldNotExecute", [reject_event(order, "IOC_WOULD_NOT_EXECUTE")]
        self.journal.append(now, journal.ORDER_PLACED, order=order.order_json(), reason="new_user_order")
        return "placed", self.fill_and_rest(contract, order, fills, now, reduced)

    def fill_and_rest(
        self, contract: Contract, order: Order, fills: list[Level], now: datetime, reduced: Decimal | None
    ) -> list[dict[str, Any]]:
        """Book an order's fills, then rest what is left (an IOC's remainder is dropped); return the events."""
        events: list[dict[str, Any]] = []
        for price, amount in fills:
            prior = order.snapshot()
            self.book_fill(contract, order, price, amount, now)
            events.append(execution_event(self.last_execution_id, price, amount, prior, reduced))
        if order.unfilled == 0:
            self.filled[order.order_id] = order
            self.closed[order.order_id] = Closed(order, "FULLY_EXECUTED", now, "FULL_FILL")
        elif order.type != "ioc":
            self.orders[order.order_id] = order
            events.append(place_event(order, reduced))
        else:
            self.journal.append(now, journal.ORDER_CANCELLED, order=order.order_json(), reason="ioc_remainder")
            self.closed[order.order_id] = Closed(order, "CANCELLED", now, "IOC_WOULD_NOT_EXECUTE_REASON")
        return events

    def _reject(self, order: Order, now: datetime, error: str) -> None:
        self.journal.append(
            now, journal.ORDER_REJECTED, order=order.order_json(), reason=error.lower(), order_error=error
        )
        self.closed[order.order_id] = Closed(order, "REJECTED", now, f"{error}_REASON")

    def _crossing(self, order: Order) -> bool:
        """Whether an order's limit reaches the best opposite price (own resting orders included)."""
        bids, asks = self._merged_levels(order.symbol)
        opposite = asks if order.side == "buy" else bids
        if not opposite:
            return False
        best = opposite[0][0]
        return best <= order.limit_price if order.side == "buy" else best >= order.limit_price

    def _would_self_fill(self, order: Order) -> bool:
        """Whether the order would trade against one of the account's own resting orders."""

        def reaches(price: Decimal) -> bool:
            return price <= order.limit_price if order.side == "buy" else price >= order.limit_price

        own = [o.limit_price for o in self.orders.values() if o.symbol == order.symbol and o.side != order.side]
        own = [price for price in own if reaches(price)]
        if not own:
            return False
        first = min(own) if order.side == "buy" else max(own)
        ahead = self.books[order.symbol].fillable(order.side, first)
        return sum((size for _, size in ahead), ZERO) < order.quantity

    def _margin_needed(self, contract: Contract, order: Order, position: Decimal) -> Decimal:
        """Return the initial margin the part of an order that opens exposure needs."""
        if order.reduce_only:
            return ZERO
        opening = order.quantity
        if position != 0 and (position > 0) != (order.side == "buy"):
            opening = max(ZERO, opening - abs(position))
        return notional(contract, opening, order.limit_price) * contract.initial_margin_rate

    def _available_margin(self) -> Decimal:
        return self.account.margins(self.contracts, self.orders.values())["availableMargin"]


def _multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step`` (absurdly large values are not)."""
    try:
        return value % step == 0
    except InvalidOperation:
        return False
