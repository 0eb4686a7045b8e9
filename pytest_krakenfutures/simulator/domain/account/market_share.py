"""The account's share of each market's volume, and the rebate credited on its maker volume."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..market.market import Contract
from ..records.executions import Fill, trade_usd_value

#: Share of the maker volume credited back under the market-share rebate programme.
REBATE_RATE = Decimal("0.00005")
#: Days of a market's 24-hour volume the account's volume is measured against.
PERIOD_DAYS = 30


@dataclass(frozen=True)
class MarketShare:
    """The account's USD volume in one market, the part of it made as maker, and the market's volume."""

    symbol: str
    volume: Decimal
    maker_volume: Decimal
    market_volume: Decimal

    @property
    def share(self) -> Decimal:
        """The account's share of the market's volume."""
        return self.volume / self.market_volume

    @property
    def rebate(self) -> Decimal:
        """The USD rebate credited on the maker volume."""
        return self.maker_volume * REBATE_RATE


def market_shares(fills: Iterable[Fill], contract_of: Callable[[str], Contract | None]) -> list[MarketShare]:
    """Return the account's share of each linear market it traded in, by symbol (inverse markets do not count)."""
    volumes: dict[str, tuple[Decimal, Decimal]] = {}
    contracts: dict[str, Contract] = {}
    for fill in fills:
        contract = contract_of(fill.symbol)
        if contract is None or contract.inverse:
            continue
        value = trade_usd_value(contract, fill.quantity, fill.price)
        volume, maker = volumes.get(contract.symbol, (Decimal(0), Decimal(0)))
        volumes[contract.symbol] = (volume + value, maker + (value if fill.maker else Decimal(0)))
        contracts[contract.symbol] = contract
    return [
        MarketShare(symbol, volume, maker, contracts[symbol].vol24h * PERIOD_DAYS * contracts[symbol].mark_price)
        for symbol, (volume, maker) in sorted(volumes.items())
    ]
