"""Kraken's JSON of the charts API: candles, and the analytics statistics per time bucket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.market.analytics import (
    Basis,
    BookSide,
    BookStats,
    Counts,
    LongShort,
    MarketData,
    OpenInterest,
    PoolValue,
    Series,
    TopTraders,
    Values,
    VolumeDelta,
)
from ..domain.market.candles import Candle, Chart
from .numbers import decimal_string


def candle_json(candle: Candle) -> dict[str, object]:
    """Return a candle as the charts API writes it: the start in ms, decimals as plain strings."""
    return {
        "time": candle.time,
        "open": decimal_string(candle.open),
        "high": decimal_string(candle.high),
        "low": decimal_string(candle.low),
        "close": decimal_string(candle.close),
        "volume": decimal_string(candle.volume),
    }


def chart_json(chart: Chart) -> dict[str, Any]:
    """Return the candles answer: the candles, oldest first, and whether more exist."""
    return {"candles": [candle_json(each) for each in chart.candles], "more_candles": chart.more}


def analytics_json(starts: list[int], data: MarketData | PoolValue, more: bool) -> dict[str, Any]:
    """Return the analytics envelope of a successful answer: the bucket starts and their statistics."""
    return {"result": {"timestamp": starts, "data": analytics_data_json(data), "more": more}, "errors": []}


def analytics_data_json(data: MarketData | PoolValue) -> Any:
    """Return the ``data`` of an analytics answer."""
    return _RENDERERS[type(data)](data)


def _strings(values: Series) -> list[str]:
    """Return a series as plain decimal strings."""
    return [decimal_string(value) for value in values]


def _values(data: Values) -> list[str]:
    """Return one statistic per bucket."""
    return _strings(data.values)


def _counts(data: Counts) -> list[int]:
    """Return a whole-number statistic per bucket."""
    return list(data.counts)


def _open_interest(data: OpenInterest) -> list[list[float]]:
    """Return the open interest of each bucket as ``[open, high, low, close]``."""
    return [[float(bar.open), float(bar.high), float(bar.low), float(bar.close)] for bar in data.bars]


def _long_short(data: LongShort) -> dict[str, Any]:
    """Return the long and short accounts per bucket."""
    return {
        "longCount": list(data.long_count),
        "shortCount": list(data.short_count),
        "longPercent": _strings(data.long_percent),
        "shortPercent": _strings(data.short_percent),
        "ratio": _strings(data.ratio),
    }


def _top_traders(data: TopTraders) -> dict[str, Any]:
    """Return the top traders' long and short accounts and open interest per bucket."""
    top = _long_short(data.long_short)
    top["openInterest"] = _strings(data.open_interest)
    return {"top20Percent": top}


def _volume_delta(data: VolumeDelta) -> dict[str, Any]:
    """Return the buy and sell volume and their running difference per bucket."""
    return {"buyVolume": _strings(data.buy_volume), "sellVolume": _strings(data.sell_volume), "cvd": _strings(data.cvd)}


def _basis(data: Basis) -> dict[str, Any]:
    """Return the basis per bucket."""
    return {"basis": _strings(data.basis)}


def _pool(data: PoolValue) -> dict[str, Any]:
    """Return the liquidity pool's USD value per bucket."""
    return {"usdValue": _strings(data.usd_value)}


def _book(data: BookStats) -> dict[str, Any]:
    """Return the order-book statistics of both sides."""
    return {"bid": _book_side(data.kind, data.bid), "ask": _book_side(data.kind, data.ask)}


def _book_side(kind: str, side: BookSide) -> dict[str, list[str]]:
    """Return one side's statistics; ``orderbook`` spells its keys in camel case, the single kinds in snake case."""
    if kind != "orderbook":
        data = {} if side.best_price is None else {"best_price": _strings(side.best_price)}
        data.update({f"liquidity_{band}": _strings(values) for band, values in side.liquidity})
        data.update({f"slippage_{size}": _strings(values) for size, values in side.slippage})
        return data
    data = {f"slippage{size}": _strings(values) for size, values in side.slippage}
    if side.best_price is not None:
        data["bestPrice"] = _strings(side.best_price)
    data.update({f"liquidity{band}": _strings(values) for band, values in side.liquidity})
    return data


#: The renderer of each kind of analytics data.
_RENDERERS: dict[type, Callable[[Any], Any]] = {
    Values: _values,
    Counts: _counts,
    OpenInterest: _open_interest,
    LongShort: _long_short,
    TopTraders: _top_traders,
    VolumeDelta: _volume_delta,
    Basis: _basis,
    PoolValue: _pool,
    BookStats: _book,
}
