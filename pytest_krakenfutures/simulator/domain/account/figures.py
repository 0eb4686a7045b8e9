"""The account's figures as typed values: balances, margin, PnL and open positions, all in Decimals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Holding:
    """One currency a flex wallet holds: its quantity, USD value, collateral value and what may leave."""

    currency: str
    quantity: Decimal
    value: Decimal
    collateral: Decimal
    available: Decimal


@dataclass(frozen=True, slots=True)
class FlexFigures:
    """The margin figures of a flex (multi-collateral) account, all in USD."""

    initial_margin: Decimal
    initial_margin_with_orders: Decimal
    maintenance_margin: Decimal
    balance_value: Decimal
    portfolio_value: Decimal
    collateral_value: Decimal
    pnl: Decimal
    unrealized_funding: Decimal
    total_unrealized: Decimal
    total_unrealized_as_margin: Decimal
    available_margin: Decimal
    margin_equity: Decimal


@dataclass(frozen=True, slots=True)
class FlexAccount:
    """A flex account: the currencies it holds, in order, and its margin figures."""

    currencies: tuple[Holding, ...]
    figures: FlexFigures


@dataclass(frozen=True, slots=True)
class MarginFigures:
    """The figures of an inverse margin account in its one currency: balance, PnL, value, margins, funds."""

    balance: Decimal
    pnl: Decimal
    portfolio_value: Decimal
    initial_margin: Decimal
    maintenance_margin: Decimal
    available_funds: Decimal


@dataclass(frozen=True, slots=True)
class Requirements:
    """The margin levels of an inverse account: initial, maintenance, liquidation and termination."""

    initial: Decimal
    maintenance: Decimal
    liquidation: Decimal
    termination: Decimal


@dataclass(frozen=True, slots=True)
class MarginAccount:
    """An inverse margin account: figures, USD value, unrealised funding, requirements, marks they are met at."""

    name: str
    currency: str
    figures: MarginFigures
    usd_value: Decimal
    funding: Decimal
    requirements: Requirements
    trigger_estimates: Requirements


@dataclass(frozen=True, slots=True)
class AccountsSnapshot:
    """Every account of the master account at one moment: cash balances, the flex and the margin accounts."""

    cash: tuple[tuple[str, Decimal], ...]
    flex: FlexAccount
    margin_accounts: tuple[MarginAccount, ...]


@dataclass(frozen=True, slots=True)
class OpenPosition:
    """An open position: side, unsigned size, entry price, when it was opened, its funding and PnL currency.

    ``unrealized_funding`` is ``None`` for a contract that pays no funding (one with an expiry);
    ``pnl_currency`` is ``None`` for an inverse contract, whose PnL is in its base currency.
    """

    symbol: str
    side: str
    price: Decimal
    size: Decimal
    opened: datetime
    unrealized_funding: Decimal | None
    pnl_currency: str | None
