"""Contract of every sendorder refusal the simulator can be driven to, one test per documented status."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send, order_fields


def best(kf_session: CassetteSession, kf_contract: ContractChecker) -> tuple[float, float]:
    book = kf_contract(kf_session.get("orderbook", params={"symbol": "PF_XBTUSD"}))["orderBook"]
    return book["bids"][0][0], book["asks"][0][0]


def test_order_processed_after_its_deadline(send: Send) -> None:
    send("wouldProcessAfterSpecifiedTime", processBefore="2020-01-01T00:00:00.000Z")


@pytest.mark.parametrize(
    ("state", "status"),
    [("suspended", "marketSuspended"), ("inactive", "marketInactive"), ("post_only", "marketIsPostOnly")],
)
def test_market_state_refuses_orders(send: Send, control: Control, state: str, status: str) -> None:
    assert control("markets/PF_XBTUSD", state=state)["market"]["state"] == state
    send(status)
    if state == "post_only":
        assert send(orderType="post")["status"] == "placed"


def test_price_off_the_tick(send: Send) -> None:
    send("invalidPrice", limitPrice="95000.5")


def test_client_order_ids(send: Send) -> None:
    assert send(cliOrdId="bot-1")["status"] == "placed"
    send("clientOrderIdAlreadyExist", cliOrdId="bot-1")
    send("clientOrderIdTooBig", cliOrdId="x" * 101)
    send("clientOrderIdInvalid", cliOrdId="caf\u00e9-1")


def test_reduce_only_order_without_a_position(send: Send) -> None:
    send("wouldNotReducePosition", reduceOnly="true")


def test_too_many_small_orders(send: Send, batch: Any) -> None:
    small = [
        {"order": "send", "order_tag": str(n), **order_fields(size="0.0001", limitPrice=str(1000 + n))}
        for n in range(10)
    ]
    assert {result["status"] for result in batch(*small)} == {"placed"}
    send("tooManySmallOrders", size="0.0001", limitPrice="1100")
    assert send(size="0.01", limitPrice="1100")["status"] == "placed"


def test_too_many_open_orders(send: Send, batch: Any) -> None:
    orders = [{"order": "send", "order_tag": str(n), **order_fields(limitPrice=str(1000 + n))} for n in range(100)]
    assert {result["status"] for result in batch(*orders)} == {"placed"}
    send("tooManyOrders")


def test_position_above_the_contract_maximum(send: Send) -> None:
    send("maxPositionViolation", size="2000000")


def test_fixed_leverage_too_high_for_the_size(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    kf_contract(kf_session.put("leveragepreferences", params={"symbol": "PF_XBTUSD", "maxLeverage": "50"}))
    send("fixedLeverageTooHigh", size="6", limitPrice="95000")


def test_fat_finger_price(send: Send) -> None:
    send("outsidePriceCollar", limitPrice="250000")


def test_order_that_would_deepen_a_price_dislocation(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    control("markets/PF_XBTUSD", dislocation="ABOVE_UPPER_BOUND")
    status = kf_contract(kf_session.get("instruments/PF_XBTUSD/status"))
    assert status["priceDislocationDirection"] == "ABOVE_UPPER_BOUND"
    bid, ask = best(kf_session, kf_contract)
    send("wouldIncreasePriceDislocation", limitPrice=str(int(ask)))
    assert send(side="sell", orderType="ioc", limitPrice=str(int(bid)))["status"] == "placed"


def test_order_that_would_cause_liquidation(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    _, ask = best(kf_session, kf_contract)
    control("markets/PF_XBTUSD", markPrice=str(int(ask * 0.75)), book="keep")
    send("wouldCauseLiquidation", size="5", limitPrice=str(int(ask) + 500))


def test_order_that_would_fill_against_its_own(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    _bid, ask = best(kf_session, kf_contract)
    resting = send(side="sell", orderType="post", limitPrice=str(int(ask) - 1))
    assert resting["status"] == "placed"
    send("selfFill", size="1", limitPrice=str(int(ask)))


def test_fill_or_kill(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    price, size = kf_contract(kf_session.get("orderbook", params={"symbol": "PF_XBTUSD"}))["orderBook"]["asks"][0]
    send("iocWouldNotExecute", orderType="fok", size=f"{size + 0.1:.4f}", limitPrice=str(int(price)))
    filled = send(orderType="fok", size=f"{size:.4f}", limitPrice=str(int(price)))
    assert filled["status"] == "placed"
    assert {event["type"] for event in filled["orderEvents"]} == {"EXECUTION"}
