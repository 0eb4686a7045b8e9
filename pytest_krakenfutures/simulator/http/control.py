"""The simulator's control API under ``/simulator/v1``: the clock, prices, market states and balances.

It lets a test reach what it cannot reach through Kraken's API alone: a trigger price, a
suspended or post-only market, a due dead man's switch, an account funded as the test needs.
Kraken has no such paths; calls are unsigned and answered as plain JSON ``{"result": "success", ...}``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from ..domain.account.wallets import WALLETS, unit_of, units_held
from ..domain.clock import iso_ms
from ..domain.engine.fills import OutsideTrade
from ..domain.market.market import CONTRACTS, INDEX_PRICES
from ..errors import INVALID, MISSING, Refused
from . import envelope
from .answers import Answer, json_answer
from .params import Params
from .render_market import market_view_json

if TYPE_CHECKING:
    from ..domain.exchange import Exchange

PREFIX = "/simulator/v1"
#: Longest single clock move (seconds): a day.
MAX_ADVANCE = Decimal(86400)
#: How far a price set through the control API may be from the contract's reference price, either way.
PRICE_RANGE = Decimal(1000)
#: The largest size of another participant's trade.
MAX_TRADE_SIZE = Decimal(1_000_000)
#: The largest balance that may be set, in any currency.
MAX_BALANCE = Decimal(1_000_000_000)

log = logging.getLogger(__name__)

_ROUTES = Map(
    [
        Rule(f"{PREFIX}/clock", endpoint="clock", methods=["GET", "POST"]),
        Rule(f"{PREFIX}/markets/<symbol>", endpoint="market", methods=["GET", "POST"]),
        Rule(f"{PREFIX}/markets/<symbol>/trade", endpoint="trade", methods=["POST"]),
        Rule(f"{PREFIX}/accounts", endpoint="accounts", methods=["GET"]),
        Rule(f"{PREFIX}/accounts/<account>", endpoint="account", methods=["POST"]),
    ],
    strict_slashes=False,
)


def is_control(path: str) -> bool:
    """Whether a request path is the control API's."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def control_response(exchange: Exchange, request: Request) -> Answer:
    """Serve one control request (the caller holds the exchange's lock)."""
    try:
        endpoint, args = _ROUTES.bind_to_environ(request.environ).match()
        params = Params.parse(request.query_string.decode("utf-8", "replace"), request.get_data(as_text=True))
        answer = _serve(exchange, endpoint, args, params, request.method == "POST")
    except Refused as exc:
        refused = {"result": "error", "error": exc.error, **({"message": exc.detail} if exc.detail else {})}
        status = envelope.status_of(exc)
        return json_answer(refused, status if status >= 400 else 400)
    except HTTPException as exc:
        status = exc.code or 500
        return json_answer({"result": "error", "error": f"{PREFIX}: {exc.name}"}, status)
    except Exception:
        log.exception("simulator control API failed on %s %s", request.method, request.path)
        return json_answer(envelope.http_error(iso_ms(exchange.clock.peek()), 500), 500)
    return json_answer({"result": "success", **answer}, 200)


def _serve(exchange: Exchange, endpoint: str, args: Mapping[str, Any], params: Params, change: bool) -> dict[str, Any]:
    """Answer one control endpoint: read it, or (``change``: a POST) change it."""
    if endpoint == "clock":
        if change:
            seconds = params.decimal("advance")
            if seconds is None or not 0 <= seconds <= MAX_ADVANCE:
                raise Refused(INVALID, f"advance must be a number of seconds from 0 to {MAX_ADVANCE}")
            return {"time": iso_ms(exchange.advance(seconds))}
        return {"time": iso_ms(exchange.clock.peek())}
    if endpoint == "accounts":
        return {"accounts": _balances_json(exchange.balances())}
    if endpoint == "account":
        wallet = _wallet(str(args["account"]))
        return {"accounts": _balances_json(exchange.set_balances(wallet, _amounts(wallet, params)))}
    symbol = str(args["symbol"])
    if endpoint == "trade":
        side, size, price = params.required("side"), params.decimal("size"), params.decimal("price")
        if size is None or price is None:
            raise Refused(MISSING, "a trade needs side, size and price")
        if not 0 < size <= MAX_TRADE_SIZE:
            raise Refused(INVALID, f"size must be above 0 and at most {MAX_TRADE_SIZE:f}")
        price = _bounded("price", price, _reference(symbol))
        return _trade_json(exchange.outside_trade(symbol, side.strip().lower(), size, price, exchange.tick()))
    if change:
        reference = _reference(symbol)
        mark, index = params.decimal("markPrice"), params.decimal("indexPrice")
        market = exchange.set_market(
            symbol,
            mark_price=None if mark is None else _bounded("markPrice", mark, reference),
            index_price=None if index is None else _bounded("indexPrice", index, _index_reference(symbol)),
            state=params.get("state"),
            dislocation=params.get("dislocation"),
            keep_book=_book_option(params.get("book")),
        )
    else:
        contract = exchange.contract(symbol)
        if contract is None:
            raise Refused(INVALID)
        market = exchange.market(contract.symbol)
    return {"market": market_view_json(market)}


