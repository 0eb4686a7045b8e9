"""Money movements outside trading: wallet transfers, subaccounts and withdrawals to the Spot wallet.

The order engine's account owns the flex and cash balances that ``/accounts`` shows; movements of
the master account are booked there (through a ``Balances`` reader that can also move) and
written to the account log as ledger lines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ...errors import Refused
from ..market.market import INDEX_PRICES
from ..records.journal import KEPT_PER_KIND, NOTHING_FORGOTTEN, Forgotten
from .figures import FlexAccount, FlexFigures, Holding
from .identity import ACCOUNT_UID, derived_uuid

INVALID_ACCOUNT = "invalidAccount"
INVALID_UNIT = "invalidUnit"
INVALID_AMOUNT = "invalidAmount"
INSUFFICIENT_FUNDS = "insufficientFunds"

CASH = "cash"
FLEX = "flex"
#: Inverse margin accounts, by name, with the one currency each holds.
MARGIN_ACCOUNTS = {"fi_xbtusd": "xbt"}
WALLETS = (CASH, FLEX, *MARGIN_ACCOUNTS)
#: Currencies a wallet may hold, as the cash account spells them.
UNITS = ("usd", "xbt", "eth", "usdc", "usdt", "eur", "gbp")
_UNIT_ALIASES = {"btc": "xbt"}
#: USD value of one unit, and the share of that value counted as collateral.
_USD_PRICE = {"xbt": INDEX_PRICES["in_xbtusd"], "eth": INDEX_PRICES["in_ethusd"]}
_HAIRCUT = {"usd": Decimal(0), "usdc": Decimal(0), "usdt": Decimal("0.01"), "eur": Decimal("0.01")}
_CRYPTO_HAIRCUT = Decimal("0.05")
ZERO = Decimal(0)

#: Reads the engine's balance of a currency in a wallet: (wallet, unit) -> (balance, available).
BalanceReader = Callable[[str, str], tuple[Decimal, Decimal]]


@dataclass(frozen=True)
class LedgerLine:
    """One account-log line written here; ``after`` and ``index``: how many journal entries and lines preceded it."""

    after: int
    time: datetime
    info: str
    wallet: str
    asset: str
    change: Decimal
    old_balance: Decimal
    new_balance: Decimal
    reference: str
    index: int


@dataclass
class Subaccount:
    """A subaccount of the simulated account, with its own holding and flex balances."""

    uid: str
    email: str
    full_name: str | None
    holdings: dict[str, Decimal] = field(default_factory=dict)
    flex: dict[str, Decimal] = field(default_factory=dict)
    trading_enabled: bool = True

    def balances(self, wallet: str) -> dict[str, Decimal]:
        """Return the balances of one of the subaccount's wallets (``cash`` is its holding account)."""
        return self.flex if wallet == FLEX else self.holdings

    def holding_balances(self) -> tuple[tuple[str, Decimal], ...]:
        """Return the holding account's balances by currency, in currency order."""
        return tuple(sorted(self.holdings.items()))

    def flex_account(self) -> FlexAccount:
        """Return the subaccount's flex account: its currencies in order, and figures without positions or orders."""
        currencies = tuple(holding(unit, self.flex[unit]) for unit in sorted(self.flex))
        balance = sum((usd_value(u, q) for u, q in self.flex.items()), ZERO)
        collateral = sum((usd_value(u, q) * (1 - haircut(u)) for u, q in self.flex.items()), ZERO)
        figures = FlexFigures(
            initial_margin=ZERO,
            initial_margin_with_orders=ZERO,
            maintenance_margin=ZERO,
            balance_value=balance,
            portfolio_value=balance,
            collateral_value=collateral,
            pnl=ZERO,
            unrealized_funding=ZERO,
            total_unrealized=ZERO,
            total_unrealized_as_margin=ZERO,
            available_margin=collateral,
            margin_equity=collateral,
        )
        return FlexAccount(currencies, figures)


