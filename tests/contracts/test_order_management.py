"""Contract of cancelallorders, the dead man's switch (cancelallordersafter), orders/status and cancelorder."""

from __future__ import annotations

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send


def test_cancel_all_orders(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    xbt = send(cliOrdId="xbt")["order_id"]
    eth = send(symbol="PF_ETHUSD", size="0.1", limitPrice="100")["order_id"]
    stop = send(orderType="stp", side="sell", stopPrice="50000", limitPrice="")["order_id"]
    one = kf_contract(kf_session.post("cancelallorders", data={"symbol": "PF_ETHUSD"}))["cancelStatus"]
    assert (one["status"], one["cancelOnly"], one["cancelledOrders"]) == ("cancelled", "PF_ETHUSD", [{"order_id": eth}])
    every = kf_contract(kf_session.post("cancelallorders"))["cancelStatus"]
    assert every["cancelOnly"] == "all"
    assert [entry["order_id"] for entry in every["cancelledOrders"]] == [xbt, stop]
    assert [event["type"] for event in every["orderEvents"]] == ["CANCEL", "CANCEL"]
    none = kf_contract(kf_session.post("cancelallorders"))["cancelStatus"]
    assert (none["status"], none["cancelledOrders"]) == ("noOrdersToCancel", [])


def test_dead_man_switch(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    order_id = send()["order_id"]
    armed = kf_contract(kf_session.post("cancelallordersafter", data={"timeout": "60"}))["status"]
    assert armed["triggerTime"] > armed["currentTime"]
    control("clock", advance="30")
    assert len(kf_contract(kf_session.get("openorders"))["openOrders"]) == 1
    control("clock", advance="31")
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []
    (status,) = kf_contract(kf_session.post("orders/status", data={"orderIds": order_id}))["orders"]
    assert (status["status"], status["updateReason"]) == ("CANCELLED", "DEAD_MAN_SWITCH")
    disarmed = kf_contract(kf_session.post("cancelallordersafter", data={"timeout": "0"}))["status"]
    assert disarmed["triggerTime"] == "0"
    kf_contract(kf_session.post("cancelallordersafter", data={"timeout": "soon"}), outcome="error:invalidArgument")


def test_order_status(send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    resting = send(cliOrdId="rest")["order_id"]
    stop = send(orderType="stp", side="sell", stopPrice="50000", limitPrice="", cliOrdId="stop")["order_id"]
    filled = send(orderType="mkt", size="0.1", limitPrice="")["order_id"]
    everything = kf_contract(kf_session.post("orders/status"))["orders"]
    assert [(o["order"]["orderId"], o["status"]) for o in everything] == [
        (resting, "ENTERED_BOOK"),
        (stop, "TRIGGER_PLACED"),
    ]
    query = {"orderIds": [resting, filled], "cliOrdIds": ["stop"]}
    some = kf_contract(kf_session.post("orders/status", data=query))["orders"]
    assert [(o["order"]["type"], o["status"]) for o in some] == [
        ("ORDER", "ENTERED_BOOK"),
        ("ORDER", "FULLY_EXECUTED"),
        ("TRIGGER_ORDER", "TRIGGER_PLACED"),
    ]
    by_get = kf_contract(kf_session.get("orders/status", params={"orderIds": resting}))["orders"]
    assert [o["status"] for o in by_get] == ["ENTERED_BOOK"]
    control("clock", advance="6")
    later = kf_contract(kf_session.post("orders/status", data={"orderIds": filled}))["orders"]
    assert later == []


def test_cancel_of_a_filled_order(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    filled = send(orderType="mkt", size="0.1", limitPrice="")["order_id"]
    kf_contract(kf_session.post("cancelorder", data={"order_id": filled}), outcome="filled")
