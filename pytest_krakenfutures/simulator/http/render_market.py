"""Kraken's JSON of the market data: instruments, tickers, the order book, funding rates, the control API's market."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from ..domain.clock import iso_ms, iso_us
from ..domain.market.book import OrderBook
from ..domain.market.funding import FundingRate
from ..domain.market.market import Contract
from ..domain.market.tickers import IndexTicker, MarketTicker, MarketView
from .numbers import number, plain

#: What ``/instruments`` says alike of every contract: funding coefficient, impact size, relative funding cap.
_FUNDING_RATE_COEFFICIENT = 8
_IMPACT_MID_SIZE = 1
_MAX_RELATIVE_FUNDING_RATE = 0.001


def instrument_json(contract: Contract) -> dict[str, Any]:
    """Return the ``/instruments`` entry of a contract."""
    unit = "contracts" if contract.inverse else "numNonContractUnits"
    data: dict[str, Any] = {"symbol": contract.symbol, "type": contract.type}
    if contract.underlying is not None:
        data["underlying"] = contract.underlying
    if contract.last_trading_time is not None:
        data["lastTradingTime"] = contract.last_trading_time
    data["tickSize"] = plain(contract.tick_size)
    data["contractSize"] = plain(contract.contract_size)
    data["tradeable"] = True
    data["impactMidSize"] = _IMPACT_MID_SIZE
    data["maxPositionSize"] = contract.max_position_size
    data["openingDate"] = contract.opening_date
    data["marginLevels"] = [
        {
            unit: level.threshold,
            "initialMargin": plain(level.initial),
            "maintenanceMargin": plain(level.maintenance),
        }
        for level in contract.margin_levels
    ]
    if contract.perpetual:
        data["fundingRateCoefficient"] = _FUNDING_RATE_COEFFICIENT
    data.update(
        {
            "maxRelativeFundingRate": _MAX_RELATIVE_FUNDING_RATE,
            "isin": contract.isin,
            "contractValueTradePrecision": contract.precision,
            "postOnly": False,
            "feeScheduleUid": contract.fee_schedule_uid,
            "mtf": contract.mtf,
            "base": contract.base,
            "quote": contract.quote,
            "pair": contract.pair,
            "category": contract.category,
            "tradfi": False,
            "tags": [],
            "isExpired": False,
        }
    )
    return data


def instruments_json(contracts: list[Contract]) -> list[dict[str, Any]]:
    """Return the ``/instruments`` list of some contracts."""
    return [instrument_json(contract) for contract in contracts]


def ticker_json(ticker: MarketTicker | IndexTicker) -> dict[str, Any]:
    """Return the ``/tickers`` entry of a market (a MarketTicker) or of an index (an IndexTicker)."""
    if isinstance(ticker, IndexTicker):
        return {"symbol": ticker.symbol, "last": number(ticker.last), "lastTime": iso_ms(ticker.last_time)}
    contract = ticker.contract
    data: dict[str, Any] = {
        "symbol": contract.symbol,
        "last": number(ticker.last),
        "lastTime": iso_us(ticker.last_time),
        "tag": contract.tag,
        "pair": contract.pair,
        "markPrice": number(contract.mark_price),
    }
    if ticker.bid is not None:
        data["bid"], data["bidSize"] = number(ticker.bid[0]), number(ticker.bid[1])
    if ticker.ask is not None:
        data["ask"], data["askSize"] = number(ticker.ask[0]), number(ticker.ask[1])
    data["vol24h"] = number(ticker.vol24h)
    data["volumeQuote"] = number(ticker.volume_quote)
    data["openInterest"] = number(contract.open_interest)
    data["open24h"] = number(contract.open24h)
    data["high24h"] = number(ticker.high24h)
    data["low24h"] = number(ticker.low24h)
    data["lastSize"] = number(ticker.last_size)
    if contract.funding_rate is not None and contract.funding_rate_prediction is not None:
        data["fundingRate"] = number(contract.funding_rate)
        data["fundingRatePrediction"] = number(contract.funding_rate_prediction)
    data["suspended"] = ticker.suspended
    data["indexPrice"] = number(ticker.index_price)
    data["postOnly"] = ticker.post_only
    data["change24h"] = number(ticker.change24h)
    return data


def order_book_json(book: OrderBook) -> dict[str, Any]:
    """Return the ``orderBook`` of ``/orderbook``: ``[price, size]`` pairs, best first."""
    return {
        "bids": [[number(price), number(size)] for price, size in book.bids],
        "asks": [[number(price), number(size)] for price, size in book.asks],
    }


def funding_rate_json(rate: FundingRate) -> dict[str, Any]:
    """Return one period of the v4 historical funding rates."""
    stamp = rate.time.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"timestamp": stamp, "fundingRate": rate.absolute, "relativeFundingRate": rate.relative}


def market_view_json(market: MarketView) -> dict[str, Any]:
    """Return what the control API reports of one market."""
    return {
        "symbol": market.symbol,
        "markPrice": number(market.mark_price),
        "indexPrice": number(market.index_price),
        "lastPrice": number(market.last_price),
        "state": market.state,
        "dislocation": market.dislocation,
    }