def at_double_precision(amount: Decimal) -> Decimal:
    """Return an amount at the binary double precision Kraken keeps balances and prices in (zero as ``0``)."""
    double = float(amount)
    return Decimal(repr(double)) if double else ZERO


def usd_value(unit: str, quantity: Decimal) -> Decimal:
    """Return the USD value of a quantity of a currency."""
    return quantity * _USD_PRICE.get(unit, Decimal(1))


def haircut(unit: str) -> Decimal:
    """Return the share of a currency's value not counted as collateral."""
    return _HAIRCUT.get(unit, _CRYPTO_HAIRCUT)


def holding(unit: str, quantity: Decimal) -> Holding:
    """Return a flex wallet's holding of a currency, all of it free to leave."""
    value = usd_value(unit, quantity)
    return Holding(unit, quantity, value, value * (1 - haircut(unit)), quantity)


def default_subaccounts() -> list[Subaccount]:
    """Return the subaccounts every fresh exchange starts with."""
    return [
        Subaccount(
            uid=derived_uuid("subaccount", 1),
            email="market-maker@subaccounts.example",
            full_name="Market maker",
            holdings={"usd": Decimal(250), "xbt": Decimal("0.05")},
            flex={"usd": Decimal(1500)},
        ),
        Subaccount(
            uid=derived_uuid("subaccount", 2),
            email="hedging@subaccounts.example",
            full_name=None,
            holdings={"usd": Decimal(0)},
            flex={},
        ),
    ]


def unit_of(text: str) -> str:
    """Return a currency as the cash account spells it; an unknown currency is ``invalidUnit``."""
    unit = text.strip().lower()
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit not in UNITS:
        raise Refused(INVALID_UNIT)
    return unit


def wallet_of(text: str) -> str:
    """Return a wallet name; anything but ``cash``, ``flex`` or a margin account is ``invalidAccount``."""
    wallet = text.strip().lower()
    if wallet not in WALLETS:
        raise Refused(INVALID_ACCOUNT)
    return wallet


def units_held(wallet: str) -> tuple[str, ...]:
    """Return the currencies a wallet may hold: a margin account its one, cash and flex any of ``UNITS``."""
    return (MARGIN_ACCOUNTS[wallet],) if wallet in MARGIN_ACCOUNTS else UNITS


def amount_of(value: Decimal | None) -> Decimal:
    """Return a positive amount; zero, negative or absent amounts are ``invalidAmount``."""
    if value is None or not value.is_finite() or value <= 0:
        raise Refused(INVALID_AMOUNT)
    return value


