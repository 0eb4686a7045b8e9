"""Ticker statistics of each market and their ``/tickers`` JSON shapes (MarketTicker, IndexTicker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..clock import iso_ms, iso_us
from .market import INDEX_PRICES, Contract, Index, number

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


def market_ticker_json(
    contract: Contract, stats: MarketStats, bid: tuple[Decimal, Decimal] | None, ask: tuple[Decimal, Decimal] | None
) -> dict[str, Any]:
    """Return the MarketTicker of a contract given its statistics and the top of its book."""
    data: dict[str, Any] = {
        "symbol": contract.symbol,
        "last": number(stats.last),
        "lastTime": iso_us(stats.last_time),
        "tag": contract.tag,
        "pair": contract.pair,
        "markPrice": number(contract.mark_price),
    }
    if bid is not None:
        data["bid"], data["bidSize"] = number(bid[0]), number(bid[1])
    if ask is not None:
        data["ask"], data["askSize"] = number(ask[0]), number(ask[1])
    data.update(
        {
            "vol24h": number(stats.vol24h),
            "volumeQuote": number(stats.volume_quote),
            "openInterest": number(contract.open_interest),
            "open24h": number(contract.open24h),
            "high24h": number(stats.high24h),
            "low24h": number(stats.low24h),
            "lastSize": number(stats.last_size),
        }
    )
    if contract.funding_rate is not None and contract.funding_rate_prediction is not None:
        data["fundingRate"] = number(contract.funding_rate)
        data["fundingRatePrediction"] = number(contract.funding_rate_prediction)
    change = (stats.last - contract.open24h) / contract.open24h * 100
    data.update(
        {
            "suspended": False,
            "indexPrice": number(INDEX_PRICES[contract.index_symbol]),
            "postOnly": False,
            "change24h": number(change),
        }
    )
    return data


def index_ticker_json(index: Index, epoch: datetime) -> dict[str, Any]:
    """Return the IndexTicker of a price index or reference rate."""
    published = epoch - timedelta(seconds=index.age_seconds)
    return {"symbol": index.symbol, "last": number(index.price), "lastTime": iso_ms(published.replace(microsecond=0))}
