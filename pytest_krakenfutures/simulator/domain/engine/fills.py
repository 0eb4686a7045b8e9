"""Fills of the account's orders: as taker, or as maker when the market reaches a resting one; journaled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ...errors import INVALID, Refused
from ..account.account import MAKER_FEE, TAKER_FEE, ZERO, notional
from ..market.book import Level
from ..market.market import Contract
from ..order_events import ExecutionEvent, OrderEvent, PlaceEvent, RejectEvent
from ..orders import Order, OrderSnapshot
from ..records.journal_events import (
    Execution,
    LedgerEntry,
    OrderCancelled,
    OrderRejected,
    OrderUpdated,
    PositionUpdated,
)
from .engine_state import LIQUIDATION, LIQUIDATION_FEE, MAKER, TAKER, TAKER_AFTER_EDIT, Closed, EngineState


@dataclass(frozen=True)
class OutsideFill:
    """One of the account's resting orders filled by another participant's order: at its limit, this size."""

    order_id: str
    price: Decimal
    size: Decimal


@dataclass(frozen=True)
class OutsideTrade:
    """What another participant's order did to the account's book: the fills, and the size it had left."""

    fills: tuple[OutsideFill, ...]
    unfilled: Decimal


@dataclass(frozen=True)
class _Booked:
    """One booked fill: its id and type, price, size and fee, and the balance and position before and after."""

    execution_id: str
    fill_type: str
    price: Decimal
    amount: Decimal
    fee: Decimal
    asset: str
    wallet: str
    old_balance: Decimal
    new_balance: Decimal
    old_size: Decimal
    new_size: Decimal
    old_price: Decimal | None
    new_price: Decimal | None


class Fills:
    """Book fills, rest or drop remainders, and let the rest of the market fill resting orders."""

    def __init__(self, state: EngineState) -> None:
        self.state = state

    def fill_and_rest(
        self,
        contract: Contract,
        order: Order,
        fills: list[Level],
        now: datetime,
        reduced: Decimal | None,
        prior_edit: OrderSnapshot | None = None,
    ) -> list[OrderEvent]:
        """Book an order's fills, then rest what is left (an IOC's remainder is dropped); return the events."""
        state = self.state
        events: list[OrderEvent] = []
        fill_type = TAKER_AFTER_EDIT if prior_edit else TAKER
        for price, amount in fills:
            prior = order.snapshot()
            execution_id = self.book_fill(contract, order, price, amount, now, fill_type)
            events.append(ExecutionEvent(execution_id, price, amount, prior, reduced, prior_edit))
        if fills:
            self.record_fills(order, now)
        if order.unfilled == 0:
            return events
        if order.type not in ("ioc", "fok"):
            if order.order_id not in state.orders:
                state.orders[order.order_id] = order
                events.append(PlaceEvent(order.snapshot(), reduced))
        else:
            remainder = order.snapshot()
            state.journal.append(now, OrderCancelled(remainder, "ioc_remainder"))
            state.closed[order.order_id] = Closed(remainder, "CANCELLED", now, "IOC_WOULD_NOT_EXECUTE_REASON")
        return events

    def book_fill(
        self,
        contract: Contract,
        order: Order,
        price: Decimal,
        amount: Decimal,
        now: datetime,
        fill_type: str = TAKER,
    ) -> str:
        """Book one fill of the account's order (``taker``, ``takerAfterEdit``, ``maker`` or ``liquidation``).

        Balances, position, ticker and journal follow; return the execution's id.
        """
        state = self.state
        asset, wallet, old_balance = state.account.settlement_balance(contract)
        old_position = state.account.positions.get(contract.symbol)
        old_size = old_position.size if old_position else ZERO
        old_price = old_position.price if old_position else None
        before = order.snapshot()
        order.filled += amount
        order.last_update = now
        rate = MAKER_FEE if fill_type == MAKER else LIQUIDATION_FEE if fill_type == LIQUIDATION else TAKER_FEE
        state.account.apply_fill(contract, order.side, amount, price, now, rate)
        state.stats[contract.symbol].record(contract, price, amount, now)
        fee = notional(contract, amount, price) * rate
        if contract.inverse:
            fee /= price
        new_position = state.account.positions.get(contract.symbol)
        booked = _Booked(
            execution_id=state.ids.uuid(),
            fill_type=fill_type,
            price=price,
            amount=amount,
            fee=fee,
            asset=asset,
            wallet=wallet,
            old_balance=old_balance,
            new_balance=state.account.settlement_balance(contract)[2],
            old_size=old_size,
            new_size=new_position.size if new_position else ZERO,
            old_price=old_price,
            new_price=new_position.price if new_position else None,
        )
        self._journal_fill(contract, before, order.snapshot(), booked, now)
        return booked.execution_id

    def _journal_fill(
        self, contract: Contract, before: OrderSnapshot, after: OrderSnapshot, booked: _Booked, now: datetime
    ) -> None:
        """Journal a booked fill: the execution, the order's update, the position's and the ledger's entries."""
        journal = self.state.journal
        liquidated = booked.fill_type == LIQUIDATION
        realized = booked.new_balance - booked.old_balance + booked.fee
        execution = Execution(
            execution_id=booked.execution_id,
            symbol=contract.symbol,
            price=booked.price,
            quantity=booked.amount,
            mark_price=contract.mark_price,
            order=after,
            fee=booked.fee,
            fee_currency=booked.asset.upper(),
            fill_type=booked.fill_type,
            position_size=booked.new_size,
        )
        journal.append(now, execution)
        journal.append(now, OrderUpdated(before, after, "full_fill" if after.unfilled == 0 else "partial_fill"))
        position = PositionUpdated(
            symbol=contract.symbol,
            old_position=booked.old_size,
            new_position=booked.new_size,
            old_average_price=booked.old_price,
            new_average_price=booked.new_price,
            realized_pnl=realized,
            fee=booked.fee,
            update_reason="trade",
            trade_type="liquidation" if liquidated else "userExecution",
            execution_id=booked.execution_id,
        )
        journal.append(now, position)
        ledger = LedgerEntry(
            asset=booked.asset,
            info="futures liquidation" if liquidated else "futures trade",
            margin_account=booked.wallet,
            change=booked.new_balance - booked.old_balance,
            old_balance=booked.old_balance,
            new_balance=booked.new_balance,
            contract=contract.symbol,
            execution=booked.execution_id,
            fee=booked.fee,
            mark_price=contract.mark_price,
            trade_price=booked.price,
            realized_pnl=realized,
            old_average_entry_price=booked.old_price,
            new_average_entry_price=booked.new_price,
            liquidation_fee=booked.fee if liquidated else None,
        )
        journal.append(now, ledger)

    def reject(self, order: Order, now: datetime, error: str) -> RejectEvent:
        """Journal an order refused at the book, remember it for ``orders/status``, and return its reject event."""
        snapshot = order.snapshot()
        self.state.journal.append(now, OrderRejected(snapshot, error.lower(), error))
        self.state.closed[order.order_id] = Closed(snapshot, "REJECTED", now, f"{error}_REASON", error)
        return RejectEvent(snapshot, error)

    def outside_trade(self, symbol: str, side: str, size: Decimal, price: Decimal, now: datetime) -> OutsideTrade:
        """Let another participant's ``side`` order of ``size`` at ``price`` fill the account's resting orders.

        Resting orders on the other side at or through ``price`` fill as makers, best price
        first, then oldest first; return the fills and the size left over.
        """
        contract = self.state.require_contract(symbol)
        if side not in ("buy", "sell") or size <= 0 or price <= 0:
            raise Refused(INVALID)
        reached = [
            order
            for order in self.state.orders.values()
            if order.symbol == contract.symbol
            and order.side != side
            and (order.limit_price >= price if side == "sell" else order.limit_price <= price)
        ]
        reached.sort(key=lambda o: (-o.limit_price if o.side == "buy" else o.limit_price, o.received, o.order_id))
        remaining, fills = size, list[OutsideFill]()
        for order in reached:
            if remaining <= 0:
                break
            amount = min(order.unfilled, remaining)
            self.book_fill(contract, order, order.limit_price, amount, now, MAKER)
            remaining -= amount
            self.record_fills(order, now)
            fills.append(OutsideFill(order.order_id, order.limit_price, amount))
        return OutsideTrade(tuple(fills), remaining)

    def fill_reached(self, contract: Contract, now: datetime) -> None:
        """Fill, as a maker at its limit, each resting order the (moved) book now reaches."""
        resting = [o for o in self.state.orders.values() if o.symbol == contract.symbol]
        for order in sorted(resting, key=lambda o: (o.received, o.order_id)):
            taken = self.state.books[contract.symbol].take(order.side, order.unfilled, order.limit_price)
            amount = sum((size for _, size in taken), ZERO)
            if amount > 0:
                self.book_fill(contract, order, order.limit_price, amount, now, MAKER)
                self.record_fills(order, now)

    def record_fills(self, order: Order, now: datetime) -> None:
        """Note an order's fill progress; a fully filled one leaves the book for the filled orders."""
        order.reason = "FULL_FILL" if order.unfilled == 0 else "PARTIAL_FILL"
        if order.unfilled == 0:
            self.state.orders.pop(order.order_id, None)
            self.state.filled[order.order_id] = order
            self.state.closed[order.order_id] = Closed(order.snapshot(), "FULLY_EXECUTED", now, "FULL_FILL")
