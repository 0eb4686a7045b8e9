"""The simulated flex (multi-collateral) account: USD balance, positions, PnL and margin."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..market.market import Contract, MarginLevel
from ..orders import Order
from .figures import FlexFigures, MarginFigures
from .wallets import haircut, usd_value

#: The flex account's USD balance after every reset.
STARTING_USD = Decimal(10000)
#: The balance of each inverse margin account (in its base currency) after every reset.
STARTING_MARGIN = Decimal("0.1")
#: Taker fee as a fraction of notional.
TAKER_FEE = Decimal("0.0005")
#: Maker fee as a fraction of notional (a resting order filled by someone else).
MAKER_FEE = Decimal("0.0002")
ZERO = Decimal(0)


@dataclass
class Position:
    """An open position: signed size (long > 0), average entry price and when it was opened."""

    symbol: str
    size: Decimal
    price: Decimal
    opened: datetime

    @property
    def side(self) -> str:
        """``long`` or ``short``."""
        return "long" if self.size > 0 else "short"


def notional(contract: Contract, size: Decimal, price: Decimal) -> Decimal:
    """Return the USD value of ``size`` contracts at ``price`` (inverse contracts are worth USD each)."""
    if contract.inverse:
        return abs(size) * contract.contract_size
    return abs(size) * contract.contract_size * price


def pnl(contract: Contract, signed_size: Decimal, entry: Decimal, exit_price: Decimal) -> Decimal:
    """Return the USD profit of a position of ``signed_size`` entered at ``entry`` valued at ``exit_price``."""
    if contract.inverse:
        return signed_size * contract.contract_size * (1 / entry - 1 / exit_price) * exit_price
    return signed_size * contract.contract_size * (exit_price - entry)


def average_entry(contract: Contract, size: Decimal, price: Decimal, amount: Decimal, fill: Decimal) -> Decimal:
    """Return the entry price after adding ``amount`` at ``fill`` to ``size`` entered at ``price``."""
    total = size + amount
    if contract.inverse:
        return total / (size / price + amount / fill)
    return (size * price + amount * fill) / total


def margin_account_of(contract: Contract) -> str | None:
    """Return the margin account an inverse contract trades from (``fi_xbtusd``), ``None`` for flex ones."""
    if not contract.inverse:
        return None
    return f"fi_{contract.base.lower()}{contract.quote.lower()}"


def margin_currency(name: str) -> str:
    """Return the one currency a margin account holds (``xbt`` for ``fi_xbtusd``)."""
    return name[3:-3]


def order_margin(contract: Contract, order: Order) -> Decimal:
    """Return the initial margin an open order reserves (reduce-only orders reserve none)."""
    if order.reduce_only:
        return ZERO
    return notional(contract, order.unfilled, order.limit_price) * contract.initial_margin_rate


#: A share of margin: the margin account it is reserved in (``None`` for flex), and how much in its currency.
Share = tuple[str | None, Decimal]
#: Everything an order's share is worked out from: the order's size, fills, limit and reduce-only flag,
#: and its contract's type, base currency, contract size and margin tiers.
_Inputs = tuple[Decimal, Decimal, Decimal, bool, str, str, Decimal, tuple[MarginLevel, ...]]


def order_share(contract: Contract, order: Order) -> Share:
    """Return where an open order reserves initial margin and how much: USD in flex, else the account's currency."""
    name = margin_account_of(contract)
    margin = order_margin(contract, order)
    return (None, margin) if name is None else (name, margin / order.limit_price)


