"""The simulator's control API under ``/simulator/v1``: move the clock, move prices, change market states.

It lets a test reach what it cannot reach through Kraken's API alone: a trigger price, a
suspended or post-only market, a due dead man's switch. Kraken has no such paths; calls
are unsigned and answered as plain JSON ``{"result": "success", ...}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import envelope
from .clock import iso_ms
from .envelope import ApiError
from .params import INVALID, MISSING, Params

if TYPE_CHECKING:
    from .exchange import Exchange

PREFIX = "/simulator/v1"
#: Longest single clock move (seconds): a day.
MAX_ADVANCE = Decimal(86400)

_ROUTES = Map(
    [
        Rule(f"{PREFIX}/clock", endpoint="clock", methods=["GET", "POST"]),
        Rule(f"{PREFIX}/markets/<symbol>", endpoint="market", methods=["GET", "POST"]),
        Rule(f"{PREFIX}/markets/<symbol>/trade", endpoint="trade", methods=["POST"]),
    ],
    strict_slashes=False,
)


def is_control(request: Request) -> bool:
    """Whether a request is for the control API."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def control_response(exchange: Exchange, request: Request) -> Response:
    """Serve one control request (the caller holds the exchange's lock)."""
    try:
        endpoint, args = _ROUTES.bind_to_environ(request.environ).match()
        params = Params.parse(request.query_string.decode("utf-8", "replace"), request.get_data(as_text=True))
        answer = _serve(exchange, endpoint, args, params, request.method == "POST")
    except ApiError as exc:
        return _json({"result": "error", "error": exc.code}, exc.http_status)
    except HTTPException as exc:
        status = exc.code or 500
        return _json({"result": "error", "error": f"{PREFIX}: {exc.name}"}, status)
    return _json({"result": "success", **answer}, 200)


def _serve(exchange: Exchange, endpoint: str, args: Mapping[str, Any], params: Params, change: bool) -> dict[str, Any]:
    if endpoint == "clock":
        if change:
            seconds = params.decimal("advance")
            if seconds is None or not 0 <= seconds <= MAX_ADVANCE:
                raise ApiError(INVALID)
            return {"time": iso_ms(exchange.advance(seconds))}
        return {"time": iso_ms(exchange.clock.peek())}
    symbol = str(args["symbol"])
    if endpoint == "trade":
        side, size, price = params.required("side"), params.decimal("size"), params.decimal("price")
        if size is None or price is None:
            raise ApiError(MISSING)
        return exchange.outside_trade(symbol, side.strip().lower(), size, price, exchange.tick())
    if change:
        market = exchange.set_market(
            symbol,
            mark_price=params.decimal("markPrice"),
            index_price=params.decimal("indexPrice"),
            state=params.get("state"),
            dislocation=params.get("dislocation"),
            keep_book=_book_option(params.get("book")),
        )
    else:
        contract = exchange.contract(symbol)
        if contract is None:
            raise ApiError(INVALID)
        market = exchange.market_json(contract.symbol)
    return {"market": market}


def _book_option(value: str | None) -> bool:
    """Read ``book``: ``follow`` (the default: the book moves with the mark) or ``keep``."""
    if value is None or value == "follow":
        return False
    if value == "keep":
        return True
    raise ApiError(INVALID)


def _json(payload: Any, status: int) -> Response:
    return Response(envelope.dumps(payload), status=status, mimetype="application/json")
