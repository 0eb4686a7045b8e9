"""The history API (v3 and v2): account events from the journal, the market's past, paging, the account log."""

from __future__ import annotations

import base64
import csv
import io
import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from pytest_krakenfutures import assert_contract
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.domain.orders import OrderSnapshot
from pytest_krakenfutures.simulator.domain.records.journal_events import OrderPlaced, TriggerPlaced
from pytest_krakenfutures.simulator.domain.triggers import TriggerSnapshot

from .conftest import CLOCK, SEED, Client
from .entries import cancelled, contract, get, trade

V3 = "/api/history/v3"
V2 = "/api/history/v2"
START_MS = 1772445600000  # CLOCK in epoch milliseconds
ORDER_A = "8d1f7c52-7a4e-4b0f-9c61-2f0a8e9d3b11"
ORDER_B = "f2b7e0a9-1c3d-4e5f-8a6b-7c8d9e0f1a22"
ORDER_C = "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c33"


def body_of(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def traded(simulator: Simulator) -> Simulator:
    """A simulator whose journal holds two filled orders (XBT then ETH) and a cancelled one."""
    trade(simulator, ORDER_A, "exec-1", 10, cli_ord_id="first")
    trade(simulator, ORDER_B, "exec-2", 20, symbol="PF_ETHUSD", side="sell", quantity=2.5, price=3401.2)
    cancelled(simulator, ORDER_C, 30)
    return simulator


def test_execution_events_come_from_the_journal_with_string_decimals(traded: Simulator, client: Client) -> None:
    body = contract(body_of(get(client, f"{V3}/executions")), "getExecutionEvents")
    assert body["len"] == len(body["elements"]) == 2
    assert body["serverTime"].endswith("Z")
    newest, oldest = body["elements"]
    assert newest["timestamp"] == START_MS + 22
    assert oldest["timestamp"] == START_MS + 12
    execution = oldest["event"]["Execution"]["execution"]
    assert execution["uid"] == "exec-1"
    assert execution["quantity"] == "0.1"
    assert execution["price"] == "95000"
    assert execution["usdValue"] == "9500.00"
    assert execution["makerOrder"]["uid"] == ORDER_A
    assert execution["makerOrder"]["accountUid"] == body["accountUid"]
    assert execution["makerOrder"]["clientId"] == "first"
    assert execution["makerOrder"]["direction"] == "Buy"
    assert execution["makerOrder"]["orderType"] == "Limit"
    assert execution["makerOrderData"]["fee"] == "1.9"
    assert execution["takerOrderData"] is None
    assert execution["takerOrder"]["accountUid"] != body["accountUid"]
    assert execution["takerOrder"]["direction"] == "Sell"


def test_v2_answers_like_v3_and_filters_by_tradeable(traded: Simulator, client: Client) -> None:
    v2 = contract(body_of(get(client, f"{V2}/executions", {"tradeable": "pf_ethusd"})), "getExecutionEventsV2")
    v3 = body_of(get(client, f"{V3}/executions", {"tradeable": "PF_ETHUSD"}))
    assert [e["uid"] for e in v2["elements"]] == [e["uid"] for e in v3["elements"]]
    assert [e["event"]["Execution"]["execution"]["uid"] for e in v2["elements"]] == ["exec-2"]


def test_order_events_show_placement_fill_and_cancellation(traded: Simulator, client: Client) -> None:
    body = contract(body_of(get(client, f"{V3}/orders", {"sort": "asc"})), "getOrderEvents")
    events = [next(iter(e["event"].items())) for e in body["elements"]]
    assert [name for name, _ in events] == [
        "OrderPlaced",
        "OrderUpdated",
        "OrderPlaced",
        "OrderUpdated",
        "OrderPlaced",
        "OrderCancelled",
    ]
    placed = events[0][1]
    assert placed["reason"] == "new_user_order"
    assert placed["reducedQuantity"] == ""
    assert placed["order"]["timestamp"] == START_MS + 10
    assert placed["order"]["filled"] == "0"
    assert events[1][1]["reason"] == "full_fill"
    assert events[1][1]["newOrder"]["filled"] == "0.1"
    assert events[5][1]["reason"] == "cancelled_by_user"


def test_opened_and_closed_filters_drop_placements_and_cancellations(traded: Simulator, client: Client) -> None:
    unopened = body_of(get(client, f"{V2}/orders", {"opened": "false"}))
    assert all("OrderPlaced" not in e["event"] for e in unopened["elements"])
    unclosed = body_of(get(client, f"{V3}/orders", {"closed": "false", "tradeable": "PF_XBTUSD"}))
    assert all("OrderCancelled" not in e["event"] for e in unclosed["elements"])
    assert len(unclosed["elements"]) == 3


def test_trigger_events_carry_trigger_options(simulator: Simulator, client: Client) -> None:
    placed = simulator.exchange.epoch
    trigger = TriggerSnapshot(
        order_id=ORDER_A,
        cli_ord_id=None,
        type="stp",
        symbol="PF_XBTUSD",
        side="sell",
        quantity=Decimal("0.5"),
        limit_price=None,
        trigger_price=Decimal("94000.0"),
        signal="mark",
        reduce_only=True,
        received=placed,
        last_update=placed,
    )
    simulator.exchange.journal.append(placed, TriggerPlaced(trigger, "new_user_order"))
    body = contract(body_of(get(client, f"{V3}/triggers")), "getTriggerEvents")
    event = body["elements"][0]["event"]["OrderTriggerPlaced"]
    assert event["reason"] == "new_user_order"
    assert event["order"]["uid"] == ORDER_A
    assert event["order"]["orderType"] == "IoC"
    assert event["order"]["limitPrice"] == ""
    assert event["order"]["reduceOnly"] is True
    options = event["order"]["triggerOptions"]
    assert options["triggerPrice"] == "94000"
    assert (options["triggerSignal"], options["triggerSide"]) == ("MarkPrice", "Below")
    assert body_of(get(client, f"{V2}/triggers"))["elements"] == body["elements"]


def test_position_events_say_how_the_position_changed(simulator: Simulator, client: Client) -> None:
    trade(simulator, ORDER_A, "exec-1", 10, quantity=0.1)
    trade(simulator, ORDER_B, "exec-2", 20, quantity=0.2, old_position=0.1)
    trade(simulator, ORDER_C, "exec-3", 30, side="sell", quantity=0.3, old_position=0.3)
    body = contract(body_of(get(client, f"{V3}/positions", {"sort": "asc"})), "getPositionEvents")
    elements = body["elements"]
    assert [e["positionChange"] for e in elements] == ["open", "increase", "close"]
    assert elements[1]["oldPosition"] == "0.1"
    assert elements[1]["newPosition"] == "0.3"
    assert elements[2]["executionUid"] == "exec-3"
    assert elements[2]["executionPrice"] == "95000"
    assert elements[0]["oldAverageEntryPrice"] is None
    assert elements[0]["updateReason"] == "trade"
    closing = body_of(get(client, f"{V3}/positions", {"closed": "true", "opened": "true"}))
    assert [e["positionChange"] for e in closing["elements"]] == ["close", "open"]
    assert body_of(get(client, f"{V3}/positions", {"funding_realization": "true"}))["elements"] == []


def test_pages_follow_the_continuation_token(traded: Simulator, client: Client) -> None:
    first = body_of(get(client, f"{V3}/orders", {"count": "4"}))
    assert first["len"] == 4
    token = first["continuationToken"]
    assert base64.b64decode(token).decode().count("/") == 1
    second = body_of(get(client, f"{V3}/orders", {"count": "4", "continuation_token": token}))
    assert second["len"] == 2
    assert "continuationToken" not in second
    whole = body_of(get(client, f"{V3}/orders"))["elements"]
    assert first["elements"] + second["elements"] == whole
    stamps = [e["timestamp"] for e in whole]
    assert stamps == sorted(stamps, reverse=True)


def test_since_and_before_bound_the_events(traded: Simulator, client: Client) -> None:
    window = {"since": str(START_MS + 12), "before": str(START_MS + 30), "sort": "asc"}
    body = body_of(get(client, f"{V3}/orders", window))
    assert [e["timestamp"] for e in body["elements"]] == [START_MS + 12, START_MS + 20, START_MS + 22]


@pytest.mark.parametrize(
    "params", [{"sort": "sideways"}, {"count": "0"}, {"since": "yesterday"}, {"continuation_token": "%%%"}]
)
def test_malformed_paging_is_a_bad_request(client: Client, params: dict[str, str]) -> None:
    body = body_of(get(client, f"{V3}/executions", params), 400)
    assert body["status"] == "BAD_REQUEST"
    assert body["errors"][0]["code"] == 11


def test_private_history_needs_a_signature(client: Client) -> None:
    response = get(client, f"{V3}/orders", signed=False)
    assert response.status_code == 401 or response.json().get("error") == "authenticationError"


def test_public_executions_show_the_market_past_ending_at_the_tickers_last_trade(client: Client) -> None:
    body = contract(body_of(get(client, f"{V3}/market/PF_XBTUSD/executions", signed=False)), "getPublicExecutionEvents")
    assert body["len"] == 1000
    ticker = client.public("tickers/PF_XBTUSD")["ticker"]
    last = body["elements"][0]["event"]["Execution"]["execution"]
    assert float(last["price"]) == ticker["last"]
    assert float(last["quantity"]) == ticker["lastSize"]
    assert last["takerOrder"]["direction"] == "Buy"
    assert "accountUid" not in last["takerOrder"]
    stamps = [e["timestamp"] for e in body["elements"]]
    assert stamps == sorted(stamps, reverse=True)
    assert stamps[0] < START_MS


def test_public_executions_page_through_the_past_without_repeats(client: Client) -> None:
    seen: list[str] = []
    params = {"count": "300", "since": str(START_MS - 3_600_000)}
    while True:
        body = body_of(get(client, f"{V3}/market/PF_XBTUSD/executions", params, signed=False))
        seen += [e["uid"] for e in body["elements"]]
        if "continuationToken" not in body:
            break
        params["continuation_token"] = body["continuationToken"]
    assert len(seen) == len(set(seen)) == 88  # one trade every 41.3 s during the hour before the start


def test_public_executions_include_the_accounts_trades_sanitized(traded: Simulator, client: Client) -> None:
    body = body_of(get(client, f"{V3}/market/pf_ethusd/executions", {"count": "2"}, signed=False))
    execution = body["elements"][0]["event"]["Execution"]["execution"]
    assert execution["uid"] == "exec-2"
    assert "accountUid" not in execution["makerOrder"]
    assert "makerOrderData" not in execution
    assert body["continuationToken"]


def test_public_order_events_are_the_markets_sanitized_orders(traded: Simulator, client: Client) -> None:
    body = contract(body_of(get(client, f"{V3}/market/PF_XBTUSD/orders", signed=False)), "getPublicOrderEvents")
    names = [next(iter(e["event"])) for e in body["elements"]]
    assert names == ["OrderCancelled", "OrderPlaced", "OrderUpdated", "OrderPlaced"]
    assert all("accountUid" not in next(iter(e["event"].values())).get("order", {}) for e in body["elements"])


def test_public_price_events_are_minutely_mark_prices(client: Client) -> None:
    body = contract(
        body_of(get(client, f"{V3}/market/PF_XBTUSD/price", {"sort": "asc", "count": "3"}, signed=False)),
        "getPublicPriceEvents",
    )
    stamps = [e["timestamp"] for e in body["elements"]]
    assert [b - a for a, b in itertools.pairwise(stamps)] == [60_000, 60_000]
    assert all(e["uid"] == "" for e in body["elements"])
    assert 90_000 < float(body["elements"][0]["event"]["MarkPriceChanged"]["price"]) < 100_000
    newest = body_of(get(client, f"{V3}/market/PF_XBTUSD/price", {"count": "1"}, signed=False))["elements"][0]
    assert newest["timestamp"] == START_MS
    assert float(newest["event"]["MarkPriceChanged"]["price"]) == pytest.approx(96010.37, abs=0.01)


def test_unknown_market_has_no_history(client: Client) -> None:
    body = body_of(get(client, f"{V3}/market/PF_NOPEUSD/executions", signed=False))
    assert body == {"len": 0, "elements": []}


def test_account_log_numbers_lines_and_filters_them(traded: Simulator, client: Client) -> None:
    assert client.post("transfer", {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "25"}).ok
    body = contract(body_of(get(client, f"{V3}/account-log")), "accountLog")
    logs = body["logs"]
    assert [line["id"] for line in logs] == [4, 3, 2, 1]
    assert [line["info"] for line in logs] == ["transfer", "transfer", "futures trade", "futures trade"]
    trade_line = logs[3]
    assert trade_line["contract"] == "pf_xbtusd"
    assert trade_line["execution"] == "exec-1"
    assert trade_line["old_balance"] == 10000.0
    assert trade_line["fee"] == 1.9
    assert trade_line["trade_price"] == 95000.0
    assert (logs[1]["margin_account"], logs[1]["new_balance"]) == ("flex", 9975.0)
    assert (logs[0]["margin_account"], logs[0]["new_balance"]) == ("cash", 25.0)
    ranged = body_of(get(client, f"{V2}/account-log", {"from": "2", "to": "3", "sort": "asc"}))["logs"]
    assert [line["id"] for line in ranged] == [2, 3]
    trades = body_of(get(client, f"{V3}/account-log", {"info": "futures trade", "count": "1"}))["logs"]
    assert [line["id"] for line in trades] == [2]
    assert body_of(get(client, f"{V3}/account-log", {"info": "lottery"}), 400)["errors"][0]["code"] == 11


def test_account_log_csv_has_a_header_and_the_newest_line_first(traded: Simulator, client: Client) -> None:
    response = get(client, f"{V2}/accountlogcsv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert_contract(response)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["type"] for row in rows] == ["futures trade", "futures trade"]
    assert rows[0]["contract"] == "pf_ethusd"
    assert rows[1]["fee"] == "1.9"
    assert rows[1]["dateTime"] == "2026-03-02 10:00:00"
    wide = get(client, f"{V3}/accountlogcsv", {"conversion_details": "true"}).text.splitlines()[0]
    assert wide.endswith("exchange rate,exchange rate from,conversion fee")


def test_the_history_budget_runs_out_on_the_account_log(client: Client) -> None:
    statuses = [get(client, f"{V3}/account-log").status_code for _ in range(51)]
    assert statuses[:50] == [200] * 50
    assert statuses[50] == 429


def test_history_is_reproducible_and_reset_forgets_the_back_office(traded: Simulator) -> None:
    def bodies(simulator: Simulator) -> list[bytes]:
        client = Client(simulator.base_url, nonces=False)
        client.post("transfer", {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "1"})
        paths = [f"{V3}/executions", f"{V3}/account-log", f"{V3}/market/PF_XBTUSD/executions", f"{V2}/accountlogcsv"]
        return [get(client, path).content for path in paths]

    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as other:
        trade(other, ORDER_A, "exec-1", 10, cli_ord_id="first")
        trade(other, ORDER_B, "exec-2", 20, symbol="PF_ETHUSD", side="sell", quantity=2.5, price=3401.2)
        cancelled(other, ORDER_C, 30)
        assert bodies(other) == bodies(traded)
    traded.reset(seed=SEED, clock=CLOCK)
    client = Client(traded.base_url, nonces=False)
    assert body_of(get(client, f"{V3}/account-log"))["logs"] == []
    assert body_of(get(client, f"{V3}/executions"))["elements"] == []


def test_an_order_snapshot_is_read_from_its_fields(simulator: Simulator, client: Client) -> None:
    placed = simulator.exchange.epoch + timedelta(milliseconds=5)
    snapshot = OrderSnapshot(
        order_id=ORDER_A,
        cli_ord_id="snake",
        type="post",
        symbol="PI_XBTUSD",
        side="sell",
        quantity=Decimal("1000"),
        filled=Decimal("0"),
        limit_price=Decimal("97000.5"),
        reduce_only=False,
        received=placed,
        last_update=placed,
    )
    simulator.exchange.journal.append(placed, OrderPlaced(snapshot, "new_user_order"))
    placed_event = body_of(get(client, f"{V3}/orders"))["elements"][0]["event"]["OrderPlaced"]
    assert placed_event["order"]["tradeable"] == "PI_XBTUSD"
    assert placed_event["order"]["orderType"] == "Post"
    assert placed_event["order"]["clientId"] == "snake"
    assert placed_event["order"]["limitPrice"] == "97000.5"
    assert placed_event["order"]["timestamp"] == START_MS + 5
