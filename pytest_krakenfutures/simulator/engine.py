"""The order engine: order entry, triggers, edits and cancels, with the checks behind every documented status.

``OrderEngine`` is the trading half of ``Exchange``; it works on the state the exchange keeps
and is only called under the exchange's lock. The limits that decide the refusals are
constants here, so tests and the README can name them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from . import journal
from .account import MAKER_FEE, TAKER_FEE, ZERO, Account, margin_account_of, notional, pnl
from .book import Book, Level
from .clock import iso_ms
from .envelope import ApiError
from .funding import relative_rate
from .ids import IdSource
from .journal import Journal
from .market import Contract, round_to_tick
from .orders import Order, cancel_event, edit_event, execution_event, place_event, reject_event
from .params import INVALID, MISSING, EditRequest, OrderRequest
from .tickers import MarketStats
from .triggers import MAX_DEVIATION, MIN_DEVIATION, Trigger, trailing_price, trigger_edit_event, trigger_event

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


class OrderEngine:
    """Order entry, triggers, edits, cancels and the dead man's switch over the exchange's state."""

    lock: threading.RLock
    contracts: dict[str, Contract]
    index_prices: dict[str, Decimal]
    books: dict[str, Book]
    stats: dict[str, MarketStats]
    states: dict[str, MarketState]
    account: Account
    orders: dict[str, Order]
    triggers: dict[str, Trigger]
    filled: dict[str, Order]
    closed: dict[str, Closed]
    journal: Journal
    ids: IdSource
    dead_man_at: datetime | None
    funded_until: datetime
    last_execution_id: str

    def contract(self, symbol: str) -> Contract | None:
        """Return the contract with this symbol (any case), or ``None``."""
        return self.contracts.get(symbol.strip().upper())

    # -- entry -------------------------------------------------------------------------------

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

    def _require_contract(self, symbol: str) -> Contract:
        contract = self.contract(symbol)
        if contract is None:
            raise ApiError(INVALID)
        return contract

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
        if request.size <= 0 or not _multiple(request.size, contract.size_step):
            return "invalidSize"
        for price in (request.limit_price, request.stop_price):
            if price is not None and (price <= 0 or not _multiple(price, contract.tick_size)):
                return "invalidPrice"
        deviation = request.max_deviation
        if deviation is not None and not MIN_DEVIATION <= deviation <= MAX_DEVIATION:
            return "invalidPrice"
        position = self.account.signed_position(contract.symbol)
        if request.reduce_only and (position == 0 or (position > 0) == (request.side == "buy")):
            return "wouldNotReducePosition"
        resting = [o for o in self._working() if o.symbol == contract.symbol]
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
            for o in self._working()
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
        if any(o.cli_ord_id == cli_ord_id for o in self._working()):
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

    def _working(self) -> list[Order | Trigger]:
        return [*self.orders.values(), *self.triggers.values()]

    @staticmethod
    def _price_of(order: Order | Trigger) -> Decimal:
        if isinstance(order, Trigger):
            return order.limit_price or order.trigger_price
        return order.limit_price

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

    def fill_and_rest(
        self,
        contract: Contract,
        order: Order,
        fills: list[Level],
        now: datetime,
        reduced: Decimal | None,
        prior_edit: Order | None = None,
    ) -> list[dict[str, Any]]:
        """Book an order's fills, then rest what is left (an IOC's remainder is dropped); return the events."""
        events: list[dict[str, Any]] = []
        for price, amount in fills:
            prior = order.snapshot()
            self.book_fill(contract, order, price, amount, now)
            events.append(execution_event(self.last_execution_id, price, amount, prior, reduced, prior_edit))
        if fills:
            order.reason = "FULL_FILL" if order.unfilled == 0 else "PARTIAL_FILL"
        if order.unfilled == 0:
            self.orders.pop(order.order_id, None)
            self.filled[order.order_id] = order
            self.closed[order.order_id] = Closed(order, "FULLY_EXECUTED", now, "FULL_FILL")
        elif order.type not in ("ioc", "fok"):
            if order.order_id not in self.orders:
                self.orders[order.order_id] = order
                events.append(place_event(order, reduced))
        else:
            self.journal.append(now, journal.ORDER_CANCELLED, order=order.order_json(), reason="ioc_remainder")
            self.closed[order.order_id] = Closed(order, "CANCELLED", now, "IOC_WOULD_NOT_EXECUTE_REASON")
        return events

    def book_fill(
        self, contract: Contract, order: Order, price: Decimal, amount: Decimal, now: datetime, maker: bool = False
    ) -> None:
        """Book one fill of the account's order (taker, or resting maker): balances, position, statistics, journal."""
        asset, wallet, old_balance = self.account.settlement_balance(contract)
        old_position = self.account.positions.get(contract.symbol)
        old_size = old_position.size if old_position else ZERO
        old_price = old_position.price if old_position else None
        before = order.order_json()
        order.filled += amount
        order.last_update = now
        rate = MAKER_FEE if maker else TAKER_FEE
        self.account.apply_fill(contract, order.side, amount, price, now, rate)
        self.stats[contract.symbol].record(contract, price, amount, now)
        fee = notional(contract, amount, price) * rate
        if contract.inverse:
            fee /= price
        new_balance = self.account.settlement_balance(contract)[2]
        realized = new_balance - old_balance + fee
        new_position = self.account.positions.get(contract.symbol)
        new_size = new_position.size if new_position else ZERO
        new_price = None if new_position is None else str(new_position.price)
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
            taker_order=None if maker else order.order_json(),
            maker_order=order.order_json() if maker else None,
            fee=str(fee),
            fee_currency=asset.upper(),
            fill_type="maker" if maker else "taker",
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
            new_average_price=new_price,
            realized_pnl=str(realized),
            fee=str(fee),
            update_reason="trade",
            execution_id=execution_id,
        )
        self.journal.append(
            now,
            journal.LEDGER,
            asset=asset,
            info="futures trade",
            contract=contract.symbol,
            margin_account=wallet,
            change=str(new_balance - old_balance),
            old_balance=str(old_balance),
            new_balance=str(new_balance),
            fee=str(fee),
            realized_pnl=str(realized),
            trade_price=str(price),
            mark_price=str(contract.mark_price),
            execution=execution_id,
            old_average_entry_price=None if old_price is None else str(old_price),
            new_average_entry_price=new_price,
        )

    def _reject(self, order: Order, now: datetime, error: str) -> None:
        self.journal.append(
            now, journal.ORDER_REJECTED, order=order.order_json(), reason=error.lower(), order_error=error
        )
        self.closed[order.order_id] = Closed(order, "REJECTED", now, f"{error}_REASON", error)

    # -- triggers ----------------------------------------------------------------------------

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
        if trigger.reduce_only and (position == 0 or (position > 0) == (trigger.side == "buy")):
            self.closed[trigger.order_id] = Closed(
                trigger, "TRIGGER_ACTIVATION_FAILURE", now, "STOP_ORDER_TRIGGERED", "WOULD_NOT_REDUCE_POSITION"
            )
            return
        outcome, _ = self._execute(contract, request, trigger.order_id, now, reason="STOP_ORDER_TRIGGERED")
        if outcome != "placed" and trigger.order_id not in self.closed:
            error = _ORDER_ERRORS.get(outcome, "REJECTED_AFTER_EXECUTION")
            self.closed[trigger.order_id] = Closed(trigger, "TRIGGER_ACTIVATION_FAILURE", now, None, error)

    # -- funding -----------------------------------------------------------------------------

    def accrue_funding(self, now: datetime) -> None:
        """Realise hourly funding on perpetual positions for every full hour the clock has passed."""
        hour = self.funded_until + FUNDING_PERIOD
        periods = 0
        while hour <= now and periods < MAX_FUNDING_PERIODS:
            for position in sorted(self.account.positions.values(), key=lambda p: p.symbol):
                contract = self.contracts[position.symbol]
                if contract.perpetual:
                    self._realise_funding(contract, position.size, position.price, hour)
            self.funded_until = hour
            hour += FUNDING_PERIOD
            periods += 1
        if hour <= now:  # a jump of more than a week: the periods beyond it pass without funding
            self.funded_until = now.replace(minute=0, second=0, microsecond=0)

    def _realise_funding(self, contract: Contract, size: Decimal, entry: Decimal, hour: datetime) -> None:
        """Pay or receive one period's funding on a position: longs pay a positive rate."""
        rate = Decimal(str(relative_rate(contract, int(hour.timestamp() * 1000))))
        value = notional(contract, abs(size), contract.mark_price)
        usd = -value * rate if size > 0 else value * rate
        asset, wallet, old_balance = self.account.settlement_balance(contract)
        payment = (usd / contract.mark_price if contract.inverse else usd).quantize(FUNDING_QUANTUM)
        self.account.move(wallet, asset, payment)
        new_balance = self.account.settlement_balance(contract)[2]
        absolute = rate * contract.mark_price if not contract.inverse else rate / contract.mark_price
        self.journal.append(
            hour,
            journal.POSITION,
            symbol=contract.symbol,
            old_position=str(size),
            new_position=str(size),
            old_average_price=str(entry),
            new_average_price=str(entry),
            realized_pnl="0",
            fee="0",
            funding_realization=str(payment),
            update_reason="funding",
        )
        self.journal.append(
            hour,
            journal.LEDGER,
            asset=asset,
            info="funding rate change",
            contract=contract.symbol,
            margin_account=wallet,
            change=str(payment),
            old_balance=str(old_balance),
            new_balance=str(new_balance),
            funding_rate=str(absolute),
            realized_funding=str(payment),
            mark_price=str(contract.mark_price),
        )

    # -- the rest of the market -------------------------------------------------------------

    def outside_trade(self, symbol: str, side: str, size: Decimal, price: Decimal, now: datetime) -> dict[str, Any]:
        """Let another participant's ``side`` order of ``size`` at ``price`` fill the account's resting orders.

        Resting orders on the other side at or through ``price`` fill as makers, best price
        first, then oldest first; return the fills and the size left over.
        """
        with self.lock:
            contract = self._require_contract(symbol)
            if side not in ("buy", "sell") or size <= 0 or price <= 0:
                raise ApiError(INVALID)
            reached = [
                order
                for order in self.orders.values()
                if order.symbol == contract.symbol
                and order.side != side
                and (order.limit_price >= price if side == "sell" else order.limit_price <= price)
            ]
            reached.sort(key=lambda o: (-o.limit_price if o.side == "buy" else o.limit_price, o.received, o.order_id))
            remaining, fills = size, []
            for order in reached:
                if remaining <= 0:
                    break
                amount = min(order.unfilled, remaining)
                self.book_fill(contract, order, order.limit_price, amount, now, maker=True)
                remaining -= amount
                self._after_maker_fill(order, now)
                fills.append({"order_id": order.order_id, "price": float(order.limit_price), "size": float(amount)})
            self.run_triggers(now)
            return {"fills": fills, "unfilled": float(remaining)}

    def fill_reached(self, contract: Contract, now: datetime) -> None:
        """Fill, as a maker at its limit, each resting order the (moved) book now reaches."""
        resting = [o for o in self.orders.values() if o.symbol == contract.symbol]
        for order in sorted(resting, key=lambda o: (o.received, o.order_id)):
            taken = self.books[contract.symbol].take(order.side, order.unfilled, order.limit_price)
            amount = sum((size for _, size in taken), ZERO)
            if amount > 0:
                self.book_fill(contract, order, order.limit_price, amount, now, maker=True)
                self._after_maker_fill(order, now)

    def _after_maker_fill(self, order: Order, now: datetime) -> None:
        order.reason = "FULL_FILL" if order.unfilled == 0 else "PARTIAL_FILL"
        if order.unfilled == 0:
            del self.orders[order.order_id]
            self.filled[order.order_id] = order
            self.closed[order.order_id] = Closed(order, "FULLY_EXECUTED", now, "FULL_FILL")

    # -- edits -------------------------------------------------------------------------------

    def edit_order(self, request: EditRequest, now: datetime) -> dict[str, Any]:
        """Process an ``editorder`` and return its ``editStatus``."""
        with self.lock:
            target = self._find(request.order_id, request.cli_ord_id)
            status: dict[str, Any] = {
                "status": "",
                "orderId": target.order_id if target is not None else request.order_id,
                "receivedTime": iso_ms(now),
                "orderEvents": [],
            }
            if request.cli_ord_id is not None:
                status["cliOrdId"] = request.cli_ord_id
            if request.process_before is not None and now > request.process_before:
                status["status"] = "wouldProcessAfterSpecifiedTime"
            elif target is None:
                status["status"] = "orderForEditNotFound"
            elif isinstance(target, Trigger):
                status["status"], status["orderEvents"] = self._edit_trigger(target, request, now)
            else:
                status["status"], status["orderEvents"] = self._edit_order(target, request, now)
            self.run_triggers(now)
            return status

    def _edit_order(self, order: Order, request: EditRequest, now: datetime) -> tuple[str, list[dict[str, Any]]]:
        contract = self.contracts[order.symbol]
        if request.stop_price is not None or request.max_deviation is not None:
            return "orderForEditNotAStop", []
        quantity = order.quantity
        if request.size is not None:
            quantity = request.size if request.qty_mode == "ABSOLUTE" else order.filled + request.size
            if request.size <= 0 or not _multiple(request.size, contract.size_step) or quantity <= order.filled:
                return "invalidSize", []
        limit = request.limit_price if request.limit_price is not None else order.limit_price
        if limit <= 0 or not _multiple(limit, contract.tick_size):
            return "invalidPrice", []
        position = self.account.signed_position(contract.symbol)
        if order.reduce_only and quantity - order.filled > abs(position):
            return "wouldNotReducePosition", []
        if self._too_many_small(contract, quantity - order.filled, limit, exclude=order.order_id):
            return "tooManySmallOrders", []
        old = order.snapshot()
        edited = order.snapshot()
        edited.quantity, edited.limit_price, edited.last_update = quantity, limit, now
        del self.orders[order.order_id]  # its own level and margin reservation are replaced by the edit
        try:
            refusal = self._market_refusal(contract, edited, position)
        finally:
            self.orders[order.order_id] = order
        if refusal:
            return refusal, []
        order.quantity, order.limit_price, order.last_update, order.reason = quantity, limit, now, "EDITED_BY_USER"
        self.journal.append(
            now,
            journal.ORDER_UPDATED,
            old_order=old.order_json(),
            new_order=order.order_json(),
            reason="edited_by_user",
        )
        events = [edit_event(old, order, None)]
        if self._crossing_without(order):
            fills = self.books[contract.symbol].take(order.side, order.unfilled, order.limit_price)
            events += self.fill_and_rest(contract, order, fills, now, None, prior_edit=old)
        return "edited", events

    def _crossing_without(self, order: Order) -> bool:
        """Whether a resting order now crosses the book (its own level left out)."""
        del self.orders[order.order_id]
        try:
            return self._crossing(order)
        finally:
            self.orders[order.order_id] = order

    def _edit_trigger(self, trigger: Trigger, request: EditRequest, now: datetime) -> tuple[str, list[dict[str, Any]]]:
        contract = self.contracts[trigger.symbol]
        if trigger.trailing and request.stop_price is not None:
            return "cannotEditTriggerPriceOfTrailingStop", []
        if trigger.trailing and request.limit_price is not None:
            return "cannotEditLimitPriceOfTrailingStop", []
        quantity = trigger.quantity
        if request.size is not None:
            quantity = request.size
            if quantity <= 0 or not _multiple(quantity, contract.size_step):
                return "invalidSize", []
        for price in (request.stop_price, request.limit_price):
            if price is not None and (price <= 0 or not _multiple(price, contract.tick_size)):
                return "invalidPrice", []
        deviation = request.max_deviation
        if deviation is not None and not MIN_DEVIATION <= deviation <= MAX_DEVIATION:
            return "invalidPrice", []
        old = trigger.snapshot()
        trigger.quantity, trigger.last_update = quantity, now
        if request.limit_price is not None:
            trigger.limit_price = request.limit_price
        if request.stop_price is not None:
            trigger.trigger_price = request.stop_price
        if trigger.trailing and (deviation is not None or request.deviation_unit is not None):
            trigger.max_deviation = deviation or trigger.max_deviation
            trigger.deviation_unit = request.deviation_unit or trigger.deviation_unit
            reference = self.signal_price(contract, trigger.signal)
            trigger.trigger_price = trailing_price(
                trigger.side, reference, trigger.max_deviation, trigger.deviation_unit, contract.tick_size
            )
        self.journal.append(
            now,
            journal.TRIGGER_UPDATED,
            old_order=old.trigger_json(),
            new_order=trigger.trigger_json(),
            reason="edited_by_user",
        )
        return "edited", [trigger_edit_event(old, trigger)]

    # -- cancels -----------------------------------------------------------------------------

    def cancel_order(self, order_id: str | None, cli_ord_id: str | None, now: datetime) -> dict[str, Any]:
        """Process a ``cancelorder`` by order id or client order id and return its ``cancelStatus``."""
        if order_id is None and cli_ord_id is None:
            raise ApiError(MISSING)
        with self.lock:
            received = iso_ms(now)
            target = self._find(order_id, cli_ord_id)
            if target is not None:
                event = self.cancel_working(target, now, "cancelled_by_user")
                status: dict[str, Any] = {"status": "cancelled", "order_id": target.order_id}
                if target.cli_ord_id is not None:
                    status["cliOrdId"] = target.cli_ord_id
                status.update({"receivedTime": received, "orderEvents": [event]})
                return status
            done = self.filled.get(order_id) if order_id is not None else None
            if done is None and cli_ord_id is not None:
                done = next((o for o in self.filled.values() if o.cli_ord_id == cli_ord_id), None)
            if done is not None:
                return {"status": "filled", "order_id": done.order_id, "receivedTime": received}
            return {"status": "notFound", "receivedTime": received}

    def cancel_working(self, target: Order | Trigger, now: datetime, reason: str) -> dict[str, Any]:
        """Take a resting order or waiting trigger off the book, journal why, and return its CANCEL event."""
        self.closed[target.order_id] = Closed(target, "CANCELLED", now, reason.upper())
        if isinstance(target, Trigger):
            del self.triggers[target.order_id]
            self.journal.append(now, journal.TRIGGER_CANCELLED, order=target.trigger_json(), reason=reason)
            return trigger_event("CANCEL", target)
        del self.orders[target.order_id]
        self.journal.append(now, journal.ORDER_CANCELLED, order=target.order_json(), reason=reason)
        return cancel_event(target)

    def cancel_all(self, symbol: str | None, now: datetime) -> dict[str, Any]:
        """Process a ``cancelallorders`` (all contracts, or one) and return its ``cancelStatus``."""
        with self.lock:
            wanted = None if symbol is None else symbol.strip().upper()
            targets = sorted(
                (o for o in self._working() if wanted is None or o.symbol == wanted),
                key=lambda o: (o.received, o.order_id),
            )
            cancelled: list[dict[str, Any]] = []
            events = []
            for target in targets:
                events.append(self.cancel_working(target, now, "cancelled_by_user"))
                entry = {"order_id": target.order_id}
                if target.cli_ord_id is not None:
                    entry["cliOrdId"] = target.cli_ord_id
                cancelled.append(entry)
            return {
                "receivedTime": iso_ms(now),
                "cancelOnly": "all" if symbol is None else symbol,
                "status": "cancelled" if targets else "noOrdersToCancel",
                "cancelledOrders": cancelled,
                "orderEvents": events,
            }

    def cancel_all_after(self, timeout: int, now: datetime) -> dict[str, Any]:
        """Arm (or with 0 disarm) the dead man's switch and return its ``status``."""
        with self.lock:
            self.dead_man_at = None if timeout == 0 else now + timedelta(seconds=timeout)
            trigger_time = "0" if self.dead_man_at is None else iso_ms(self.dead_man_at)
            return {"currentTime": iso_ms(now), "triggerTime": trigger_time}

    def fire_dead_man(self, now: datetime) -> None:
        """Cancel every order and trigger if the dead man's switch is due."""
        if self.dead_man_at is not None and now >= self.dead_man_at:
            self.dead_man_at = None
            for target in sorted(self._working(), key=lambda o: (o.received, o.order_id)):
                self.cancel_working(target, now, "dead_man_switch")

    # -- status ------------------------------------------------------------------------------

    def order_statuses(self, order_ids: list[str], cli_ord_ids: list[str], now: datetime) -> list[dict[str, Any]]:
        """Return ``orders/status``: open orders and triggers, and those that left the book in the last 5 s."""
        with self.lock:
            if not order_ids and not cli_ord_ids:
                working = sorted(self._working(), key=lambda o: (o.received, o.order_id))
                return [self._status_of(target, now) for target in working]
            found: list[dict[str, Any]] = []
            for order_id in order_ids:
                found += self._statuses(now, "order_id", order_id)
            for cli_ord_id in cli_ord_ids:
                found += self._statuses(now, "cli_ord_id", cli_ord_id)
            return found

    def _statuses(self, now: datetime, attribute: str, wanted: str) -> list[dict[str, Any]]:
        """Return the status of the order or trigger whose ``attribute`` is ``wanted`` (none if unknown)."""
        working = [target for target in self._working() if getattr(target, attribute) == wanted]
        if working:
            return [self._status_of(working[0], now)]
        recent = [
            closed
            for closed in self.closed.values()
            if getattr(closed.order, attribute) == wanted and now - closed.time <= STATUS_MEMORY
        ]
        return [_closed_json(closed) for closed in recent[-1:]]

    @staticmethod
    def _status_of(target: Order | Trigger, now: datetime) -> dict[str, Any]:
        if isinstance(target, Trigger):
            return {"order": target.cached_json(), "status": "TRIGGER_PLACED", "updateReason": None, "error": None}
        return {"order": target.cached_json(), "status": "ENTERED_BOOK", "updateReason": target.reason, "error": None}

    # -- shared checks -----------------------------------------------------------------------

    def _find(self, order_id: str | None, cli_ord_id: str | None) -> Order | Trigger | None:
        if order_id is not None:
            return self.orders.get(order_id) or self.triggers.get(order_id)
        return next((o for o in self._working() if o.cli_ord_id == cli_ord_id), None)

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


def _closed_json(closed: Closed) -> dict[str, Any]:
    """Return the ``orders/status`` entry of an order or trigger that left the book."""
    return {
        "order": closed.order.cached_json(),
        "status": closed.status,
        "updateReason": closed.reason,
        "error": closed.error,
    }


def _multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step`` (absurdly large values are not)."""
    try:
        return value % step == 0
    except InvalidOperation:
        return False
