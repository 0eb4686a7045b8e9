"""The order engine's state and shared checks: limits, market states, books, margin and lookups.

The constants here decide the refusals the engine answers with, so tests and the README can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from ...errors import INVALID, Refused
from ..account.account import ZERO, Account, margin_account_of, notional
from ..bounded import Latest, Recent
from ..ids import IdSource
from ..market.book import Book, Level
from ..market.market import CONTRACTS, INDEX_PRICES, Contract, book_levels
from ..market.tickers import MarketStats
from ..orders import Order, OrderSnapshot
from ..records.journal import KEPT_PER_KIND, Journal
from ..triggers import Trigger, TriggerSnapshot

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

    order: OrderSnapshot | TriggerSnapshot
    status: str
    time: datetime
    reason: str | None
    error: str | None = None


class EngineState:
    """The exchange state the order engine works on, and the lookups and checks every engine step shares.

    A fresh state is the exchange after a reset: reference books, a freshly funded account, no orders.
    """

    def __init__(self, ids: IdSource, epoch: datetime) -> None:
        self.ids = ids
        self.contracts: dict[str, Contract] = {c.symbol: c for c in CONTRACTS}
        self.index_prices: dict[str, Decimal] = dict(INDEX_PRICES)
        self.states: dict[str, MarketState] = {symbol: MarketState() for symbol in self.contracts}
        self.books: dict[str, Book] = {symbol: Book(*book_levels(c)) for symbol, c in self.contracts.items()}
        self.stats: dict[str, MarketStats] = {s: MarketStats.reference(c, epoch) for s, c in self.contracts.items()}
        self.account = Account()
        self.orders: dict[str, Order] = {}
        self.triggers: dict[str, Trigger] = {}
        #: Filled orders, for cancelorder's "filled"; orders that left the book, for orders/status.
        self.filled: Latest[Order] = Latest(KEPT_PER_KIND)
        self.closed: Recent[Closed] = Recent(STATUS_MEMORY)
        self.journal = Journal()
        self.dead_man_at: datetime | None = None
        self.funded_until = epoch.replace(minute=0, second=0, microsecond=0)

    def contract(self, symbol: str) -> Contract | None:
        """Return the contract with this symbol (any case), or ``None``."""
        return self.contracts.get(symbol.strip().upper())

    def require_contract(self, symbol: str) -> Contract:
        """Return the contract with this symbol (any case); an unknown symbol is ``invalidArgument``."""
        contract = self.contract(symbol)
        if contract is None:
            raise Refused(INVALID)
        return contract

    def signal_price(self, contract: Contract, signal: str) -> Decimal:
        """Return the price a trigger watches: mark, last trade or the underlying index."""
        if signal == "last":
            return self.stats[contract.symbol].last
        if signal == "index":
            return self.index_prices[contract.index_symbol]
        return contract.mark_price

    def working(self) -> list[Order | Trigger]:
        """Return the resting orders and waiting triggers, oldest first."""
        return sorted([*self.orders.values(), *self.triggers.values()], key=lambda o: (o.received, o.order_id))

    @staticmethod
    def price_of(order: Order | Trigger) -> Decimal:
        """Return the price an order rests at, or a trigger's limit (its trigger price without one)."""
        if isinstance(order, Trigger):
            return order.limit_price or order.trigger_price
        return order.limit_price

    def find(self, order_id: str | None, cli_ord_id: str | None) -> Order | Trigger | None:
        """Return the working order or trigger with this order id (else this client order id), or ``None``."""
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

    def crossing(self, order: Order) -> bool:
        """Whether an order's limit reaches the best opposite price (own resting orders included)."""
        bids, asks = self.merged_levels(order.symbol)
        opposite = asks if order.side == "buy" else bids
        if not opposite:
            return False
        best = opposite[0][0]
        return best <= order.limit_price if order.side == "buy" else best >= order.limit_price

    def would_self_fill(self, order: Order) -> bool:
        """Whether the order would trade against one of the account's own resting orders."""

        def reaches(price: Decimal) -> bool:
            """Whether a resting price is at or through the order's limit."""
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
            return self.account.margin_figures(name, self.contracts, self.orders.values()).available_funds
        return self.account.flex_figures(self.contracts, self.orders.values()).available_margin


def would_not_reduce(position: Decimal, side: str) -> bool:
    """Whether a reduce-only order of ``side`` cannot reduce a position of signed size ``position``."""
    return position == 0 or (position > 0) == (side == "buy")


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step`` (absurdly large values are not)."""
    try:
        return value % step == 0
    except InvalidOperation:
        return False
