"""Kraken's JSON of the account's money: ``/accounts``, ``/openpositions`` and the subaccounts list."""

from __future__ import annotations

from typing import Any

from ..domain.account.figures import (
    AccountsSnapshot,
    FlexAccount,
    FlexFigures,
    Holding,
    MarginAccount,
    OpenPosition,
    Requirements,
)
from ..domain.account.identity import ACCOUNT_UID
from ..domain.account.wallets import Subaccount
from ..domain.clock import iso_ms
from .numbers import number


def accounts_json(snapshot: AccountsSnapshot) -> dict[str, Any]:
    """Return the ``accounts`` object: the cash account, the flex account, then each margin account."""
    cash = {unit: number(quantity) for unit, quantity in snapshot.cash}
    found: dict[str, Any] = {
        "cash": {"type": "cashAccount", "balances": cash},
        "flex": {
            "type": "multiCollateralMarginAccount",
            "currencies": {holding.currency.upper(): _holding_json(holding) for holding in snapshot.flex.currencies},
            **flex_figures_json(snapshot.flex.figures),
        },
    }
    for account in snapshot.margin_accounts:
        found[account.name] = margin_account_json(account)
    return found


def flex_figures_json(figures: FlexFigures) -> dict[str, float]:
    """Return a flex account's margin figures, in Kraken's order."""
    return {
        "initialMargin": number(figures.initial_margin),
        "initialMarginWithOrders": number(figures.initial_margin_with_orders),
        "maintenanceMargin": number(figures.maintenance_margin),
        "balanceValue": number(figures.balance_value),
        "portfolioValue": number(figures.portfolio_value),
        "collateralValue": number(figures.collateral_value),
        "pnl": number(figures.pnl),
        "unrealizedFunding": number(figures.unrealized_funding),
        "totalUnrealized": number(figures.total_unrealized),
        "totalUnrealizedAsMargin": number(figures.total_unrealized_as_margin),
        "availableMargin": number(figures.available_margin),
        "marginEquity": number(figures.margin_equity),
    }


def margin_account_json(account: MarginAccount) -> dict[str, Any]:
    """Return one inverse margin account (``type`` marginAccount), figures in its base currency."""
    figures = account.figures
    return {
        "type": "marginAccount",
        "currency": account.currency,
        "balances": {account.currency: number(figures.balance)},
        "auxiliary": {
            "usd": number(account.usd_value),
            "pv": number(figures.portfolio_value),
            "pnl": number(figures.pnl),
            "af": number(figures.available_funds),
            "funding": number(account.funding),
        },
        "marginRequirements": _requirements_json(account.requirements),
        "triggerEstimates": _requirements_json(account.trigger_estimates),
    }


def position_json(position: OpenPosition) -> dict[str, Any]:
    """Return the ``/openpositions`` entry of a position (``pnlCurrency`` only when it has one)."""
    entry: dict[str, Any] = {
        "side": position.side,
        "symbol": position.symbol,
        "price": number(position.price),
        "fillTime": iso_ms(position.opened),
        "size": number(position.size),
        "unrealizedFunding": None if position.unrealized_funding is None else number(position.unrealized_funding),
    }
    if position.pnl_currency is not None:
        entry["pnlCurrency"] = position.pnl_currency
    return entry


def subaccounts_json(subaccounts: list[Subaccount]) -> dict[str, Any]:
    """Return the ``/subaccounts`` answer: the master account's uid and each subaccount."""
    return {"masterAccountUid": ACCOUNT_UID, "subaccounts": [subaccount_json(s) for s in subaccounts]}


def subaccount_json(subaccount: Subaccount) -> dict[str, Any]:
    """Return the ``/subaccounts`` entry of a subaccount: its holding and flex balances."""
    return {
        "accountUid": subaccount.uid,
        "email": subaccount.email,
        "fullName": subaccount.full_name,
        "holdingAccounts": [{"currency": u, "amount": number(q)} for u, q in subaccount.holding_balances()],
        "futuresAccounts": [],
        "flexAccount": _listed_flex_json(subaccount.flex_account()),
    }


def _listed_flex_json(flex: FlexAccount) -> dict[str, Any]:
    """Return a subaccount's flex account: its currencies as a list, then its margin figures."""
    currencies = [{"currency": holding.currency, **_holding_json(holding)} for holding in flex.currencies]
    return {"currencies": currencies, **flex_figures_json(flex.figures)}


def _holding_json(holding: Holding) -> dict[str, float]:
    """Return what a flex account holds of one currency."""
    return {
        "quantity": number(holding.quantity),
        "value": number(holding.value),
        "collateral": number(holding.collateral),
        "available": number(holding.available),
    }


def _requirements_json(requirements: Requirements) -> dict[str, float]:
    """Return an inverse account's four margin levels (or the marks they are met at) by Kraken's short names."""
    return {
        "im": number(requirements.initial),
        "mm": number(requirements.maintenance),
        "lt": number(requirements.liquidation),
        "tt": number(requirements.termination),
    }