class Wallets:
    """The master account's movements (booked on the engine's balances) and its subaccounts."""

    def __init__(self, kept: int = KEPT_PER_KIND) -> None:
        self.subaccounts = default_subaccounts()
        #: The latest ``kept`` movements, how many were ever written, and what was forgotten.
        self.kept = kept
        self.ledger: deque[LedgerLine] = deque()
        self.moved = 0
        self.forgotten = NOTHING_FORGOTTEN

    def subaccount(self, uid: str) -> Subaccount | None:
        """Return a subaccount by uid (any case) or e-mail, or ``None``."""
        wanted = uid.strip().lower()
        return next((s for s in self.subaccounts if wanted in (s.uid, s.email)), None)

    def transfer(
        self, read: Balances, source: str, target: str, unit: str, amount: Decimal, now: datetime, after: int
    ) -> str:
        """Move ``amount`` of ``unit`` between the master account's wallets; return the transfer's id."""
        if source == target:
            raise Refused(INVALID_ACCOUNT)
        reference = derived_uuid("transfer", after, self.moved, now.isoformat())
        self._debit(read, source, unit, amount, now, after, "transfer", reference)
        self._credit(read, target, unit, amount, now, after, "transfer", reference)
        return reference

    def subaccount_transfer(
        self,
        read: Balances,
        users: tuple[str, str],
        wallets: tuple[str, str],
        unit: str,
        amount: Decimal,
        now: datetime,
        after: int,
    ) -> None:
        """Move funds between the master account and its subaccounts (or within one of them)."""
        ends = [self._user(user) for user in users]
        if ends[0] is ends[1] and wallets[0] == wallets[1]:
            raise Refused(INVALID_ACCOUNT)
        reference = derived_uuid("subaccount transfer", after, self.moved, now.isoformat())
        source, target = ends
        if source is None:
            self._debit(read, wallets[0], unit, amount, now, after, "subaccount transfer", reference)
        else:
            held = source.balances(wallets[0])
            if held.get(unit, Decimal(0)) < amount:
                raise Refused(INSUFFICIENT_FUNDS)
            held[unit] = held.get(unit, Decimal(0)) - amount
        if target is None:
            self._credit(read, wallets[1], unit, amount, now, after, "subaccount transfer", reference)
        else:
            balances = target.balances(wallets[1])
            balances[unit] = balances.get(unit, Decimal(0)) + amount

    def withdraw(self, read: Balances, wallet: str, unit: str, amount: Decimal, now: datetime, after: int) -> str:
        """Send funds from a wallet to the Kraken Spot wallet; return the withdrawal's uid."""
        reference = derived_uuid("withdrawal", after, self.moved, now.isoformat())
        self._debit(read, wallet, unit, amount, now, after, "cross-exchange transfer", reference)
        return reference

    def _user(self, user: str) -> Subaccount | None:
        """Return the subaccount a user names, ``None`` for the master account; others are refused."""
        if user.strip().lower() == ACCOUNT_UID:
            return None
        found = self.subaccount(user)
        if found is None:
            raise Refused(INVALID_ACCOUNT)
        return found

    def _debit(
        self,
        read: Balances,
        wallet: str,
        unit: str,
        amount: Decimal,
        now: datetime,
        after: int,
        info: str,
        reference: str,
    ) -> None:
        """Take ``amount`` out of a wallet it must be available in, and write the ledger line."""
        _check_unit(wallet, unit)
        balance, available = read(wallet, unit)
        if available < amount:
            raise Refused(INSUFFICIENT_FUNDS)
        self._move(read, wallet, unit, -amount, balance, now, after, info, reference)

    def _credit(
        self,
        read: Balances,
        wallet: str,
        unit: str,
        amount: Decimal,
        now: datetime,
        after: int,
        info: str,
        reference: str,
    ) -> None:
        """Put ``amount`` into a wallet and write the ledger line."""
        _check_unit(wallet, unit)
        balance, _ = read(wallet, unit)
        self._move(read, wallet, unit, amount, balance, now, after, info, reference)

    def _move(
        self,
        read: Balances,
        wallet: str,
        unit: str,
        change: Decimal,
        balance: Decimal,
        now: datetime,
        after: int,
        info: str,
        reference: str,
    ) -> None:
        """Move the balance and keep the ledger line, forgetting the oldest beyond ``kept``."""
        read.move(wallet, unit, change)
        line = LedgerLine(after, now, info, wallet, unit, change, balance, balance + change, reference, self.moved)
        self.ledger.append(line)
        self.moved += 1
        if len(self.ledger) > self.kept:
            oldest = self.ledger.popleft()
            self.forgotten = Forgotten(self.forgotten.count + 1, oldest.after)


def _check_unit(wallet: str, unit: str) -> None:
    """Refuse a currency a margin account does not hold (``invalidUnit``)."""
    if wallet in MARGIN_ACCOUNTS and unit != MARGIN_ACCOUNTS[wallet]:
        raise Refused(INVALID_UNIT)


class Balances:
    """The engine account's balances: read as ``(balance, available)`` and moved by transfers."""

    def __init__(self, read: BalanceReader, move: Callable[[str, str, Decimal], None]) -> None:
        self._read = read
        self.move = move

    def __call__(self, wallet: str, unit: str) -> tuple[Decimal, Decimal]:
        """Return a wallet's (balance, available) of a currency."""
        return self._read(wallet, unit)
