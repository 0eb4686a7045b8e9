"""The order engine's state and shared checks: limits, market states, books, margin and lookups.

The constants here decide the refusals the engine answers with, so tests and the README can name them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .account import ZERO, Account, margin_account_of, notional
from .book import Book, Level
from .bounded import Latest, Recent
from .errors import INVALID, Refused
from .ids import IdSource
from .journal import Journal
from .market import Contract
from .orders import Order
from .params import OrderRequest
from .tickers import MarketStats
from .triggers import Trigger

#: Price protection of ``mkt`` orders: the worst fill price as a fraction away from mark.
MARKET_PROTECTION = Decimal("0.01")
MAX_CLIENT_ID_LENGTH = 100
#: Open orders and triggers allowed per contract (``tooManyOrders`` beyond).
MAX_OPEN_ORDERS = 100
#: Orders below this USD notional are small; at most ``MAX_SMALL_ORDERS`` rest per contract.
SMALL_ORDER_NOTIONAL = Decimal(10)
MAX_SMALL_ORDERS = 10
#: Fat-finger control: a crossing limit above mark x this, or below mark / this, is ``outsidePriceCollar``.
PRICE_COLLAR = Decimal(2)
#: How long ``orders/status`` still reports an order after it left the book.
STATUS_MEMORY = timedelta(seconds=5)
#: Funding is realised on perpetual positions once per period, for at most a week of periods at once.
FUNDING_PERIOD = timedelta(hours=1)
MAX_FUNDING_PERIODS = 24 * 7
FUNDING_QUANTUM = Decimal("1e-12")
#: Fill types of the account's fills (Kraken's ``fillType``).
TAKER, TAKER_AFTER_EDIT, MAKER, LIQUIDATION = "taker", "takerAfterEdit", "maker", "liquidation"
#: The liquidation fee, as a fraction of the liquidated notional.
LIQUIDATION_FEE = Decimal("0.0075")
#: Market states the control API can set.
MARKET_STATES = ("open", "suspended", "inactive", "post_only")
DISLOCATIONS = ("ABOVE_UPPER_BOUND", "BELOW_LOWER_BOUND")


@dataclass
class MarketState:
    """Whether a contract trades, and whether its price is dislocated (set through the control API)."""

    state: str = "open"
    dislocation: str | None = None


@dataclass(frozen=True)
class Closed:
    """An order or trigger that left the book: as it was, its orders/status word, when, reason and error."""

    order: Order | Trigger
    status: str
    time: datetime
    reason: str | None
    error: str | None = None


class EngineState:
    """The exchange state the order engine works on, and the checks every operation shares."""

    lock: threading.RLock
    contracts: dict[str, Contract]
    index_prices: dict[str, Decimal]
    books: dict[str, Book]
    stats: dict[str, MarketStats]
    states: dict[str, MarketState]
    account: Account
    orders: dict[str, Order]
    triggers: dict[str, Trigger]
    filled: Latest[Order]
    closed: Recent[Closed]
    journal: Journal
    ids: IdSource
    dead_man_at: datetime | None
    funded_until: datetime
    last_execution_id: str

    if TYPE_CHECKING:  # implemented by the mixins that OrderEngine combines

        def run_triggers(self, now: datetime) -> None:
            """Trail and activate triggers (``Triggers``)."""

        def check_liquidations(self, now: datetime) -> None:
            """Liquidate accounts below maintenance margin (``Liquidations``)."""

        def signal_price(self, contract: Contract, signal: str) -> Decimal:
            """Return the price a trigger watches (``Triggers``)."""

        def _place_trigger(
            self, contract: Contract, request: OrderRequest, order_id: str, now: datetime
        ) -> tuple[str, list[dict[str, Any]]]: ...

        def _execute(
            self,
            contract: Contract,
            request: OrderRequest,
            order_id: str,
            now: datetime,
            reason: str = "NEW_USER_ORDER",
        ) -> tuple[str, list[dict[str, Any]]]: ...

        def _market_refusal(self, contract: Contract, order: Order, position: Decimal) -> str | None: ...

        def _too_many_small(self, contract: Contract, size: Decimal, price: Decimal, exclude: str = "") -> bool: ...

        def fill_and_rest(
            self,
            contract: Contract,
            order: Order,
            fills: list[Level],
            now: datetime,
            reduced: Decimal | None,
            prior_edit: Order | None = None,
        ) -> list[dict[str, Any]]:
            """Book fills and rest the remainder (``Fills``)."""

        def book_fill(
            self,
            contract: Contract,
            order: Order,
            price: Decimal,
            amount: Decimal,
            now: datetime,
            fill_type: str = TAKER,
        ) -> None:
            """Book one fill (``Fills``)."""

        def cancel_working(self, target: Order | Trigger, now: datetime, reason: str) -> dict[str, Any]:
            """Take an order or trigger off the book (``Cancels``)."""

        def record_fills(self, order: Order, now: datetime) -> None:
            """Note an order's fill progress (``Fills``)."""

        def _reject(self, order: Order, now: datetime, error: str) -> None: ...

    def contract(self, symbol: str) -> Contract | None:
        """Return the contract with this symbol (any case), or ``None``."""
        return self.contracts.get(symbol.strip().upper())

    def _require_contract(self, symbol: str) -> Contract:
        contract = self.contract(symbol)
        if contract is None:
            raise Refused(INVALID)
        return contract

    def working(self) -> list[Order | Trigger]:
        """Return the resting orders and waiting triggers, oldest first."""
        return sorted([*self.orders.values(), *self.triggers.values()], key=lambda o: (o.received, o.order_id))

    @staticmethod
    def _price_of(order: Order | Trigger) -> Decimal:
        if isinstance(order, Trigger):
            return order.limit_price or order.trigger_price
        return order.limit_price

    def _find(self, order_id: str | None, cli_ord_id: str | None) -> Order | Trigger | None:
        if order_id is not None:
            return self.orders.get(order_id) or self.triggers.get(order_id)
        return next((o for o in self.working() if o.cli_ord_id == cli_ord_id), None)

    def merged_levels(self, symbol: str) -> tuple[list[Level], list[Level]]:
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

    def _crossing(self, order: Order) -> bool:
        """Whether an order's limit reaches the best opposite price (own resting orders included)."""
        bids, asks = self.merged_levels(order.symbol)
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
        opening = order.unfilled
        if position != 0 and (position > 0) != (order.side == "buy"):
            opening = max(ZERO, opening - abs(position))
        needed = notional(contract, opening, order.limit_price) * contract.initial_margin_rate
        return needed / order.limit_price if contract.inverse else needed

    def _available_margin(self, contract: Contract) -> Decimal:
        """Return the margin available to a contract's orders: flex USD, or its margin account's currency."""
        name = margin_account_of(contract)
        if name is not None:
            return self.account.inverse_figures(name, self.contracts, self.orders.values())["af"]
        return self.account.margins(self.contracts, self.orders.values())["availableMargin"]


def would_not_reduce(position: Decimal, side: str) -> bool:
    """Whether a reduce-only order of ``side`` cannot reduce a position of signed size ``position``."""
    return position == 0 or (position > 0) == (side == "buy")


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step`` (absurdly large values are not)."""
    try:
        return value % step == 0
    except InvalidOperation:
        return False
