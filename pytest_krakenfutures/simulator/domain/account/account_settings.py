"""Trading settings of the account: leverage and PnL-currency preferences, the self-trade strategy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...errors import (
    CONTRACT_DOES_NOT_EXIST,
    CONTRACT_NOT_MULTI_COLLATERAL,
    CURRENCY_DOES_NOT_EXIST,
    CURRENCY_NOT_MULTI_COLLATERAL,
    WOULD_CAUSE_LIQUIDATION,
    ArgumentInvalid,
    Declined,
)
from ..market.market import Contract

SELF_TRADE_STRATEGIES = ("REJECT_TAKER", "CANCEL_MAKER_SELF", "CANCEL_MAKER_CHILD", "CANCEL_MAKER_ANY")
DEFAULT_SELF_TRADE_STRATEGY = "REJECT_TAKER"
#: Currencies multi-collateral markets may realise PnL in (``XBT`` is reported as ``BTC``).
PNL_CURRENCIES = ("USD", "EUR", "GBP", "USDC", "USDT", "BTC", "ETH")
#: Currencies Kraken lists that are not enabled as multi-collateral.
OTHER_CURRENCIES = ("XRP", "LTC", "BCH", "ADA", "DOT", "SOL", "DOGE", "LINK", "CAD", "CHF", "AUD", "JPY")
_PNL_CURRENCY_ALIASES = {"XBT": "BTC"}


@dataclass(frozen=True)
class LeveragePreference:
    """A contract margined in isolation, at its maximum leverage."""

    symbol: str
    max_leverage: Decimal


@dataclass(frozen=True)
class PnlPreference:
    """The currency a contract's realised PnL is paid in."""

    symbol: str
    currency: str


class AccountSettings:
    """Per-account preferences; changed by the PUT endpoints, read by the GET ones and the engine."""

    def __init__(self) -> None:
        self.max_leverage: dict[str, Decimal] = {}
        self.pnl_currency: dict[str, str] = {}
        self.self_trade_strategy = DEFAULT_SELF_TRADE_STRATEGY

    def leverage_preferences(self) -> list[LeveragePreference]:
        """Return the contracts margined in isolation, by symbol."""
        return [LeveragePreference(s, v) for s, v in sorted(self.max_leverage.items())]

    def pnl_preferences(self) -> list[PnlPreference]:
        """Return the PnL currency chosen per contract, by symbol."""
        return [PnlPreference(s, c) for s, c in sorted(self.pnl_currency.items())]

    def set_leverage(self, contract: Contract | None, max_leverage: Decimal | None, headroom: Decimal) -> None:
        """Isolate a contract at ``max_leverage`` or (``None``) return it to cross margin.

        ``headroom`` is the margin the account could still commit; a leverage whose isolated
        margin for the open position would exceed it would cause liquidation.
        """
        symbol = _multi_collateral(contract)
        if max_leverage is None:
            self.max_leverage.pop(symbol, None)
            return
        assert contract is not None
        ceiling = 1 / contract.initial_margin_rate
        if max_leverage <= 0 or max_leverage > ceiling:
            raise ArgumentInvalid("maxLeverage")
        if headroom < 0:
            raise Declined(WOULD_CAUSE_LIQUIDATION)
        self.max_leverage[symbol] = max_leverage

    def set_pnl_currency(self, contract: Contract | None, currency: str) -> None:
        """Choose the currency a contract's realised PnL is paid in."""
        symbol = _multi_collateral(contract)
        code = currency.strip().upper()
        code = _PNL_CURRENCY_ALIASES.get(code, code)
        if code in OTHER_CURRENCIES:
            raise Declined(CURRENCY_NOT_MULTI_COLLATERAL)
        if code not in PNL_CURRENCIES:
            raise Declined(CURRENCY_DOES_NOT_EXIST)
        self.pnl_currency[symbol] = code

    def set_self_trade_strategy(self, strategy: str) -> None:
        """Choose the account-wide self-trade behaviour."""
        if strategy not in SELF_TRADE_STRATEGIES:
            raise ArgumentInvalid("strategy")
        self.self_trade_strategy = strategy


def _multi_collateral(contract: Contract | None) -> str:
    """Return the symbol of a multi-collateral contract; refuse unknown and inverse contracts."""
    if contract is None:
        raise Declined(CONTRACT_DOES_NOT_EXIST)
    if contract.inverse:
        raise Declined(CONTRACT_NOT_MULTI_COLLATERAL)
    return contract.symbol
