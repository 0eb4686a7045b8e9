"""Private endpoints of the simulator: accounts, orders, positions and every sendorder outcome."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from .conftest import Client

MICROS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ORDER_JSON_FIELDS = {
    "orderId",
    "cliOrdId",
    "type",
    "symbol",
    "side",
    "quantity",
    "filled",
    "limitPrice",
    "reduceOnly",
    "timestamp",
    "lastUpdateTimestamp",
}


def flex(client: Client) -> dict[str, Any]:
    account: dict[str, Any] = client.private("accounts")["accounts"]["flex"]
    return account


def book(client: Client, symbol: str = "PF_XBTUSD") -> dict[str, list[list[float]]]:
    levels: dict[str, list[list[float]]] = client.public("orderbook", {"symbol": symbol})["orderBook"]
    return levels


def status_of(body: dict[str, Any]) -> str:
    assert body["result"] == "success", body
    status: str = body["sendStatus"]["status"]
    return status


def test_accounts_show_a_funded_flex_account(client: Client) -> None:
    accounts = client.private("accounts")["accounts"]
    assert accounts["cash"]["type"] == "cashAccount"
    assert accounts["cash"]["balances"]["usd"] == 0.0
    account = accounts["flex"]
    assert account["type"] == "multiCollateralMarginAccount"
    assert account["currencies"]["USD"] == {
        "quantity": 10000.0,
        "value": 10000.0,
        "collateral": 10000.0,
        "available": 10000.0,
    }
    assert account["availableMargin"] == account["marginEquity"] == account["portfolioValue"] == 10000.0
    assert account["initialMargin"] == account["initialMarginWithOrders"] == account["maintenanceMargin"] == 0.0


def test_nothing_is_open_at_start(client: Client) -> None:
    assert client.private("openorders")["openOrders"] == []
    assert client.private("openpositions")["openPositions"] == []


def test_limit_order_that_does_not_cross_rests_in_the_book(client: Client) -> None:
    body = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.5", limitPrice="95000")
    status = body["sendStatus"]
    assert status["status"] == "placed"
    assert UUID.fullmatch(status["order_id"])
    assert status["receivedTime"] == body["serverTime"]
    assert "cliOrdId" not in status
    [event] = status["orderEvents"]
    assert event["type"] == "PLACE"
    assert event["reducedQuantity"] is None
    order = event["order"]
    assert set(order) == ORDER_JSON_FIELDS
    assert order["orderId"] == status["order_id"]
    assert order["cliOrdId"] is None
    assert (order["type"], order["side"], order["quantity"], order["filled"]) == ("lmt", "buy", 0.5, 0.0)
    assert order["limitPrice"] == 95000.0
    [open_order] = client.private("openorders")["openOrders"]
    assert open_order["order_id"] == status["order_id"]
    assert open_order["status"] == "untouched"
    assert open_order["orderType"] == "lmt"
    assert (open_order["unfilledSize"], open_order["filledSize"]) == (0.5, 0.0)
    assert MICROS.fullmatch(open_order["receivedTime"])
    assert [95000.0, 0.5] in book(client)["bids"]
    account = flex(client)
    assert account["initialMarginWithOrders"] == pytest.approx(0.5 * 95000 * 0.02)
    assert account["initialMargin"] == 0.0
    assert account["availableMargin"] == pytest.approx(10000 - 950)


def test_open_orders_are_newest_first_and_carry_the_client_id(client: Client) -> None:
    first = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.1", limitPrice="90000")
    second = client.send(
        orderType="lmt", symbol="PF_ETHUSD", side="sell", size="1", limitPrice="3500", cliOrdId="my-sell"
    )
    assert second["sendStatus"]["cliOrdId"] == "my-sell"
    orders = client.private("openorders")["openOrders"]
    assert [o["order_id"] for o in orders] == [second["sendStatus"]["order_id"], first["sendStatus"]["order_id"]]
    assert orders[0]["cliOrdId"] == "my-sell"
    assert "cliOrdId" not in orders[1]


def test_market_order_fills_against_the_book_and_opens_a_position(client: Client) -> None:
    asks = book(client)["asks"]
    size = Decimal(str(asks[0][1])) + Decimal("0.1")
    body = client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size=str(size))
    status = body["sendStatus"]
    assert status["status"] == "placed"
    executions = status["orderEvents"]
    assert [e["type"] for e in executions] == ["EXECUTION", "EXECUTION"]
    assert [e["price"] for e in executions] == [asks[0][0], asks[1][0]]
    assert [e["amount"] for e in executions] == [asks[0][1], 0.1]
    assert executions[0]["orderPriorExecution"]["filled"] == 0.0
    assert executions[1]["orderPriorExecution"]["filled"] == asks[0][1]
    assert executions[0]["executionId"] != executions[1]["executionId"]
    assert executions[0]["orderPriorEdit"] is None
    assert executions[0]["takerReducedQuantity"] is None
    assert set(executions[0]["orderPriorExecution"]) == ORDER_JSON_FIELDS
    after = book(client)["asks"]
    assert after[0] == [asks[1][0], pytest.approx(asks[1][1] - 0.1)]
    assert client.private("openorders")["openOrders"] == []
    [position] = client.private("openpositions")["openPositions"]
    assert (position["side"], position["symbol"], position["size"]) == ("long", "PF_XBTUSD", float(size))
    notional = Decimal(str(asks[0][0])) * Decimal(str(asks[0][1])) + Decimal(str(asks[1][0])) * Decimal("0.1")
    assert position["price"] == pytest.approx(float(notional / size))
    assert position["fillTime"] == body["serverTime"]
    assert position["pnlCurrency"] == "USD"
    account = flex(client)
    assert account["currencies"]["USD"]["quantity"] == pytest.approx(10000 - float(notional) * 0.0005)
    assert account["initialMargin"] > 0
    assert account["maintenanceMargin"] > 0
    assert account["pnl"] < 0  # bought above mark
    assert account["availableMargin"] < 10000


def test_crossing_limit_order_fills_then_rests_the_remainder(client: Client) -> None:
    best_ask, best_size = book(client)["asks"][0]
    size = Decimal(str(best_size)) + Decimal("0.2")
    status = client.send(
        orderType="lmt", symbol="PF_XBTUSD", side="buy", size=str(size), limitPrice=str(int(best_ask))
    )["sendStatus"]
    assert status["status"] == "placed"
    assert [e["type"] for e in status["orderEvents"]] == ["EXECUTION", "PLACE"]
    assert status["orderEvents"][1]["order"]["filled"] == best_size
    [open_order] = client.private("openorders")["openOrders"]
    assert open_order["status"] == "partiallyFilled"
    assert open_order["unfilledSize"] == pytest.approx(0.2)
    assert book(client)["bids"][0] == [best_ask, pytest.approx(0.2)]


def test_ioc_order_fills_what_it_can_and_drops_the_rest(client: Client) -> None:
    best_ask, best_size = book(client)["asks"][0]
    size = Decimal(str(best_size)) + Decimal("0.3")
    status = client.send(
        orderType="ioc", symbol="PF_XBTUSD", side="buy", size=str(size), limitPrice=str(int(best_ask))
    )["sendStatus"]
    assert status["status"] == "placed"
    assert [e["type"] for e in status["orderEvents"]] == ["EXECUTION"]
    assert status["orderEvents"][0]["orderPriorExecution"]["type"] == "ioc"
    assert client.private("openorders")["openOrders"] == []
    assert client.private("openpositions")["openPositions"][0]["size"] == best_size


def test_ioc_order_that_cannot_fill_is_rejected(client: Client) -> None:
    status = client.send(orderType="ioc", symbol="PF_XBTUSD", side="buy", size="0.1", limitPrice="90000")["sendStatus"]
    assert status["status"] == "iocWouldNotExecute"
    [event] = status["orderEvents"]
    assert event["type"] == "REJECT"
    assert event["reason"] == "IOC_WOULD_NOT_EXECUTE"
    assert event["uid"] == status["order_id"] == event["order"]["orderId"]
    assert client.private("openpositions")["openPositions"] == []


def test_post_only_order_that_would_cross_is_rejected(client: Client) -> None:
    best_bid = book(client)["bids"][0][0]
    status = client.send(orderType="post", symbol="PF_XBTUSD", side="sell", size="0.1", limitPrice=str(int(best_bid)))[
        "sendStatus"
    ]
    assert status["status"] == "postWouldExecute"
    [event] = status["orderEvents"]
    assert (event["type"], event["reason"]) == ("REJECT", "POST_WOULD_EXECUTE")
    assert event["order"]["type"] == "post"
    assert client.private("openorders")["openOrders"] == []


def test_post_only_order_that_does_not_cross_rests(client: Client) -> None:
    status = client.send(orderType="post", symbol="PF_XBTUSD", side="sell", size="0.1", limitPrice="97000")[
        "sendStatus"
    ]
    assert status["status"] == "placed"
    assert status["orderEvents"][0]["order"]["type"] == "post"
    assert len(client.private("openorders")["openOrders"]) == 1


@pytest.mark.parametrize("size", ["0", "-1", "0.00001", "1.23456"])
def test_sizes_off_the_contract_precision_are_invalid(client: Client, size: str) -> None:
    status = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size=size, limitPrice="95000")["sendStatus"]
    assert status["status"] == "invalidSize"
    assert status["orderEvents"] == []
    assert UUID.fullmatch(status["order_id"])


def test_inverse_contract_sizes_are_whole_contracts(client: Client) -> None:
    assert status_of(client.send(orderType="mkt", symbol="PI_XBTUSD", side="buy", size="10.5")) == "invalidSize"
    assert status_of(client.send(orderType="mkt", symbol="pi_xbtusd", side="buy", size="1000")) == "placed"
    [position] = client.private("openpositions")["openPositions"]
    assert (position["symbol"], position["size"], position["side"]) == ("PI_XBTUSD", 1000.0, "long")
    assert "pnlCurrency" not in position


def test_limit_price_off_the_tick_is_invalid(client: Client) -> None:
    body = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.1", limitPrice="95000.5")
    assert status_of(body) == "invalidPrice"


def test_order_beyond_available_margin_is_refused(client: Client) -> None:
    body = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="6", limitPrice="95000")
    assert status_of(body) == "insufficientAvailableFunds"
    assert body["sendStatus"]["orderEvents"] == []
    assert status_of(client.send(orderType="mkt", symbol="PF_XBTUSD", side="sell", size="6")) == (
        "insufficientAvailableFunds"
    )
    assert client.private("openorders")["openOrders"] == []
    assert flex(client)["availableMargin"] == 10000.0


def test_open_orders_use_up_available_margin(client: Client) -> None:
    assert status_of(client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="4", limitPrice="95000")) == (
        "placed"
    )
    second = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="2", limitPrice="95000")
    assert status_of(second) == "insufficientAvailableFunds"


def test_client_order_id_of_an_open_order_cannot_be_reused(client: Client) -> None:
    params = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1", "limitPrice": "95000"}
    first = client.send(**params, cliOrdId="dup-1")
    assert status_of(first) == "placed"
    second = client.send(**params, cliOrdId="dup-1")
    assert status_of(second) == "clientOrderIdAlreadyExist"
    assert second["sendStatus"]["cliOrdId"] == "dup-1"
    assert second["sendStatus"]["orderEvents"] == []
    client.cancel(cliOrdId="dup-1")
    assert status_of(client.send(**params, cliOrdId="dup-1")) == "placed"


def test_reduce_only_order_without_a_position_is_refused(client: Client) -> None:
    body = client.send(orderType="mkt", symbol="PF_XBTUSD", side="sell", size="0.1", reduceOnly="true")
    assert status_of(body) == "wouldNotReducePosition"
    assert body["sendStatus"]["orderEvents"] == []


def test_reduce_only_order_that_would_grow_the_position_is_refused(client: Client) -> None:
    assert status_of(client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="0.2")) == "placed"
    body = client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="0.1", reduceOnly="true")
    assert status_of(body) == "wouldNotReducePosition"


def test_reduce_only_order_is_cut_to_the_position_and_closes_it(client: Client) -> None:
    assert status_of(client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="0.2")) == "placed"
    body = client.send(orderType="mkt", symbol="PF_XBTUSD", side="sell", size="0.5", reduceOnly="true")
    assert status_of(body) == "placed"
    events = body["sendStatus"]["orderEvents"]
    assert sum(e["amount"] for e in events) == pytest.approx(0.2)
    assert events[0]["takerReducedQuantity"] == pytest.approx(0.3)
    assert events[0]["orderPriorExecution"]["reduceOnly"] is True
    assert client.private("openpositions")["openPositions"] == []


def test_round_trip_realises_pnl_and_pays_taker_fees(client: Client) -> None:
    levels = book(client)
    ask, bid = Decimal(str(levels["asks"][0][0])), Decimal(str(levels["bids"][0][0]))
    size = Decimal("0.1")
    assert status_of(client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="0.1")) == "placed"
    assert status_of(client.send(orderType="mkt", symbol="PF_XBTUSD", side="sell", size="0.1")) == "placed"
    assert client.private("openpositions")["openPositions"] == []
    expected = 10000 + (bid - ask) * size - (ask + bid) * size * Decimal("0.0005")
    account = flex(client)
    assert account["currencies"]["USD"]["quantity"] == pytest.approx(float(expected))
    assert account["initialMargin"] == 0.0
    assert account["pnl"] == 0.0


def test_selling_more_than_the_position_flips_it_short(client: Client) -> None:
    client.send(orderType="mkt", symbol="PF_ETHUSD", side="buy", size="1")
    client.send(orderType="mkt", symbol="PF_ETHUSD", side="sell", size="3")
    [position] = client.private("openpositions")["openPositions"]
    assert (position["side"], position["size"]) == ("short", 2.0)


def test_order_that_would_trade_with_an_own_resting_order_is_refused(client: Client) -> None:
    best_ask, best_size = book(client)["asks"][0]
    own = int(best_ask) + 1
    assert status_of(
        client.send(orderType="lmt", symbol="PF_XBTUSD", side="sell", size="0.1", limitPrice=str(own))
    ) == ("placed")
    size = Decimal(str(best_size)) + Decimal("0.1")
    body = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size=str(size), limitPrice=str(own))
    assert status_of(body) == "selfFill"
    assert book(client)["asks"][0] == [best_ask, best_size]


def test_cancel_by_order_id_removes_the_order(client: Client) -> None:
    placed = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.1", limitPrice="95000")
    order_id = placed["sendStatus"]["order_id"]
    body = client.cancel(order_id=order_id)
    assert body["result"] == "success"
    status = body["cancelStatus"]
    assert (status["status"], status["order_id"]) == ("cancelled", order_id)
    assert status["receivedTime"] == body["serverTime"]
    [event] = status["orderEvents"]
    assert (event["type"], event["uid"]) == ("CANCEL", order_id)
    assert event["order"]["orderId"] == order_id
    assert set(event["order"]) == ORDER_JSON_FIELDS
    assert client.private("openorders")["openOrders"] == []
    assert flex(client)["initialMarginWithOrders"] == 0.0
    assert client.cancel(order_id=order_id)["cancelStatus"]["status"] == "notFound"


def test_cancel_by_client_order_id(client: Client) -> None:
    placed = client.send(
        orderType="lmt", symbol="PF_ETHUSD", side="sell", size="1", limitPrice="3500", cliOrdId="to-cancel"
    )
    status = client.cancel(cliOrdId="to-cancel")["cancelStatus"]
    assert status["status"] == "cancelled"
    assert status["order_id"] == placed["sendStatus"]["order_id"]
    assert status["cliOrdId"] == "to-cancel"


def test_cancel_of_an_unknown_order_is_not_found(client: Client) -> None:
    body = client.cancel(order_id="00000000-0000-4000-8000-000000000000")
    assert body["result"] == "success"
    assert set(body["cancelStatus"]) == {"status", "receivedTime"}
    assert body["cancelStatus"]["status"] == "notFound"


def test_cancel_of_a_filled_order_says_filled(client: Client) -> None:
    placed = client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="0.1", cliOrdId="gone")
    order_id = placed["sendStatus"]["order_id"]
    body = client.cancel(order_id=order_id)
    assert body["cancelStatus"] == {"status": "filled", "order_id": order_id, "receivedTime": body["serverTime"]}
    assert client.cancel(cliOrdId="gone")["cancelStatus"]["status"] == "filled"


def test_cancel_needs_an_order_id_or_client_order_id(client: Client) -> None:
    body = client.cancel()
    assert body["result"] == "error"
    assert body["error"] == "requiredArgumentMissing"


@pytest.mark.parametrize("missing", ["orderType", "symbol", "side", "size"])
def test_send_order_without_a_required_argument(client: Client, missing: str) -> None:
    params = {"orderType": "mkt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1"}
    del params[missing]
    body = client.send(**params)
    assert body == {"result": "error", "serverTime": body["serverTime"], "error": "requiredArgumentMissing"}


def test_limit_order_without_a_limit_price_is_missing_an_argument(client: Client) -> None:
    body = client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.1")
    assert body["error"] == "requiredArgumentMissing"


@pytest.mark.parametrize(
    "override",
    [
        {"orderType": "banana"},
        {"side": "up"},
        {"size": "lots"},
        {"size": "1_000"},
        {"limitPrice": "cheap"},
        {"symbol": "PF_NOPEUSD"},
        {"reduceOnly": "maybe"},
    ],
)
def test_send_order_with_a_malformed_argument(client: Client, override: dict[str, str]) -> None:
    params = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1", "limitPrice": "95000"}
    params.update(override)
    body = client.send(**params)
    assert body["result"] == "error"
    assert body["error"] == "invalidArgument"
    assert client.private("openorders")["openOrders"] == []
