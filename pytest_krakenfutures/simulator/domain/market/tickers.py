"""Each market's moving statistics and the tickers built from them: markets, indices, the control API's view."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .book import Level
from .market import INDEX_PRICES, INDICES, Contract, Index

#: How long before the exchange's start the reference last trade happened.
_LAST_TRADE_AGE = timedelta(seconds=2, microseconds=164285)


@dataclass
class MarketStats:
    """The moving part of a market's ticker: last trade and 24-hour statistics."""

    last: Decimal
    last_size: Decimal
    last_time: datetime
    vol24h: Decimal
    volume_quote: Decimal
    high24h: Decimal
    low24h: Decimal

    @classmethod
    def reference(cls, contract: Contract, epoch: datetime) -> MarketStats:
        """Return the statistics of a market before any simulated trade."""
        last = contract.reference_mid()
        average = (contract.high24h + contract.low24h) / 2
        quote = contract.vol24h if contract.inverse else contract.vol24h * average
        return cls(
            last=last,
            last_size=contract.last_size,
            last_time=epoch - _LAST_TRADE_AGE,
            vol24h=contract.vol24h,
            volume_quote=quote.quantize(Decimal("0.01")),
            high24h=contract.high24h,
            low24h=contract.low24h,
        )

    def record(self, contract: Contract, price: Decimal, size: Decimal, when: datetime) -> None:
        """Account for one trade of the simulated account."""
        self.last = price
        self.last_size = size
        self.last_time = when
        self.vol24h += size
        self.volume_quote += size if contract.inverse else size * price
        self.high24h = max(self.high24h, price)
        self.low24h = min(self.low24h, price)


@dataclass(frozen=True)
class MarketTicker:
    """A contract's ticker: its last trade and 24-hour statistics at one moment, its top of book and state.

    The contract itself holds the rest: mark price, open interest, the day's open, funding rates.
    """

    contract: Contract
    last: Decimal
    last_time: datetime
    bid: Level | None
    ask: Level | None
    vol24h: Decimal
    volume_quote: Decimal
    high24h: Decimal
    low24h: Decimal
    last_size: Decimal
    state: str

    @property
    def suspended(self) -> bool:
        """Whether the market is suspended."""
        return self.state == "suspended"

    @property
    def post_only(self) -> bool:
        """Whether the market takes only post-only orders."""
        return self.state == "post_only"

    @property
    def index_price(self) -> Decimal:
        """The reference price of the index the contract follows."""
        return INDEX_PRICES[self.contract.index_symbol]

    @property
    def change24h(self) -> Decimal:
        """The change of the last price from the day's open, in percent."""
        return (self.last - self.contract.open24h) / self.contract.open24h * 100


@dataclass(frozen=True)
class IndexTicker:
    """The ticker of a price index or reference rate: its price and when it was published."""

    symbol: str
    last: Decimal
    last_time: datetime


@dataclass(frozen=True)
class MarketView:
    """A market's prices and trading state, as the control API reports them."""

    symbol: str
    mark_price: Decimal
    index_price: Decimal
    last_price: Decimal
    state: str
    dislocation: str | None


def market_ticker(
    contract: Contract, stats: MarketStats, bid: Level | None, ask: Level | None, state: str
) -> MarketTicker:
    """Return a contract's ticker given its statistics, the top of its book and its trading state."""
    return MarketTicker(
        contract,
        stats.last,
        stats.last_time,
        bid,
        ask,
        stats.vol24h,
        stats.volume_quote,
        stats.high24h,
        stats.low24h,
        stats.last_size,
        state,
    )


@functools.lru_cache(maxsize=4 * len(INDICES))
def index_ticker(index: Index, epoch: datetime) -> IndexTicker:
    """Return the ticker of an index or reference rate, published ``age_seconds`` before the start (cached)."""
    published = epoch - timedelta(seconds=index.age_seconds)
    return IndexTicker(index.symbol, index.price, published.replace(microsecond=0))