def _reference(symbol: str) -> Decimal:
    """Return the reference price of a contract (its mark when the simulator starts); unknown: ``invalidArgument``."""
    for contract in CONTRACTS:
        if contract.symbol.lower() == symbol.strip().lower():
            return contract.mark_price
    raise Refused(INVALID, f"no contract {symbol!r}")


def _index_reference(symbol: str) -> Decimal:
    """Return the reference price of the index a contract follows."""
    for contract in CONTRACTS:
        if contract.symbol.lower() == symbol.strip().lower():
            return INDEX_PRICES[contract.index_symbol]
    raise Refused(INVALID, f"no contract {symbol!r}")


def _bounded(name: str, price: Decimal, reference: Decimal) -> Decimal:
    """Return a price set through the control API if it is positive and near enough to its reference."""
    low, high = reference / PRICE_RANGE, reference * PRICE_RANGE
    if not low <= price <= high:
        raise Refused(
            INVALID,
            f"{name} {price:f} is outside {low.normalize():f} to {high.normalize():f} "
            f"({PRICE_RANGE}x the reference {reference} either way)",
        )
    return price


def _wallet(name: str) -> str:
    """Return the account a path names (any case); another name is ``invalidArgument``, listing the accounts."""
    wallet = name.strip().lower()
    if wallet not in WALLETS:
        raise Refused(INVALID, f"no account {name!r}; the accounts are {', '.join(WALLETS)}")
    return wallet


def _amounts(wallet: str, params: Params) -> dict[str, Decimal]:
    """Read the ``CURRENCY=amount`` fields of a balance change, every one checked before any is set."""
    held = units_held(wallet)
    amounts: dict[str, Decimal] = {}
    for name in params.names():
        try:
            unit: str | None = unit_of(name)
        except Refused:
            unit = None
        if unit is None or unit not in held:
            currencies = ", ".join(u.upper() for u in held)
            raise Refused(INVALID, f"{name} is not a currency {wallet} holds ({currencies})")
        if unit in amounts:
            raise Refused(INVALID, f"{name} sets {unit.upper()} a second time")
        amounts[unit] = _balance(name, params)
    if not amounts:
        raise Refused(MISSING, f"name the currencies of {wallet} to set, e.g. {held[0].upper()}=1")
    return amounts


def _balance(name: str, params: Params) -> Decimal:
    """Return the amount of a balance field if it is a number from 0 to ``MAX_BALANCE``."""
    try:
        amount = params.decimal(name)
    except Refused:
        amount = None
    if amount is None or not 0 <= amount <= MAX_BALANCE:
        raise Refused(INVALID, f"{name} must be a number from 0 to {MAX_BALANCE}")
    return amount


def _balances_json(balances: Mapping[str, Mapping[str, Decimal]]) -> dict[str, dict[str, str]]:
    """Return balances as the control API answers them: exact decimal strings by account and currency."""
    return {
        wallet: {unit: f"{amount.normalize():f}" for unit, amount in held.items()} for wallet, held in balances.items()
    }


def _book_option(value: str | None) -> bool:
    """Read ``book``: ``follow`` (the default: the book moves with the mark) or ``keep``."""
    if value is None or value == "follow":
        return False
    if value == "keep":
        return True
    raise Refused(INVALID, "book must be follow or keep")


def _trade_json(trade: OutsideTrade) -> dict[str, Any]:
    """Return the control API's answer to a trade: the account's orders it filled, and the size left over."""
    fills = [{"order_id": fill.order_id, "price": float(fill.price), "size": float(fill.size)} for fill in trade.fills]
    return {"fills": fills, "unfilled": float(trade.unfilled)}
