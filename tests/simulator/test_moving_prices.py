"""Realistic mode: prices wander with the real clock, books follow them, and resting orders get filled."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from pytest_krakenfutures.simulator.domain.exchange import Exchange
from pytest_krakenfutures.simulator.domain.market.drift import AMPLITUDE, drift
from pytest_krakenfutures.simulator.domain.market.market import CONTRACTS, Contract
from pytest_krakenfutures.simulator.domain.order_requests import OrderRequest
from pytest_krakenfutures.simulator.http.render_market import ticker_json
from pytest_krakenfutures.simulator.http.render_statuses import send_status_json

from .conftest import CLOCK


def limit_buy(exchange: Exchange, price: Decimal) -> dict[str, object]:
    request = OrderRequest("lmt", "PF_XBTUSD", "buy", Decimal("0.1"), price, None, False, None)
    return send_status_json(exchange.send_order(request, exchange.tick()))


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.symbol for c in CONTRACTS])
def test_drift_stays_near_its_anchor(contract: Contract) -> None:
    anchor = contract.mark_price
    prices = [drift(contract, anchor, seconds) for seconds in range(0, 7200, 7)]
    assert drift(contract, anchor, 0) == anchor.quantize(Decimal("0.01"))
    assert len(set(prices)) > 100
    assert all(abs(price / anchor - 1) <= Decimal(repr(AMPLITUDE)) for price in prices)


def test_real_clock_moves_marks_and_recentres_books() -> None:
    exchange = Exchange()
    start = exchange.contracts["PF_XBTUSD"].mark_price
    exchange.move_prices(exchange.epoch + timedelta(seconds=300))
    moved = exchange.contracts["PF_XBTUSD"]
    assert moved.mark_price != start
    bid, ask = exchange.books["PF_XBTUSD"].best("buy"), exchange.books["PF_XBTUSD"].best("sell")
    assert bid is not None
    assert ask is not None
    assert bid <= moved.mark_price <= ask
    assert ticker_json(exchange.ticker("PF_XBTUSD"))["markPrice"] == float(moved.mark_price)


def test_resting_order_is_filled_when_the_market_comes_to_it() -> None:
    exchange = Exchange()
    bid = exchange.books["PF_XBTUSD"].best("buy")
    assert bid is not None
    placed = limit_buy(exchange, bid)
    assert placed["status"] == "placed"
    exchange.set_market("PF_XBTUSD", mark_price=bid * Decimal("0.97"))
    exchange.move_prices(exchange.epoch + timedelta(seconds=2))
    assert exchange.open_orders() == []
    (fill,) = [entry for entry in exchange.journal.entries() if entry.kind == "Execution"]
    assert fill.event.fill_type == "maker"
    assert Decimal(fill.event.price) == bid


def test_fixed_clock_prices_only_move_on_request() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    start = dict(exchange.contracts)
    for _ in range(3000):
        exchange.tick()
    assert exchange.contracts == start
