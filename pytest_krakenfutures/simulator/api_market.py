"""Handlers of the public market-data operations: instruments, tickers, order book."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import INVALID, Refused
from .market import CONTRACT_TYPES
from .params import Params

if TYPE_CHECKING:
    from .calls import Call, Handler
    from .exchange import Exchange


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the market-data handlers by operation id."""

    def instruments(call: Call) -> dict[str, Any]:
        return {"instruments": exchange.instruments(contract_types(call.params))}

    def tickers(call: Call) -> dict[str, Any]:
        return {"tickers": exchange.tickers(contract_types(call.params))}

    def ticker(call: Call) -> dict[str, Any]:
        return {"ticker": exchange.ticker(call.args["symbol"])}

    def orderbook(call: Call) -> dict[str, Any]:
        return {"orderBook": exchange.order_book(call.params.get("symbol"))}

    return {
        "getInstruments": instruments,
        "getTickers": tickers,
        "getTicker": ticker,
        "getOrderbook": orderbook,
    }


def contract_types(params: Params) -> list[str]:
    """Return the ``contractType`` filter values; an unknown type is ``invalidArgument``."""
    types = [value.strip().lower() for value in params.getlist("contractType")]
    if any(value not in CONTRACT_TYPES for value in types):
        raise Refused(INVALID)
    return types
