"""Liquidation: when an account's value falls below its maintenance margin, its positions are closed at mark.

Checked whenever prices move or funding is paid. The flex account is liquidated as a whole;
an inverse margin account on its own. Resting orders of the liquidated contracts are
cancelled first (reason ``not_enough_margin``); each position is then closed by a
``liquidation`` order filled at the mark price, less the liquidation fee.
"""

from __future__ import annotations

from datetime import datetime

from ..account.account import margin_account_of
from ..market.market import Contract
from ..orders import Order
from ..records.journal_events import OrderPlaced
from .cancels import Cancels
from .engine_state import LIQUIDATION, EngineState
from .fills import Fills


class Liquidations:
    """Close the positions of an account whose value no longer covers its maintenance margin."""

    def __init__(self, state: EngineState, cancels: Cancels, fills: Fills) -> None:
        self.state = state
        self.cancels = cancels
        self.fills = fills

    def check(self, now: datetime) -> None:
        """Liquidate the flex account and each margin account that is below maintenance margin."""
        account, contracts, orders = self.state.account, self.state.contracts, self.state.orders
        flex = account.flex_figures(contracts, orders.values())
        if flex.portfolio_value < flex.maintenance_margin:
            self._liquidate(now, None)
        for name in sorted(account.margin):
            figures = account.margin_figures(name, contracts, orders.values())
            if figures.maintenance_margin > 0 and figures.portfolio_value < figures.maintenance_margin:
                self._liquidate(now, name)

    def _liquidate(self, now: datetime, account: str | None) -> None:
        """Cancel the account's working orders, then close each of its positions at mark."""
        state = self.state
        held = [state.contracts[symbol] for symbol in sorted(state.account.positions)]
        contracts = [c for c in held if margin_account_of(c) == account]
        for target in state.working():
            if margin_account_of(state.contracts[target.symbol]) == account:
                self.cancels.cancel_working(target, now, "not_enough_margin")
        for contract in contracts:
            self._close_at_mark(contract, now)

    def _close_at_mark(self, contract: Contract, now: datetime) -> None:
        """Fill a liquidation order for the whole position at the contract's mark price."""
        size = self.state.account.signed_position(contract.symbol)
        order = Order(
            order_id=self.state.ids.uuid(),
            cli_ord_id=None,
            type="liquidation",
            symbol=contract.symbol,
            side="sell" if size > 0 else "buy",
            quantity=abs(size),
            limit_price=contract.mark_price,
            reduce_only=True,
            received=now,
            last_update=now,
            reason="LIQUIDATION_ORDER",
        )
        self.state.journal.append(now, OrderPlaced(order.snapshot(), "liquidation_order"))
        self.fills.book_fill(contract, order, contract.mark_price, abs(size), now, LIQUIDATION)
        self.fills.record_fills(order, now)
