"""Margin reserved by open orders: the shares the account keeps always give what a fresh recomputation gives."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

from pytest_krakenfutures.simulator.domain.account.account import Account, Reservations, order_share
from pytest_krakenfutures.simulator.domain.exchange import Exchange
from pytest_krakenfutures.simulator.domain.market.market import INVERSE, MarginLevel
from pytest_krakenfutures.simulator.domain.orders import Order
from pytest_krakenfutures.simulator.http.params import EditRequest, OrderRequest
from pytest_krakenfutures.simulator.http.render_statuses import edit_status_json, send_status_json

from .conftest import CLOCK


def request(symbol: str, order_type: str, side: str, size: str, price: str | None, **terms: bool) -> OrderRequest:
    """Return a sendorder request of a contract."""
    limit = None if price is None else Decimal(price)
    return OrderRequest(order_type, symbol, side, Decimal(size), limit, None, terms.get("reduce_only", False), None)


def edit(order_id: str, size: str | None = None, price: str | None = None) -> EditRequest:
    """Return an editorder request of an order's size or limit price."""
    return EditRequest(
        order_id,
        None,
        None if size is None else Decimal(size),
        None if price is None else Decimal(price),
        None,
        None,
        None,
        "ABSOLUTE",
        None,
    )


def recomputed(account: Account) -> Account:
    """Return a copy of the account that keeps no shares, so its figures are worked out afresh."""
    fresh = copy.copy(account)
    fresh.reservations = Reservations()
    return fresh


def assert_as_recomputed(exchange: Exchange) -> None:
    """Check the flex and every margin account's figures against a fresh recomputation, decimal for decimal."""
    contracts, orders = exchange.contracts, list(exchange.orders.values())
    fresh = recomputed(exchange.account)
    assert exchange.account.flex_figures(contracts, orders) == fresh.flex_figures(contracts, orders)
    for name in exchange.account.margin:
        assert exchange.account.margin_figures(name, contracts, orders) == fresh.margin_figures(name, contracts, orders)
    shares = [order_share(contracts[order.symbol], order) for order in orders]
    assert exchange.account.reservations.shares(contracts, orders) == shares


def placed(exchange: Exchange, order: OrderRequest) -> str:
    """Send an order that must be accepted; return its id."""
    status = send_status_json(exchange.send_order(order, exchange.tick()))
    assert status["status"] == "placed", status
    return str(status["order_id"])


def test_figures_follow_placements_fills_edits_and_cancels() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    assert_as_recomputed(exchange)
    xbt = placed(exchange, request("PF_XBTUSD", "lmt", "buy", "0.1", "95000"))
    eth = placed(exchange, request("PF_ETHUSD", "lmt", "sell", "1", "3500.3"))
    inverse = placed(exchange, request("PI_XBTUSD", "lmt", "buy", "1000", "93001.5"))
    twin = placed(exchange, request("PF_XBTUSD", "lmt", "buy", "0.1", "95000"))
    assert_as_recomputed(exchange)
    exchange.outside_trade("PF_XBTUSD", "sell", Decimal("0.04"), Decimal(95000), exchange.tick())
    assert exchange.orders[xbt].filled == Decimal("0.04")
    assert_as_recomputed(exchange)
    exchange.outside_trade("PI_XBTUSD", "sell", Decimal(300), Decimal("93001.5"), exchange.tick())
    assert_as_recomputed(exchange)
    assert (
        edit_status_json(exchange.edit_order(edit(eth, size="2", price="3600.1"), exchange.tick()))["status"]
        == "edited"
    )
    assert_as_recomputed(exchange)
    assert edit_status_json(exchange.edit_order(edit(inverse, price="92000"), exchange.tick()))["status"] == "edited"
    assert_as_recomputed(exchange)
    exchange.cancel_order(xbt, None, exchange.tick())
    assert_as_recomputed(exchange)
    exchange.outside_trade("PF_XBTUSD", "sell", Decimal("0.1"), Decimal(95000), exchange.tick())
    assert twin not in exchange.orders
    assert_as_recomputed(exchange)
    exchange.cancel_all(None, exchange.tick())
    assert_as_recomputed(exchange)


def test_figures_follow_reduce_only_orders_and_a_liquidation() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(request("PF_XBTUSD", "mkt", "buy", "0.5", None), exchange.tick())
    placed(exchange, request("PF_XBTUSD", "lmt", "sell", "0.2", "120000", reduce_only=True))
    placed(exchange, request("PF_XBTUSD", "lmt", "buy", "0.1", "90000"))
    placed(exchange, request("PF_ETHUSD", "lmt", "buy", "1", "3000"))
    assert_as_recomputed(exchange)
    exchange.set_market("PF_XBTUSD", mark_price=Decimal(70000))
    assert exchange.account.positions == {}
    assert exchange.orders == {}
    assert_as_recomputed(exchange)
    exchange.reset(seed=1, clock=CLOCK)
    assert_as_recomputed(exchange)


def test_a_share_is_worked_out_again_when_its_order_or_contract_changes() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    contracts = dict(exchange.contracts)
    at = exchange.tick()
    order = Order("o-1", None, "lmt", "PF_XBTUSD", "buy", Decimal(1), Decimal(90000), False, at, at)
    reservations = Reservations()

    def shares() -> list[tuple[str | None, Decimal]]:
        return reservations.shares(contracts, [order])

    assert shares() == [(None, Decimal(1800))]
    order.filled = Decimal("0.25")
    assert shares() == [(None, Decimal(1350))]
    order.quantity = Decimal(2)
    assert shares() == [(None, Decimal(3150))]
    order.limit_price = Decimal(80000)
    assert shares() == [(None, Decimal(2800))]
    order.reduce_only = True
    assert shares() == [(None, Decimal(0))]
    order.reduce_only = False
    assert shares() == [(None, Decimal(2800))]
    tiers = (MarginLevel(0, Decimal("0.1"), Decimal("0.05")),)
    contracts["PF_XBTUSD"] = dataclasses.replace(contracts["PF_XBTUSD"], margin_levels=tiers)
    assert shares() == [(None, Decimal(14000))]
    contracts["PF_XBTUSD"] = dataclasses.replace(contracts["PF_XBTUSD"], contract_size=Decimal(2))
    assert shares() == [(None, Decimal(28000))]
    contracts["PF_XBTUSD"] = dataclasses.replace(contracts["PF_XBTUSD"], type=INVERSE)
    assert shares() == [("fi_xbtusd", Decimal("0.000004375"))]
    contracts["PF_XBTUSD"] = dataclasses.replace(contracts["PF_XBTUSD"], base="ETH")
    assert shares() == [("fi_ethusd", Decimal("0.000004375"))]
