"""Contract of trigger orders: stop, take-profit and trailing stop, from placement to activation."""

from __future__ import annotations

from typing import Any

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send


def statuses(kf_session: CassetteSession, kf_contract: ContractChecker, order_id: str) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = kf_contract(kf_session.post("orders/status", data={"orderIds": order_id}))["orders"]
    return orders


def test_stop_loss_fires_on_the_mark_price(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="0.5", limitPrice="")["status"] == "placed"
    stop = send(orderType="stp", side="sell", size="0.5", limitPrice="", stopPrice="90000", reduceOnly="true")
    trigger = stop["orderEvents"][0]["orderTrigger"]
    assert (trigger["triggerSide"], trigger["triggerSignal"], trigger["triggerPrice"]) == (
        "trigger_below",
        "mark_price",
        90000,
    )
    listed = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert [(o["orderType"], o["stopPrice"]) for o in listed] == [("stop", 90000)]
    assert statuses(kf_session, kf_contract, stop["order_id"])[0]["status"] == "TRIGGER_PLACED"
    control("markets/PF_XBTUSD", markPrice="89000")
    assert kf_contract(kf_session.get("openpositions"))["openPositions"] == []
    done = statuses(kf_session, kf_contract, stop["order_id"])
    assert [(o["status"], o["updateReason"]) for o in done] == [("FULLY_EXECUTED", "FULL_FILL")]
    events = kf_contract(kf_session.get("/api/history/v3/triggers"))["elements"]
    kinds = [next(iter(element["event"])) for element in events]
    assert "OrderTriggerActivated" in kinds
    assert "OrderTriggerPlaced" in kinds


def test_take_profit_with_a_limit_rests_after_activation(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="0.2", limitPrice="")["status"] == "placed"
    profit = send(orderType="take_profit", side="sell", size="0.2", stopPrice="99000", limitPrice="150000")
    assert profit["orderEvents"][0]["orderTrigger"]["triggerSide"] == "trigger_above"
    control("markets/PF_XBTUSD", markPrice="99500")
    listed = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert [(o["order_id"], o["orderType"], o["limitPrice"]) for o in listed] == [(profit["order_id"], "lmt", 150000)]
    entered = statuses(kf_session, kf_contract, profit["order_id"])
    assert [(o["status"], o["updateReason"]) for o in entered] == [("ENTERED_BOOK", "STOP_ORDER_TRIGGERED")]


def test_trailing_stop_follows_the_market(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="0.1", limitPrice="")["status"] == "placed"
    trailing = send(
        orderType="trailing_stop",
        side="sell",
        size="0.1",
        limitPrice="",
        reduceOnly="true",
        trailingStopMaxDeviation="5",
        trailingStopDeviationUnit="PERCENT",
    )
    first = trailing["orderEvents"][0]["orderTrigger"]["triggerPrice"]
    control("markets/PF_XBTUSD", markPrice="110000")
    (listed,) = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert listed["orderType"] == "trailing_stop"
    assert listed["stopPrice"] == 104500 > first
    edit = {"orderId": trailing["order_id"]}
    edited = kf_contract(
        kf_session.post("editorder", data={**edit, "stopPrice": "100000"}),
        outcome="cannotEditTriggerPriceOfTrailingStop",
    )
    assert edited["editStatus"]["orderEvents"] == []
    kf_contract(
        kf_session.post("editorder", data={**edit, "limitPrice": "100000"}),
        outcome="cannotEditLimitPriceOfTrailingStop",
    )
    moved = kf_contract(kf_session.post("editorder", data={**edit, "trailingStopMaxDeviation": "10"}))
    (event,) = moved["editStatus"]["orderEvents"]
    assert (event["old"]["triggerPrice"], event["new"]["triggerPrice"]) == (104500, 99000)
    cancelled = kf_contract(kf_session.post("cancelorder", data={"order_id": trailing["order_id"]}))["cancelStatus"]
    assert cancelled["orderEvents"][0]["orderTrigger"]["uid"] == trailing["order_id"]


def test_reduce_only_trigger_without_a_position_fails_on_activation(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="0.1", limitPrice="")["status"] == "placed"
    stop = send(orderType="stp", side="sell", size="0.1", stopPrice="90000", limitPrice="", reduceOnly="true")
    assert send(orderType="mkt", side="sell", size="0.1", limitPrice="")["status"] == "placed"
    control("markets/PF_XBTUSD", markPrice="89000")
    (failed,) = statuses(kf_session, kf_contract, stop["order_id"])
    assert (failed["status"], failed["error"]) == ("TRIGGER_ACTIVATION_FAILURE", "WOULD_NOT_REDUCE_POSITION")


def test_trigger_price_off_the_tick(send: Send) -> None:
    send("invalidPrice", orderType="stp", stopPrice="90000.5", limitPrice="")
