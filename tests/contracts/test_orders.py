"""Contract of order entry and cancellation, one test per documented outcome."""

from __future__ import annotations

from typing import Any

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession


def order(**fields: str) -> dict[str, str]:
    base = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}
    base.update(fields)
    return {key: value for key, value in base.items() if value != ""}


def send(kf_session: CassetteSession, kf_contract: ContractChecker, outcome: str | None = None, **fields: str) -> Any:
    return kf_contract(kf_session.post("sendorder", data=order(**fields)), outcome=outcome)["sendStatus"]


def test_limit_order_away_from_the_market_is_placed(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    status = send(kf_session, kf_contract, cliOrdId="away-1")
    assert status["status"] == "placed"
    assert status["orderEvents"][0]["type"] == "PLACE"
    open_orders = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert [o["order_id"] for o in open_orders] == [status["order_id"]]
    assert open_orders[0]["cliOrdId"] == "away-1"


def test_order_too_large_for_the_account(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    status = send(kf_session, kf_contract, "insufficientAvailableFunds", size="1000", limitPrice="90000")
    assert status["orderEvents"] == []


def test_invalid_size(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    send(kf_session, kf_contract, "invalidSize", size="0")


def test_market_order_fills_and_becomes_a_position(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    status = send(kf_session, kf_contract, orderType="mkt", size="0.5", limitPrice="")
    assert status["status"] == "placed"
    assert {event["type"] for event in status["orderEvents"]} == {"EXECUTION"}
    positions = kf_contract(kf_session.get("openpositions"))["openPositions"]
    assert [(p["symbol"], p["side"], p["size"]) for p in positions] == [("PF_XBTUSD", "long", 0.5)]


def test_post_only_order_that_would_cross(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    status = send(kf_session, kf_contract, "postWouldExecute", orderType="post", limitPrice="1000000")
    assert status["orderEvents"][0]["type"] == "REJECT"


def test_ioc_order_that_cannot_fill(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    send(kf_session, kf_contract, "iocWouldNotExecute", orderType="ioc", limitPrice="1000")


def test_cancel_an_open_order(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    placed = send(kf_session, kf_contract)
    cancel = kf_contract(kf_session.post("cancelorder", data={"order_id": placed["order_id"]}))["cancelStatus"]
    assert cancel["status"] == "cancelled"
    assert cancel["order_id"] == placed["order_id"]
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []


def test_cancel_an_unknown_order(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.post("cancelorder", data={"order_id": "00000000-0000-4000-8000-000000000000"})
    kf_contract(response, outcome="notFound")


def test_order_without_a_size(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    fields = order()
    del fields["size"]
    kf_contract(kf_session.post("sendorder", data=fields), outcome="error:requiredArgumentMissing")


def test_order_of_an_unknown_type(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    kf_contract(kf_session.post("sendorder", data=order(orderType="bogus")), outcome="error:invalidArgument")
