"""The order engine's arithmetic and timing, checked exactly on an in-process exchange with a fixed clock."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from pytest_krakenfutures.simulator.domain.account.account import MAKER_FEE, STARTING_MARGIN, TAKER_FEE
from pytest_krakenfutures.simulator.domain.exchange import Exchange
from pytest_krakenfutures.simulator.domain.market.funding import relative_rate
from pytest_krakenfutures.simulator.domain.order_requests import OrderRequest
from pytest_krakenfutures.simulator.errors import ApiError
from pytest_krakenfutures.simulator.http.batch import read_batch
from pytest_krakenfutures.simulator.http.params import Params
from pytest_krakenfutures.simulator.http.render_statuses import send_status_json, switch_status_json

from .conftest import CLOCK


def order(symbol: str = "PF_XBTUSD", order_type: str = "lmt", side: str = "buy", **terms: object) -> OrderRequest:
    fields: dict[str, object] = {"size": Decimal("0.1"), "limit_price": Decimal(1000)}
    fields.update(terms)
    return OrderRequest(
        order_type,
        symbol,
        side,
        fields["size"],  # type: ignore[arg-type]
        fields["limit_price"],  # type: ignore[arg-type]
        fields.get("cli_ord_id"),  # type: ignore[arg-type]
        bool(fields.get("reduce_only", False)),
        None,
        stop_price=fields.get("stop_price"),  # type: ignore[arg-type]
        max_deviation=fields.get("max_deviation"),  # type: ignore[arg-type]
        deviation_unit=fields.get("deviation_unit"),  # type: ignore[arg-type]
    )


def test_inverse_fills_settle_fees_in_the_margin_account() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    status = send_status_json(
        exchange.send_order(order("PI_XBTUSD", "mkt", size=Decimal(1000), limit_price=None), exchange.tick())
    )
    fills = [event for event in status["orderEvents"] if event["type"] == "EXECUTION"]
    fee = sum(Decimal(1000) * Decimal(str(e["amount"])) / 1000 / Decimal(str(e["price"])) * TAKER_FEE for e in fills)
    assert exchange.account.margin["fi_xbtusd"] == STARTING_MARGIN - fee
    assert exchange.account.usd == Decimal(10000)


def test_maker_fill_charges_the_maker_fee() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(order(limit_price=Decimal(95000)), exchange.tick())
    exchange.outside_trade("PF_XBTUSD", "sell", Decimal("0.1"), Decimal(95000), exchange.tick())
    assert exchange.account.usd == Decimal(10000) - Decimal("0.1") * 95000 * MAKER_FEE


def test_a_long_pays_a_positive_funding_rate_each_hour() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(order(order_type="mkt", size=Decimal(1), limit_price=None), exchange.tick())
    balance = exchange.account.usd
    mark = exchange.contracts["PF_XBTUSD"].mark_price
    first_hour = exchange.funded_until + timedelta(hours=1)
    exchange.advance(Decimal(3600))
    rate = Decimal(str(relative_rate(exchange.contracts["PF_XBTUSD"], int(first_hour.timestamp() * 1000))))
    assert exchange.account.usd - balance == (-mark * rate).quantize(Decimal("1e-12"))


def test_dead_man_switch_fires_at_its_time_and_not_before() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(order(), exchange.tick())
    armed = switch_status_json(exchange.cancel_all_after(2, exchange.tick()))
    exchange.advance(Decimal("1.9"))
    assert len(exchange.orders) == 1
    exchange.advance(Decimal("0.2"))
    assert exchange.orders == {}
    assert armed["triggerTime"] == "2026-03-02T10:00:02.001Z"


def test_trailing_stop_only_trails_in_the_favourable_direction() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(order(order_type="mkt", size=Decimal("0.1"), limit_price=None), exchange.tick())
    stop = order(
        order_type="trailing_stop",
        side="sell",
        limit_price=None,
        reduce_only=True,
        max_deviation=Decimal(50),
        deviation_unit="QUOTE_CURRENCY",
    )
    placed = send_status_json(exchange.send_order(stop, exchange.tick()))
    trigger = exchange.triggers[placed["order_id"]]
    exchange.set_market("PF_XBTUSD", mark_price=Decimal(100000))
    assert trigger.trigger_price == Decimal(99950)
    exchange.set_market("PF_XBTUSD", mark_price=Decimal(99980))
    assert trigger.trigger_price == Decimal(99950)
    exchange.set_market("PF_XBTUSD", mark_price=Decimal(99940))
    assert placed["order_id"] not in exchange.triggers
    assert exchange.account.positions == {}


def test_a_malformed_instruction_fails_the_whole_batch_when_read() -> None:
    good = {"order": "send", "order_tag": "1", "orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": 1}
    bad = {key: value for key, value in good.items() if key != "size"}
    document = json.dumps({"batchOrder": [{**good, "limitPrice": 1000}, bad]})
    with pytest.raises(ApiError) as refused:
        read_batch(Params([("json", document)]))
    assert refused.value.code == "requiredArgumentMissing"


def test_an_inverse_margin_account_is_liquidated_on_its_own() -> None:
    exchange = Exchange(seed=1, clock=CLOCK)
    exchange.send_order(order(order_type="mkt", size=Decimal("0.5"), limit_price=None), exchange.tick())
    inverse = order("PI_XBTUSD", "mkt", size=Decimal(300000), limit_price=None)
    assert send_status_json(exchange.send_order(inverse, exchange.tick()))["status"] == "placed"
    exchange.set_market("PI_XBTUSD", mark_price=Decimal(90000))
    assert set(exchange.account.positions) == {"PF_XBTUSD"}
    (closing,) = [e.event for e in exchange.journal.entries("Execution") if e.event.fill_type == "liquidation"]
    assert (closing.symbol, Decimal(closing.price)) == ("PI_XBTUSD", Decimal(90000))
    assert closing.fee_currency == "XBT"