class Reservations:
    """The share of initial margin each open order reserves, worked out once per state of the order.

    Shares are kept by order id with the inputs they were worked out from; a share whose inputs
    changed (a fill, an edit) is worked out afresh, and orders no longer open are forgotten. The
    totals are still summed over the open orders in their order, so they are the same decimals.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[_Inputs, Share]] = {}

    def shares(self, contracts: Mapping[str, Contract], orders: Iterable[Order]) -> list[Share]:
        """Return the share of each open order, in order."""
        known, current, shares = self._known, {}, []
        for order in orders:
            contract = contracts[order.symbol]
            inputs = (
                order.quantity,
                order.filled,
                order.limit_price,
                order.reduce_only,
                contract.type,
                contract.base,
                contract.contract_size,
                contract.margin_levels,
            )
            entry = known.get(order.order_id)
            if entry is None or entry[0] != inputs:
                entry = (inputs, order_share(contract, order))
            current[order.order_id] = entry
            shares.append(entry[1])
        self._known = current
        return shares


class Account:
    """USD balance and positions of the one simulated account."""

    def __init__(self, usd: Decimal = STARTING_USD) -> None:
        self.usd = usd
        self.positions: dict[str, Position] = {}
        self.cash: dict[str, Decimal] = {"xbt": ZERO, "eth": ZERO, "usd": ZERO}
        self.collateral: dict[str, Decimal] = {}
        self.margin: dict[str, Decimal] = {"fi_xbtusd": STARTING_MARGIN}
        self.reservations = Reservations()

    def move(self, wallet: str, unit: str, change: Decimal) -> None:
        """Credit (or with a negative change, debit) a currency in the cash, flex or a margin wallet."""
        if wallet in self.margin:
            self.margin[wallet] += change
        elif wallet == "flex" and unit == "usd":
            self.usd += change
        elif wallet == "flex":
            self.collateral[unit] = self.collateral.get(unit, ZERO) + change
        else:
            self.cash[unit] = self.cash.get(unit, ZERO) + change

    def balance(self, wallet: str, unit: str) -> Decimal:
        """Return what the cash, flex or a margin wallet holds of a currency (a margin account: its one)."""
        if wallet in self.margin:
            return self.margin[wallet]
        if wallet == "flex":
            return self.usd if unit == "usd" else self.collateral.get(unit, ZERO)
        return self.cash.get(unit, ZERO)

    def set_balance(self, wallet: str, unit: str, amount: Decimal) -> Decimal:
        """Set (not add to) what a wallet holds of a currency; return the balance it replaced."""
        old = self.balance(wallet, unit)
        self.move(wallet, unit, amount - old)
        return old

    def balances(self) -> dict[str, dict[str, Decimal]]:
        """Return every wallet's balances by upper-case currency: flex, cash, then each margin account."""
        flex = {"USD": self.usd, **{unit.upper(): q for unit, q in sorted(self.collateral.items())}}
        found = {"flex": flex, "cash": {unit.upper(): q for unit, q in self.cash.items()}}
        for name in sorted(self.margin):
            found[name] = {margin_currency(name).upper(): self.margin[name]}
        return found

    def collateral_value(self) -> Decimal:
        """Return the USD value the flex wallet's non-USD currencies count as collateral (after haircuts)."""
        return sum((usd_value(u, q) * (1 - haircut(u)) for u, q in self.collateral.items()), ZERO)

    def signed_position(self, symbol: str) -> Decimal:
        """Return the signed size of the position in a contract (0 when flat)."""
        position = self.positions.get(symbol)
        return position.size if position is not None else ZERO

    def apply_fill(
        self,
        contract: Contract,
        side: str,
        amount: Decimal,
        price: Decimal,
        now: datetime,
        fee_rate: Decimal = TAKER_FEE,
    ) -> None:
        """Book a fill: grow, reduce, close or flip the position, realise PnL and charge the fee.

        Flex contracts settle in the flex wallet's USD; inverse contracts in their margin account's
        base currency.
        """
        self.settle(contract, -notional(contract, amount, price) * fee_rate, price)
        delta = amount if side == "buy" else -amount
        position = self.positions.get(contract.symbol)
        if position is None:
            self.positions[contract.symbol] = Position(contract.symbol, delta, price, now)
            return
        if (position.size > 0) == (delta > 0):
            position.price = average_entry(contract, abs(position.size), position.price, amount, price)
            position.size += delta
            return
        closing = min(abs(position.size), amount)
        direction = Decimal(1) if position.size > 0 else Decimal(-1)
        self.settle(contract, pnl(contract, direction * closing, position.price, price), price)
        if closing < abs(position.size):
            position.size -= direction * closing
        elif closing < amount:
            self.positions[contract.symbol] = Position(contract.symbol, delta + direction * closing, price, now)
        else:
            del self.positions[contract.symbol]

    def settle(self, contract: Contract, usd: Decimal, price: Decimal) -> None:
        """Credit (or debit) a USD amount of a contract where it settles: flex USD, or base currency at ``price``."""
        name = margin_account_of(contract)
        if name is None:
            self.usd += usd
        else:
            self.margin[name] = self.margin.get(name, ZERO) + usd / price

    def settlement_balance(self, contract: Contract) -> tuple[str, str, Decimal]:
        """Return where a contract settles: (asset, account, balance)."""
        name = margin_account_of(contract)
        if name is None:
            return "usd", "flex", self.usd
        return contract.base.lower(), name, self.margin.get(name, ZERO)

    def unrealized(self, contracts: Mapping[str, Contract]) -> Decimal:
        """Return the unrealised USD PnL of the flex positions at mark."""
        return sum(
            (
                pnl(contracts[p.symbol], p.size, p.price, contracts[p.symbol].mark_price)
                for p in self.positions.values()
                if not contracts[p.symbol].inverse
            ),
            ZERO,
        )

    def margin_figures(self, name: str, contracts: Mapping[str, Contract], orders: Iterable[Order]) -> MarginFigures:
        """Return a margin account's figures in its base currency."""
        balance = self.margin.get(name, ZERO)
        unrealized = im = mm = ZERO
        for position in self.positions.values():
            contract = contracts[position.symbol]
            if margin_account_of(contract) != name:
                continue
            mark = contract.mark_price
            unrealized += pnl(contract, position.size, position.price, mark) / mark
            im += notional(contract, position.size, mark) / mark * contract.initial_margin_rate
            mm += notional(contract, position.size, mark) / mark * contract.maintenance_margin_rate
        for account, margin in self.reservations.shares(contracts, orders):
            if account == name:
                im += margin
        value = balance + unrealized
        return MarginFigures(balance, unrealized, value, im, mm, value - im)

    def flex_figures(self, contracts: Mapping[str, Contract], orders: Iterable[Order]) -> FlexFigures:
        """Return the flex account's figures, all in USD."""
        position_im = ZERO
        position_mm = ZERO
        for position in self.positions.values():
            contract = contracts[position.symbol]
            if contract.inverse:
                continue
            value = notional(contract, position.size, contract.mark_price)
            position_im += value * contract.initial_margin_rate
            position_mm += value * contract.maintenance_margin_rate
        shares = self.reservations.shares(contracts, orders)
        orders_im = sum((margin for account, margin in shares if account is None), ZERO)
        unrealized = self.unrealized(contracts)
        collateral = self.usd + self.collateral_value()
        equity = collateral + unrealized
        with_orders = position_im + orders_im
        return FlexFigures(
            initial_margin=position_im,
            initial_margin_with_orders=with_orders,
            maintenance_margin=position_mm,
            balance_value=collateral,
            portfolio_value=equity,
            collateral_value=collateral,
            pnl=unrealized,
            unrealized_funding=ZERO,
            total_unrealized=unrealized,
            total_unrealized_as_margin=unrealized,
            available_margin=equity - with_orders,
            margin_equity=equity,
        )
