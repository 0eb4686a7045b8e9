"""The simulated exchange: books, the account, orders and positions behind one lock."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .account import Account
from .book import Book
from .bounded import Latest, Recent
from .clock import Clock, ClockSetting
from .drift import MOVE_INTERVAL, drift
from .engine import DISLOCATIONS, MARKET_STATES, Closed, MarketState, OrderEngine
from .engine_state import STATUS_MEMORY
from .errors import INVALID, MISSING, Refused, UnknownMarket
from .ids import IdSource
from .journal import KEPT_PER_KIND, LEDGER, Journal
from .market import CONTRACTS, INDEX_PRICES, INDICES, Contract, book_levels, number
from .orders import Order
from .tickers import MarketStats, index_ticker_json, market_ticker_json
from .triggers import Trigger

__all__ = ["DISLOCATIONS", "MARKET_STATES", "Closed", "Exchange", "MarketState"]


class Exchange(OrderEngine):
    """All mutable state of the simulator, read and changed only under ``lock`` (re-entrant)."""

    def __init__(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        self.lock = threading.RLock()
        self.reset(seed, clock)

    def reset(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        """Start over: fresh books, a freshly funded account, no orders, a restarted clock and id source."""
        with self.lock:
            self.contracts = {c.symbol: c for c in CONTRACTS}
            self.index_prices = dict(INDEX_PRICES)
            self.states = {symbol: MarketState() for symbol in self.contracts}
            self.clock = Clock(clock)
            self.ids = IdSource(seed)
            self.epoch = self.clock.peek()
            self.books = {symbol: Book(*book_levels(c)) for symbol, c in self.contracts.items()}
            self.stats = {symbol: MarketStats.reference(c, self.epoch) for symbol, c in self.contracts.items()}
            self.account = Account()
            self.orders: dict[str, Order] = {}
            self.triggers: dict[str, Trigger] = {}
            self.filled: Latest[Order] = Latest(KEPT_PER_KIND)  # for cancelorder's "filled"
            self.closed: Recent[Closed] = Recent(STATUS_MEMORY)  # for orders/status
            self.journal = Journal()
            self.dead_man_at: datetime | None = None
            self.last_execution_id = ""
            self.funded_until = self.epoch.replace(minute=0, second=0, microsecond=0)
            self.moving = clock is None
            self.anchors = {symbol: c.mark_price for symbol, c in self.contracts.items()}
            self.moved_at = self.epoch

    def tick(self) -> datetime:
        """Return the time of a new request (a fixed clock advances 1 ms); prices, the switch and funding catch up."""
        with self.lock:
            now = self.clock.tick()
            if self.moving and (now - self.moved_at).total_seconds() >= MOVE_INTERVAL:
                self.move_prices(now)
            self.fire_dead_man(now)
            self.accrue_funding(now)
            return now

    def move_prices(self, now: datetime) -> None:
        """Move every mark (and its index alike) along its drift, recentre the books, fill what they reach."""
        with self.lock:
            elapsed = (now - self.epoch).total_seconds()
            moved_indices: set[str] = set()
            for symbol, contract in list(self.contracts.items()):
                anchor = self.anchors[symbol]
                mark = drift(contract, anchor, elapsed)
                moved = replace(contract, mark_price=mark)
                self.contracts[symbol] = moved
                if contract.index_symbol not in moved_indices:
                    moved_indices.add(contract.index_symbol)
                    index = INDEX_PRICES[contract.index_symbol] * mark / anchor
                    self.index_prices[contract.index_symbol] = index.quantize(Decimal("0.01"))
                self.books[symbol] = Book(*book_levels(moved))
                self.fill_reached(moved, now)
            self.moved_at = now
            self.run_triggers(now)
            self.check_liquidations(now)

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
        """Return one ticker by symbol (any case); an unknown symbol is ``UnknownMarket``."""
        with self.lock:
            contract = self.contract(symbol)
            if contract is not None:
                return self._market_ticker(contract)
            for index in INDICES:
                if index.symbol == symbol.strip().lower():
                    return index_ticker_json(index, self.epoch)
        raise UnknownMarket()

    def order_book(self, symbol: str | None) -> dict[str, Any]:
        """Return the whole non-cumulative book of a contract, own resting orders included."""
        if symbol is None:
            raise Refused(MISSING)
        with self.lock:
            contract = self._require_contract(symbol)
            bids, asks = self.merged_levels(contract.symbol)
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
            return [order.open_order_json() for order in reversed(self.working())]

    def open_positions(self) -> list[dict[str, Any]]:
        """Return the ``openPositions`` list, newest first."""
        with self.lock:
            return self.account.positions_json(self.contracts)

    def _market_ticker(self, contract: Contract) -> dict[str, Any]:
        bids, asks = self.merged_levels(contract.symbol)
        ticker = market_ticker_json(
            contract, self.stats[contract.symbol], bids[0] if bids else None, asks[0] if asks else None
        )
        state = self.states[contract.symbol].state
        ticker.update({"suspended": state == "suspended", "postOnly": state == "post_only"})
        return ticker

    # -- control -----------------------------------------------------------------------------

    def advance(self, seconds: Decimal) -> datetime:
        """Move the clock forward (a due dead man's switch fires, triggers are checked); return the new time."""
        with self.lock:
            self.clock.advance(timedelta(seconds=float(seconds)))
            now = self.tick()
            self.run_triggers(now)
            return now

    def set_market(
        self,
        symbol: str,
        mark_price: Decimal | None = None,
        index_price: Decimal | None = None,
        state: str | None = None,
        dislocation: str | None = None,
        keep_book: bool = False,
    ) -> dict[str, Any]:
        """Change a contract's mark or index price, trading state or dislocation; return its market state.

        A new mark moves the outside book with it (resting orders it reaches fill as makers),
        unless ``keep_book`` leaves the book where it was, away from the mark.
        """
        with self.lock:
            contract = self._require_contract(symbol)
            if state is not None and state not in MARKET_STATES:
                raise Refused(INVALID)
            if dislocation is not None and dislocation not in (*DISLOCATIONS, "none"):
                raise Refused(INVALID)
            for price in (mark_price, index_price):
                if price is not None and price <= 0:
                    raise Refused(INVALID)
            if mark_price is not None:
                contract = replace(contract, mark_price=mark_price)
                self.contracts[contract.symbol] = contract
                self.anchors[contract.symbol] = mark_price
                if not keep_book:
                    self.books[contract.symbol] = Book(*book_levels(contract))
                    self.fill_reached(contract, self.clock.peek())
            if index_price is not None:
                self.index_prices[contract.index_symbol] = index_price
            market = self.states[contract.symbol]
            if state is not None:
                market.state = state
            if dislocation is not None:
                market.dislocation = None if dislocation == "none" else dislocation
            self.run_triggers(self.clock.peek())
            self.check_liquidations(self.clock.peek())
            return self.market_json(contract.symbol)

    def balances(self) -> dict[str, dict[str, Decimal]]:
        """Return every wallet's balances by currency, as the control API reports them."""
        with self.lock:
            return self.account.balances()

    def set_balances(self, wallet: str, amounts: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
        """Set some of a wallet's balances (each change an ``admin transfer`` in the account log); return all.

        The caller checks that the wallet holds these currencies. An account left below its
        maintenance margin is liquidated, as after a price move.
        """
        with self.lock:
            now = self.clock.peek()
            for unit, amount in amounts.items():
                old = self.account.set_balance(wallet, unit, amount)
                if amount != old:
                    self.journal.append(
                        now,
                        LEDGER,
                        asset=unit,
                        info="admin transfer",
                        margin_account=wallet,
                        change=str(amount - old),
                        old_balance=str(old),
                        new_balance=str(amount),
                    )
            self.check_liquidations(now)
            return self.account.balances()

    def market_json(self, symbol: str) -> dict[str, Any]:
        """Return what the control API reports of one market."""
        contract = self.contracts[symbol]
        market = self.states[symbol]
        return {
            "symbol": symbol,
            "markPrice": number(contract.mark_price),
            "indexPrice": number(self.index_prices[contract.index_symbol]),
            "lastPrice": number(self.stats[symbol].last),
            "state": market.state,
            "dislocation": market.dislocation,
        }
