"""Handlers of the charts API (no envelope): tick types, markets, resolutions, candles, analytics; their refusals."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ..domain.account.identity import decimal, epoch_ms
from ..domain.market.analytics import ANALYTICS_TYPES, INTERVALS, buckets, market_data, pool_data
from ..domain.market.candles import RESOLUTIONS, TICK_TYPES, Chart, chart
from ..errors import ANALYTICS_NOT_FOUND, AnalyticsError, ChartsError
from .calls import Raw, bind
from .render_charts import analytics_json, chart_json

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from .calls import Call, Handler, Route

PLAIN = "text/plain; charset=utf-8"


# -- handlers ---------------------------------------------------------------------------------


def tick_types(exchange: Exchange, call: Call) -> list[str]:
    """Answer ``/charts/v1``: the tick types."""
    return list(TICK_TYPES)


def symbols(exchange: Exchange, call: Call) -> list[str]:
    """Answer ``/charts/v1/{tick_type}``: the markets with candles."""
    tick_type(call)
    return [contract.symbol for contract in exchange.contracts.values()]


def resolutions(exchange: Exchange, call: Call) -> list[str]:
    """Answer ``/charts/v1/{tick_type}/{symbol}``: the candle resolutions of a market (none for an unknown one)."""
    tick_type(call)
    return list(RESOLUTIONS) if exchange.contract(call.args["symbol"]) is not None else []


def candles(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/charts/v1/{tick_type}/{symbol}/{resolution}``: a market's candles."""
    kind, length = tick_type(call), resolution_ms(call)
    since, until, count = seconds(call, "from"), seconds(call, "to"), whole(call, "count")
    contract = exchange.contract(call.args["symbol"])
    if contract is None:
        return chart_json(Chart((), False))
    tape, now = exchange.tape(contract), epoch_ms(call.now)
    return chart_json(chart(tape, kind, length, exchange.fills(), now, since, until, count))


def market_analytics(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/analytics/{symbol}/{analytics_type}``: one statistic of a market per time bucket."""
    contract = exchange.contract(call.args["symbol"])
    if contract is None:
        raise AnalyticsError(ANALYTICS_NOT_FOUND, "symbol", "symbol not found")
    kind = call.args["analytics_type"]
    if kind not in ANALYTICS_TYPES:
        raise AnalyticsError(ANALYTICS_NOT_FOUND, "analytics_type", "analytics type not found")
    starts, more, interval = analytics_window(call)
    data = market_data(exchange.tape(contract), kind, starts, interval)
    return analytics_json(starts, data, more)


def liquidity_pool(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/analytics/liquidity-pool``: the liquidity pool's USD value per time bucket."""
    starts, more, _ = analytics_window(call)
    return analytics_json(starts, pool_data(starts), more)


#: The charts handlers by operation id.
ROUTES: dict[str, Route] = {
    "tickTypes": tick_types,
    "symbols": symbols,
    "resolutions": resolutions,
    "candles": candles,
    "marketAnalytics": market_analytics,
    "liquidityPoolStats": liquidity_pool,
}


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the charts handlers by operation id, each answering its refusals as the charts API does."""
    return {name: answered(handler) for name, handler in bind(ROUTES, exchange).items()}


def answered(handler: Handler) -> Handler:
    """Wrap a handler so that a ``ChartsError`` or ``AnalyticsError`` it raises becomes its answer."""

    @functools.wraps(handler)
    def serve(call: Call) -> Any:
        """Answer the call, or the refusal the handler raised."""
        try:
            return handler(call)
        except ChartsError as error:
            return Raw(error.reason, 400, PLAIN)
        except AnalyticsError as error:
            return analytics_refusal(error)

    return serve


# -- parameters -------------------------------------------------------------------------------


def tick_type(call: Call) -> str:
    """Return the path's tick type; an unknown one is refused."""
    kind = call.args["tick_type"]
    if kind not in TICK_TYPES:
        raise ChartsError("Invalid tick type")
    return kind


def resolution_ms(call: Call) -> int:
    """Return the length (ms) of the path's candle resolution; an unknown one is refused."""
    resolution = call.args["resolution"]
    if resolution not in RESOLUTIONS:
        raise ChartsError("Invalid resolution")
    return RESOLUTIONS[resolution] * 1000


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


def analytics_window(call: Call) -> tuple[list[int], bool, int]:
    """Return the bucket starts an analytics request asks for, whether more were cut off, and the interval."""
    missing = [name for name in ("since", "interval") if call.params.get(name) is None]
    if missing:
        raise AnalyticsError("missing", missing[0], "field required")
    since = analytics_integer(call, "since")
    interval = analytics_integer(call, "interval")
    if interval not in INTERVALS:
        raise AnalyticsError("enum", "interval", f"interval must be one of {list(INTERVALS)}")
    until = analytics_integer(call, "to") if call.params.get("to") is not None else epoch_ms(call.now) // 1000
    starts, more = buckets(since, until, interval)
    return starts, more, interval


def analytics_integer(call: Call, name: str) -> int:
    """Return a whole-seconds analytics parameter; anything else is refused."""
    text = (call.params.get(name) or "").strip()
    if not text.isdigit():
        raise AnalyticsError("int_parsing", name, "value is not a valid integer", text)
    return int(text)


# -- refusals ---------------------------------------------------------------------------------


def analytics_refusal(error: AnalyticsError) -> Raw:
    """Return a refused analytics request as Kraken answers it: 404 for what does not exist, else 400."""
    status = 404 if error.not_found else 400
    body: dict[str, Any] = {
        "severity": "error",
        "error_class": "NotFoundError" if error.not_found else "ValidationError",
        "type": error.kind,
        "msg": error.message,
        "field": error.name,
    }
    if error.value is not None:
        body["value"] = error.value
    return Raw({"result": None, "errors": [body]}, status)
