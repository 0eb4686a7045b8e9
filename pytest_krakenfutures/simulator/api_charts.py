"""Handlers of the charts API (no envelope): tick types, markets, resolutions, candles and analytics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import journal as kinds
from .analytics import ANALYTICS_TYPES, INTERVALS, buckets, market_data, pool_data
from .calls import Raw
from .candles import RESOLUTIONS, TICK_TYPES, Trade, candle, candle_starts
from .history import fill_of
from .identity import decimal, epoch_ms, to_ms
from .market import Contract
from .tape import Tape

if TYPE_CHECKING:
    from .calls import Call, Handler
    from .exchange import Exchange

PLAIN = "text/plain; charset=utf-8"


class ChartsError(Exception):
    """A charts request refused with a plain-text body."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the charts handlers by operation id."""

    def tick_types(call: Call) -> list[str]:
        return list(TICK_TYPES)

    def symbols(call: Call) -> list[str] | Raw:
        if call.args["tick_type"] not in TICK_TYPES:
            return Raw("Invalid tick type", 400, PLAIN)
        return [contract.symbol for contract in exchange.contracts.values()]

    def resolutions(call: Call) -> list[str] | Raw:
        if call.args["tick_type"] not in TICK_TYPES:
            return Raw("Invalid tick type", 400, PLAIN)
        return list(RESOLUTIONS) if exchange.contract(call.args["symbol"]) is not None else []

    def candles(call: Call) -> dict[str, Any] | Raw:
        kind, resolution = call.args["tick_type"], call.args["resolution"]
        if kind not in TICK_TYPES:
            return Raw("Invalid tick type", 400, PLAIN)
        if resolution not in RESOLUTIONS:
            return Raw("Invalid resolution", 400, PLAIN)
        try:
            since, until = seconds(call, "from"), seconds(call, "to")
            count = whole(call, "count")
        except ChartsError as error:
            return Raw(error.message, error.status, PLAIN)
        contract = exchange.contract(call.args["symbol"])
        if contract is None:
            return {"candles": [], "more_candles": False}
        length = RESOLUTIONS[resolution] * 1000
        opening = to_ms(contract.opening_date, 0) or 0
        starts, more = candle_starts(length, epoch_ms(call.now), since, until, count, opening)
        tape = Tape(contract, epoch_ms(exchange.epoch))
        trades = own_trades(contract)
        return {"candles": [candle(tape, kind, start, length, trades) for start in starts], "more_candles": more}

    def own_trades(contract: Contract) -> list[Trade]:
        fills = (fill_of(entry) for entry in exchange.journal.entries(kinds.EXECUTION))
        return [Trade(epoch_ms(f.entry.time), f.price, f.quantity) for f in fills if f.symbol == contract.symbol]

    def analytics_window(call: Call) -> tuple[list[int], bool, int]:
        missing = [name for name in ("since", "interval") if call.params.get(name) is None]
        if missing:
            raise AnalyticsError(400, "missing", missing[0], "field required")
        since = analytics_integer(call, "since")
        interval = analytics_integer(call, "interval")
        if interval not in INTERVALS:
            raise AnalyticsError(400, "enum", "interval", f"interval must be one of {list(INTERVALS)}")
        until = analytics_integer(call, "to") if call.params.get("to") is not None else epoch_ms(call.now) // 1000
        starts, more = buckets(since, until, interval)
        return starts, more, interval

    def market_analytics(call: Call) -> dict[str, Any] | Raw:
        try:
            contract = exchange.contract(call.args["symbol"])
            if contract is None:
                raise AnalyticsError(404, "not_found", "symbol", "symbol not found")
            kind = call.args["analytics_type"]
            if kind not in ANALYTICS_TYPES:
                raise AnalyticsError(404, "not_found", "analytics_type", "analytics type not found")
            starts, more, interval = analytics_window(call)
        except AnalyticsError as error:
            return error.answer()
        data = market_data(Tape(contract, epoch_ms(exchange.epoch)), kind, starts, interval)
        return {"result": {"timestamp": starts, "data": data, "more": more}, "errors": []}

    def liquidity_pool(call: Call) -> dict[str, Any] | Raw:
        try:
            starts, more, _ = analytics_window(call)
        except AnalyticsError as error:
            return error.answer()
        return {"result": {"timestamp": starts, "data": pool_data(starts), "more": more}, "errors": []}

    return {
        "tickTypes": tick_types,
        "symbols": symbols,
        "resolutions": resolutions,
        "candles": candles,
        "marketAnalytics": market_analytics,
        "liquidityPoolStats": liquidity_pool,
    }


class AnalyticsError(Exception):
    """An analytics request refused with the analytics envelope's ``errors`` list."""

    def __init__(self, status: int, kind: str, name: str, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.name, self.message, self.value = status, kind, name, message, value

    def answer(self) -> Raw:
        """Return the refusal as Kraken's analytics answer."""
        error: dict[str, Any] = {
            "severity": "error",
            "error_class": "ValidationError" if self.status == 400 else "NotFoundError",
            "type": self.kind,
            "msg": self.message,
            "field": self.name,
        }
        if self.value is not None:
            error["value"] = self.value
        return Raw({"result": None, "errors": [error]}, self.status)


def analytics_integer(call: Call, name: str) -> int:
    """Return a whole-seconds analytics parameter; anything else is refused."""
    text = (call.params.get(name) or "").strip()
    if not text.isdigit():
        raise AnalyticsError(400, "int_parsing", name, "value is not a valid integer", text)
    return int(text)


def seconds(call: Call, name: str) -> int | None:
    """Return a candles time parameter (epoch seconds, fractions allowed) in ms."""
    value = call.params.get(name)
    if value is None:
        return None
    number = decimal(value)
    if number is None or number < 0:
        raise ChartsError(f"Invalid {name}")
    return int(number * 1000)


def whole(call: Call, name: str) -> int | None:
    """Return a non-negative whole-number candles parameter."""
    value = call.params.get(name)
    if value is None:
        return None
    number = decimal(value)
    if number is None or number < 0 or number != number.to_integral_value():
        raise ChartsError(f"Invalid {name}")
    return int(number)
