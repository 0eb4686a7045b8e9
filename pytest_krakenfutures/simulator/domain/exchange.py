"""The simulated exchange: its state, order engine and back office behind one lock, and its market data."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from ..errors import INVALID, MISSING, Refused, UnknownMarket
from .account.account import Account
from .account.backoffice import BackOffice
from .account.figures import AccountsSnapshot, OpenPosition
from .account.identity import epoch_ms
from .account.statement import accounts_snapshot, open_positions
from .bounded import Latest
from .clock import Clock, ClockSetting
from .engine.engine import OrderEngine
from .engine.engine_state import DISLOCATIONS, MARKET_STATES, EngineState, MarketState
from .engine.fills import OutsideTrade
from .ids import IdSource
from .market.book import Book, OrderBook
from .market.drift import MOVE_INTERVAL, drift
from .market.market import INDEX_PRICES, INDICES, Contract, book_levels
from .market.tape import Tape
from .market.tickers import IndexTicker, MarketTicker, MarketView, index_ticker, market_ticker
from .order_requests import EditRequest, OrderRequest
from .orders import Order, OrderSnapshot
from .records.executions import Fill, account_fills
from .records.journal import Journal
from .records.journal_events import LedgerEntry
from .statuses import CancelAllStatus, CancelStatus, EditStatus, OrderStatus, SendStatus, SwitchStatus
from .triggers import Trigger, TriggerSnapshot


class Exchange:
    """All mutable state of the simulator, read and changed only under ``lock`` (re-entrant).

    ``state`` is what the order engine ``engine`` works on; ``office`` keeps the account's
    settings, wallets and assignment program. A reset replaces all three and restarts the clock.
    """

    def __init__(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        self.lock = threading.RLock()
        self.reset(seed, clock)

    def reset(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        """Start over: fresh books, a freshly funded account, no orders, a restarted clock and id source."""
        with self.lock:
            self.clock = Clock(clock)
            ids = IdSource(seed)
            self.epoch = self.clock.peek()
            self.state = EngineState(ids, self.epoch)
            self.office = BackOffice(self.state)
            self.engine = OrderEngine(self.state, self.office.settings)
            #: Prices wander (around these anchors) only on a wall clock.
            self.moving = clock is None
            self.anchors = {symbol: c.mark_price for symbol, c in self.state.contracts.items()}
            self.moved_at = self.epoch

    # -- the state, for readers --------------------------------------------------------------

    @property
    def contracts(self) -> dict[str, Contract]:
        """The contracts by symbol, at their current mark prices."""
        return self.state.contracts

    @property
    def states(self) -> dict[str, MarketState]:
        """Each contract's trading state and dislocation."""
        return self.state.states

    @property
    def books(self) -> dict[str, Book]:
        """Each contract's outside book."""
        return self.state.books

    @property
    def account(self) -> Account:
        """The simulated account: balances and positions."""
        return self.state.account

    @property
    def orders(self) -> dict[str, Order]:
        """The account's resting orders by id."""
        return self.state.orders

    @property
    def triggers(self) -> dict[str, Trigger]:
        """The account's waiting triggers by id."""
        return self.state.triggers

    @property
    def filled(self) -> Latest[Order]:
        """The latest fully filled orders by id."""
        return self.state.filled

    @property
    def journal(self) -> Journal:
        """The journal of order, trigger, execution, position and ledger events."""
        return self.state.journal

    @property
    def funded_until(self) -> datetime:
        """The last full hour funding was paid for."""
        return self.state.funded_until

    def contract(self, symbol: str) -> Contract | None:
        """Return the contract with this symbol (any case), or ``None``."""
        return self.state.contract(symbol)

    # -- time and prices ---------------------------------------------------------------------

    def tick(self) -> datetime:
        """Return the time of a new request (a fixed clock advances 1 ms); prices, the switch and funding catch up."""
        with self.lock:
            now = self.clock.tick()
            if self.moving and (now - self.moved_at).total_seconds() >= MOVE_INTERVAL:
                self.move_prices(now)
            self.engine.time_passed(now)
            return now

    def move_prices(self, now: datetime) -> None:
        """Move every mark (and its index alike) along its drift, recentre the books, fill what they reach."""
        with self.lock:
            state = self.state
            elapsed = (now - self.epoch).total_seconds()
            moved_indices: set[str] = set()
            for symbol, contract in list(state.contracts.items()):
                anchor = self.anchors[symbol]
                mark = drift(contract, anchor, elapsed)
                moved = replace(contract, mark_price=mark)
                state.contracts[symbol] = moved
                if contract.index_symbol not in moved_indices:
                    moved_indices.add(contract.index_symbol)
                    index = INDEX_PRICES[contract.index_symbol] * mark / anchor
                    state.index_prices[contract.index_symbol] = index.quantize(Decimal("0.01"))
                state.books[symbol] = Book(*book_levels(moved))
                self.engine.book_moved(moved, now)
            self.moved_at = now
            self.engine.prices_moved(now)

    def advance(self, seconds: Decimal) -> datetime:
        """Move the clock forward (a due dead man's switch fires, triggers are checked); return the new time."""
        with self.lock:
            self.clock.advance(timedelta(seconds=float(seconds)))
            now = self.tick()
            self.engine.run_triggers(now)
            return now

    # -- trading -----------------------------------------------------------------------------

    def send_order(self, request: OrderRequest, now: datetime) -> SendStatus:
        """Process a ``sendorder`` and return its status."""
        with self.lock:
            return self.engine.send_order(request, now)

    def edit_order(self, request: EditRequest, now: datetime) -> EditStatus:
        """Process an ``editorder`` and return its status."""
        with self.lock:
            return self.engine.edit_order(request, now)

    def cancel_order(self, order_id: str | None, cli_ord_id: str | None, now: datetime) -> CancelStatus:
        """Process a ``cancelorder`` by order id or client order id and return its status."""
        with self.lock:
            return self.engine.cancels.cancel_order(order_id, cli_ord_id, now)

    def cancel_all(self, symbol: str | None, now: datetime) -> CancelAllStatus:
        """Process a ``cancelallorders`` (all contracts, or one) and return its status."""
        with self.lock:
            return self.engine.cancels.cancel_all(symbol, now)

    def cancel_all_after(self, timeout: int, now: datetime) -> SwitchStatus:
        """Arm (or with 0 disarm) the dead man's switch and return its status."""
        with self.lock:
            return self.engine.cancels.cancel_all_after(timeout, now)

    def order_statuses(self, order_ids: list[str], cli_ord_ids: list[str], now: datetime) -> list[OrderStatus]:
        """Return ``orders/status``: open orders and triggers, and those that left the book in the last 5 s."""
        with self.lock:
            return self.engine.cancels.order_statuses(order_ids, cli_ord_ids, now)

    def outside_trade(self, symbol: str, side: str, size: Decimal, price: Decimal, now: datetime) -> OutsideTrade:
        """Let another participant's ``side`` order of ``size`` at ``price`` fill the account's resting orders.

        Resting orders on the other side at or through ``price`` fill as makers, best price
        first, then oldest first; return the fills and the size left over.
        """
        with self.lock:
            return self.engine.outside_trade(symbol, side, size, price, now)

    # -- market data -------------------------------------------------------------------------

    def instruments(self, contract_types: Iterable[str] = ()) -> list[Contract]:
        """Return the contracts ``/instruments`` lists, optionally only some contract types."""
        wanted = set(contract_types)
        return [c for c in self.state.contracts.values() if not wanted or c.type in wanted]

    def tickers(self, contract_types: Iterable[str] = ()) -> list[MarketTicker | IndexTicker]:
        """Return the ``/tickers`` list: markets, then indices (indices only when not filtered)."""
        wanted = set(contract_types)
        with self.lock:
            contracts = self.state.contracts.values()
            tickers: list[MarketTicker | IndexTicker] = [
                self._market_ticker(c) for c in contracts if not wanted or c.type in wanted
            ]
            if not wanted:
                tickers += [index_ticker(index, self.epoch) for index in INDICES]
            return tickers

    def ticker(self, symbol: str) -> MarketTicker | IndexTicker:
        """Return one ticker by symbol (any case); an unknown symbol is ``UnknownMarket``."""
        with self.lock:
            contract = self.state.contract(symbol)
            if contract is not None:
                return self._market_ticker(contract)
            for index in INDICES:
                if index.symbol == symbol.strip().lower():
                    return index_ticker(index, self.epoch)
        raise UnknownMarket()

    def order_book(self, symbol: str | None) -> OrderBook:
        """Return the whole non-cumulative book of a contract, own resting orders included."""
        if symbol is None:
            raise Refused(MISSING)
        with self.lock:
            contract = self.state.require_contract(symbol)
            bids, asks = self.state.merged_levels(contract.symbol)
            return OrderBook(tuple(bids), tuple(asks))

    def tape(self, contract: Contract) -> Tape:
        """Return a contract's synthetic past: its price path and trade tape before the exchange started."""
        return Tape(contract, epoch_ms(self.epoch))

    def fills(self) -> list[Fill]:
        """Return the account's fills the journal still holds, oldest first."""
        return account_fills(self.state.journal)

    def _market_ticker(self, contract: Contract) -> MarketTicker:
        """Return a contract's ticker: its statistics, best prices and trading state."""
        bids, asks = self.state.merged_levels(contract.symbol)
        stats = self.state.stats[contract.symbol]
        state = self.state.states[contract.symbol].state
        return market_ticker(contract, stats, bids[0] if bids else None, asks[0] if asks else None, state)

    # -- account -----------------------------------------------------------------------------

    def accounts(self) -> AccountsSnapshot:
        """Return every account of the master account: cash, flex and each margin account."""
        with self.lock:
            return accounts_snapshot(self.state.account, self.state.contracts, self.state.orders.values())

    def open_orders(self) -> list[OrderSnapshot | TriggerSnapshot]:
        """Return the working orders and triggers as they are now, newest first."""
        with self.lock:
            return [order.snapshot() for order in reversed(self.state.working())]

    def open_positions(self) -> list[OpenPosition]:
        """Return the open positions, newest first."""
        with self.lock:
            return open_positions(self.state.account, self.state.contracts)

    # -- control -----------------------------------------------------------------------------

    def set_market(
        self,
        symbol: str,
        mark_price: Decimal | None = None,
        index_price: Decimal | None = None,
        state: str | None = None,
        dislocation: str | None = None,
        keep_book: bool = False,
    ) -> MarketView:
        """Change a contract's mark or index price, trading state or dislocation; return its market state.

        A new mark moves the outside book with it (resting orders it reaches fill as makers),
        unless ``keep_book`` leaves the book where it was, away from the mark.
        """
        with self.lock:
            contract = self.state.require_contract(symbol)
            if state is not None and state not in MARKET_STATES:
                raise Refused(INVALID)
            if dislocation is not None and dislocation not in (*DISLOCATIONS, "none"):
                raise Refused(INVALID)
            for price in (mark_price, index_price):
                if price is not None and price <= 0:
                    raise Refused(INVALID)
            if mark_price is not None:
                contract = replace(contract, mark_price=mark_price)
                self.state.contracts[contract.symbol] = contract
                self.anchors[contract.symbol] = mark_price
                if not keep_book:
                    self.state.books[contract.symbol] = Book(*book_levels(contract))
                    self.engine.book_moved(contract, self.clock.peek())
            if index_price is not None:
                self.state.index_prices[contract.index_symbol] = index_price
            market = self.state.states[contract.symbol]
            if state is not None:
                market.state = state
            if dislocation is not None:
                market.dislocation = None if dislocation == "none" else dislocation
            self.engine.prices_moved(self.clock.peek())
            return self.market(contract.symbol)

    def balances(self) -> dict[str, dict[str, Decimal]]:
        """Return every wallet's balances by currency, as the control API reports them."""
        with self.lock:
            return self.state.account.balances()

    def set_balances(self, wallet: str, amounts: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
        """Set some of a wallet's balances (each change an ``admin transfer`` in the account log); return all.

        The caller checks that the wallet holds these currencies. An account left below its
        maintenance margin is liquidated, as after a price move.
        """
        with self.lock:
            now = self.clock.peek()
            for unit, amount in amounts.items():
                old = self.state.account.set_balance(wallet, unit, amount)
                if amount != old:
                    entry = LedgerEntry(unit, "admin transfer", wallet, amount - old, old, amount)
                    self.state.journal.append(now, entry)
            self.engine.balances_changed(now)
            return self.state.account.balances()

    def market(self, symbol: str) -> MarketView:
        """Return what the control API reports of one market: its prices and trading state."""
        contract = self.state.contracts[symbol]
        market = self.state.states[symbol]
        return MarketView(
            symbol=symbol,
            mark_price=contract.mark_price,
            index_price=self.state.index_prices[contract.index_symbol],
            last_price=self.state.stats[symbol].last,
            state=market.state,
            dislocation=market.dislocation,
        )
