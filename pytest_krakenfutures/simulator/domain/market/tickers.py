"""Each market's moving statistics and the tickers built from them: markets, indices, the control API's view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .book import Level
from .market import INDEX_PRICES, Contract, Index

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
    """A contract's ticker: last trade, mark, top of book, 24-hour statistics, funding and trading state."""

    symbol: str
    last: Decimal
    last_time: datetime
    tag: str
    pair: str
    mark_price: Decimal
    bid: Level | None
    ask: Level | None
    vol24h: Decimal
    volume_quote: Decimal
    open_interest: Decimal
    open24h: Decimal
    high24h: Decimal
    low24h: Decimal
    last_size: Decimal
    funding_rate: Decimal | None
    funding_rate_prediction: Decimal | None
    suspended: bool
    index_price: Decimal
    post_only: bool
    change24h: Decimal


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
        symbol=contract.symbol,
        last=stats.last,
        last_time=stats.last_time,
        tag=contract.tag,
        pair=contract.pair,
        mark_price=contract.mark_price,
        bid=bid,
        ask=ask,
        vol24h=stats.vol24h,
        volume_quote=stats.volume_quote,
        open_interest=contract.open_interest,
        open24h=contract.open24h,
        high24h=stats.high24h,
        low24h=stats.low24h,
        last_size=stats.last_size,
        funding_rate=contract.funding_rate,
        funding_rate_prediction=contract.funding_rate_prediction,
        suspended=state == "suspended",
        index_price=INDEX_PRICES[contract.index_symbol],
        post_only=state == "post_only",
        change24h=(stats.last - contract.open24h) / contract.open24h * 100,
    )


def index_ticker(index: Index, epoch: datetime) -> IndexTicker:
    """Return the ticker of a price index or reference rate, published ``age_seconds`` before the start."""
    published = epoch - timedelta(seconds=index.age_seconds)
    return IndexTicker(index.symbol, index.price, published.replace(microsecond=0))
