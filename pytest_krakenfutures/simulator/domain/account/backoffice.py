"""The account's back office beside the order engine: settings, wallets, the assignment program.

The exchange keeps one and starts a fresh one whenever it is reset. The order engine reads the
settings (a contract's fixed leverage); the back office checks a leverage preference against the
engine account's margin, and books transfers and withdrawals on the engine account's balances.
It is called only under the exchange's lock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..engine.engine_state import EngineState
from ..market.market import Contract
from .account import ZERO, notional
from .account_settings import AccountSettings
from .assignment import AssignmentProgram
from .wallets import CASH, MARGIN_ACCOUNTS, Balances, Wallets, at_double_precision


class BackOffice:
    """Everything the account, history and charts handlers keep for one exchange generation, and its rules."""

    def __init__(self, state: EngineState) -> None:
        self.state = state
        self.settings = AccountSettings()
        self.wallets = Wallets()
        self.assignments = AssignmentProgram()

    # -- settings ----------------------------------------------------------------------------

    def set_leverage(self, contract: Contract | None, maximum: Decimal | None) -> None:
        """Isolate a contract at ``maximum`` leverage (``None``: back to cross margin) unless it would liquidate."""
        headroom = ZERO
        if contract is not None and maximum is not None and maximum > 0:
            headroom = self.leverage_headroom(contract, maximum)
        self.settings.set_leverage(contract, maximum, headroom)

    def leverage_headroom(self, contract: Contract, maximum: Decimal) -> Decimal:
        """Return the margin left if a contract's position were isolated at ``maximum`` leverage."""
        account = self.state.account
        figures = account.flex_figures(self.state.contracts, self.state.orders.values())
        available = at_double_precision(figures.available_margin)
        position = account.positions.get(contract.symbol)
        if position is None:
            return available
        value = notional(contract, at_double_precision(abs(position.size)), contract.mark_price)
        return available + value * contract.initial_margin_rate - value / maximum

    # -- money movements ---------------------------------------------------------------------

    def transfer(self, wallets: tuple[str, str], unit: str, amount: Decimal, now: datetime) -> None:
        """Move ``amount`` of ``unit`` from one of the master account's wallets to another."""
        source, target = wallets
        self.wallets.transfer(self.balances(), source, target, unit, amount, now, self.state.journal.last_seq)

    def subaccount_transfer(
        self, users: tuple[str, str], wallets: tuple[str, str], unit: str, amount: Decimal, now: datetime
    ) -> None:
        """Move funds between the master account and its subaccounts (or within one of them)."""
        after = self.state.journal.last_seq
        self.wallets.subaccount_transfer(self.balances(), users, wallets, unit, amount, now, after)

    def withdraw(self, wallet: str, unit: str, amount: Decimal, now: datetime) -> str:
        """Send funds from a wallet to the Kraken Spot wallet; return the withdrawal's uid."""
        return self.wallets.withdraw(self.balances(), wallet, unit, amount, now, self.state.journal.last_seq)

    def balances(self) -> Balances:
        """Return the engine account's balances, read afresh each time and moved in place."""
        return Balances(self.wallet_balance, self.state.account.move)

    def wallet_balance(self, wallet: str, unit: str) -> tuple[Decimal, Decimal]:
        """Return what a wallet holds of a currency and how much of it may leave, at double precision."""
        account, contracts, orders = self.state.account, self.state.contracts, self.state.orders
        if wallet in MARGIN_ACCOUNTS:
            figures = account.margin_figures(wallet, contracts, list(orders.values()))
            held = at_double_precision(figures.balance) if unit == MARGIN_ACCOUNTS[wallet] else ZERO
            return held, min(held, at_double_precision(figures.available_funds))
        if wallet == CASH:
            value = at_double_precision(account.cash.get(unit, ZERO))
            return value, value
        if unit == "usd":
            margin = account.flex_figures(contracts, orders.values()).available_margin
            available = max(ZERO, min(account.usd, margin))
            return at_double_precision(account.usd), at_double_precision(available)
        quantity = at_double_precision(account.collateral.get(unit, ZERO))
        return quantity, quantity
