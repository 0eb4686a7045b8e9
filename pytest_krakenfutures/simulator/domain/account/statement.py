"""The account's statement: every account's balances and figures, and the open positions, at one moment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..market.market import Contract
from ..orders import Order
from .account import ZERO, Account, margin_account_of, margin_currency
from .figures import AccountsSnapshot, FlexAccount, Holding, MarginAccount, OpenPosition, Requirements
from .wallets import holding


def accounts_snapshot(account: Account, contracts: Mapping[str, Contract], orders: Iterable[Order]) -> AccountsSnapshot:
    """Return every account at this moment: the cash account, the funded flex account, each margin account."""
    listed = list(orders)
    figures = account.flex_figures(contracts, listed)
    usd = account.usd
    available = max(ZERO, min(usd, figures.available_margin))
    currencies = [Holding("usd", usd, usd, usd, available)]
    currencies += [holding(unit, quantity) for unit, quantity in sorted(account.collateral.items())]
    margin_accounts = tuple(margin_account(account, name, contracts, listed) for name in sorted(account.margin))
    return AccountsSnapshot(tuple(account.cash.items()), FlexAccount(tuple(currencies), figures), margin_accounts)


def margin_account(
    account: Account, name: str, contracts: Mapping[str, Contract], orders: Iterable[Order]
) -> MarginAccount:
    """Return one inverse margin account: its figures in its base currency and the marks of its requirements."""
    figures = account.margin_figures(name, contracts, orders)
    index = next((c.mark_price for c in contracts.values() if margin_account_of(c) == name), Decimal(1))
    maintenance = figures.maintenance_margin
    requirements = Requirements(figures.initial_margin, maintenance, maintenance, maintenance / 2)
    levels = (requirements.initial, maintenance, requirements.liquidation, requirements.termination)
    estimates = Requirements(*(trigger_estimate(account, name, contracts, level) for level in levels))
    usd = figures.portfolio_value * index
    return MarginAccount(name, margin_currency(name), figures, usd, ZERO, requirements, estimates)


def trigger_estimate(account: Account, name: str, contracts: Mapping[str, Contract], requirement: Decimal) -> Decimal:
    """Return the mark price at which a margin account's value would fall to a requirement (0 without one position)."""
    held = [p for p in account.positions.values() if margin_account_of(contracts[p.symbol]) == name]
    if len(held) != 1 or requirement == 0:
        return ZERO
    position, contract = held[0], contracts[held[0].symbol]
    size = position.size * contract.contract_size
    rate = requirement * contract.mark_price / abs(size)
    denominator = account.margin.get(name, ZERO) + size / position.price
    if denominator <= 0:
        return ZERO
    return max(ZERO, (size + abs(size) * rate) / denominator)


def open_positions(account: Account, contracts: Mapping[str, Contract]) -> list[OpenPosition]:
    """Return the open positions, newest first."""
    listed = []
    for position in sorted(account.positions.values(), key=lambda p: (p.opened, p.symbol), reverse=True):
        contract = contracts[position.symbol]
        funding = ZERO if contract.perpetual else None
        currency = None if contract.inverse else "USD"
        listed.append(
            OpenPosition(
                position.symbol, position.side, position.price, abs(position.size), position.opened, funding, currency
            )
        )
    return listed
