"""Fills of the account's orders: as taker, or as maker when the market reaches a resting one; journaled."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ...errors import INVALID, Refused
from ..account.account import MAKER_FEE, TAKER_FEE, ZERO, notional
from ..market.book import Level
from ..market.market import Contract
from ..orders import Order, execution_event, place_event
from ..records import journal
from ..records.journal import Execution
from .engine_state import LIQUIDATION, LIQUIDATION_FEE, MAKER, TAKER, TAKER_AFTER_EDIT, Closed, EngineState


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
        prior_edit: Order | None = None,
    ) -> list[dict[str, Any]]:
        """Book an order's fills, then rest what is left (an IOC's remainder is dropped); return the events."""
        state = self.state
        events: list[dict[str, Any]] = []
        fill_type = TAKER_AFTER_EDIT if prior_edit else TAKER
        for price, amount in fills:
            prior = order.snapshot()
            execution_id = self.book_fill(contract, order, price, amount, now, fill_type)
            events.append(execution_event(execution_id, price, amount, prior, reduced, prior_edit))
        if fills:
            self.record_fills(order, now)
        if order.unfilled == 0:
            return events
        if order.type not in ("ioc", "fok"):
            if order.order_id not in state.orders:
                state.orders[order.order_id] = order
                events.append(place_event(order, reduced))
        else:
            state.journal.append(now, journal.ORDER_CANCELLED, order=order.order_json(), reason="ioc_remainder")
            state.closed[order.order_id] = Closed(order, "CANCELLED", now, "IOC_WOULD_NOT_EXECUTE_REASON")
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
        maker = fill_type == MAKER
        liquidated = fill_type == LIQUIDATION
        asset, wallet, old_balance = state.account.settlement_balance(contract)
        old_position = state.account.positions.get(contract.symbol)
        old_size = old_position.size if old_position else ZERO
        old_price = old_position.price if old_position else None
        before = order.order_json()
        order.filled += amount
        order.last_update = now
        rate = MAKER_FEE if maker else LIQUIDATION_FEE if liquidated else TAKER_FEE
        state.account.apply_fill(contract, order.side, amount, price, now, rate)
        state.stats[contract.symbol].record(contract, price, amount, now)
        fee = notional(contract, amount, price) * rate
        if contract.inverse:
            fee /= price
        new_balance = state.account.settlement_balance(contract)[2]
        realized = new_balance - old_balance + fee
        new_position = state.account.positions.get(contract.symbol)
        new_size = new_position.size if new_position else ZERO
        new_price = None if new_position is None else str(new_position.price)
        execution_id = state.ids.uuid()
        execution = Execution(
            execution_id=execution_id,
            symbol=contract.symbol,
            price=price,
            quantity=amount,
            mark_price=contract.mark_price,
            taker_order=None if maker else order.order_json(),
            maker_order=order.order_json() if maker else None,
            fee=fee,
            fee_currency=asset.upper(),
            fill_type=fill_type,
            position_size=new_size,
        )
        state.journal.append(now, journal.EXECUTION, **execution.data())
        reason = "full_fill" if order.unfilled == 0 else "partial_fill"
        state.journal.append(now, journal.ORDER_UPDATED, old_order=before, new_order=order.order_json(), reason=reason)
        state.journal.append(
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
            trade_type="liquidation" if liquidated else "userExecution",
            execution_id=execution_id,
        )
        state.journal.append(
            now,
            journal.LEDGER,
            asset=asset,
            info="futures liquidation" if liquidated else "futures trade",
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
            liquidation_fee=str(fee) if liquidated else None,
        )
        return execution_id

    def reject(self, order: Order, now: datetime, error: str) -> None:
        """Journal an order refused at the book, and remember it for ``orders/status``."""
        self.state.journal.append(
            now, journal.ORDER_REJECTED, order=order.order_json(), reason=error.lower(), order_error=error
        )
        self.state.closed[order.order_id] = Closed(order, "REJECTED", now, f"{error}_REASON", error)

    def outside_trade(self, symbol: str, side: str, size: Decimal, price: Decimal, now: datetime) -> dict[str, Any]:
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
        remaining, fills = size, []
        for order in reached:
            if remaining <= 0:
                break
            amount = min(order.unfilled, remaining)
            self.book_fill(contract, order, order.limit_price, amount, now, MAKER)
            remaining -= amount
            self.record_fills(order, now)
            fills.append({"order_id": order.order_id, "price": float(order.limit_price), "size": float(amount)})
        return {"fills": fills, "unfilled": float(remaining)}

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
            self.state.closed[order.order_id] = Closed(order, "FULLY_EXECUTED", now, "FULL_FILL")
