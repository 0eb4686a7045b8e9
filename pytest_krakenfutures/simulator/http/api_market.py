"""Handlers of the public market-data operations: instruments, tickers, order book."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.market.market import CONTRACT_TYPES
from ..errors import INVALID, Refused
from .calls import bind
from .params import Params
from .render_market import instruments_json, order_book_json, ticker_json

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from .calls import Call, Handler, Route


def instruments(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/instruments``, optionally of some contract types."""
    return {"instruments": instruments_json(exchange.instruments(contract_types(call.params)))}


def tickers(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/tickers``, optionally of some contract types."""
    return {"tickers": [ticker_json(each) for each in exchange.tickers(contract_types(call.params))]}


def ticker(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/tickers/{symbol}``: one market's or index's ticker."""
    return {"ticker": ticker_json(exchange.ticker(call.args["symbol"]))}


def orderbook(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/orderbook``: a market's whole book."""
    return {"orderBook": order_book_json(exchange.order_book(call.params.get("symbol")))}


#: The market-data handlers by operation id.
ROUTES: dict[str, Route] = {
    "getInstruments": instruments,
    "getTickers": tickers,
    "getTicker": ticker,
    "getOrderbook": orderbook,
}


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the market-data handlers by operation id."""
    return bind(ROUTES, exchange)


def contract_types(params: Params) -> list[str]:
    """Return the ``contractType`` filter values; an unknown type is ``invalidArgument``."""
    types = [value.strip().lower() for value in params.getlist("contractType")]
    if any(value not in CONTRACT_TYPES for value in types):
        raise Refused(INVALID)
    return types
