"""Contract of batchorder: mixed instructions, every documented per-instruction status, and its limits."""

from __future__ import annotations

import json
from typing import Any

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send, order_fields

REFUSALS = (
    "invalidOrderType,invalidSide,invalidSize,invalidPrice,insufficientAvailableFunds,selfFill,"
    "clientOrderIdAlreadyExist,clientOrderIdTooLong,outsidePriceCollar,postWouldExecute,iocWouldNotExecute"
)


def placement(tag: str, **fields: Any) -> dict[str, Any]:
    return {"order": "send", "order_tag": tag, **order_fields(), **fields}


def test_send_edit_and_cancel_in_one_batch(
    send: Send, batch: Any, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    resting = send(cliOrdId="keep")["order_id"]
    doomed = send(limitPrice="1001")["order_id"]
    results = batch(
        placement("new-1", cliOrdId="batch-1"),
        {"order": "edit", "order_id": resting, "limitPrice": 1005},
        {"order": "cancel", "order_id": doomed},
        {"order": "cancel", "cliOrdId": "nobody"},
        outcome="placed,edited,cancelled,notFound",
    )
    assert [result["status"] for result in results] == ["placed", "edited", "cancelled", "notFound"]
    assert results[0]["order_tag"] == "new-1"
    listed = {o["order_id"]: o["limitPrice"] for o in kf_contract(kf_session.get("openorders"))["openOrders"]}
    assert listed == {results[0]["order_id"]: 1000, resting: 1005}


def test_every_refusal_in_a_batch(
    send: Send, batch: Any, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    book = kf_contract(kf_session.get("orderbook", params={"symbol": "PF_XBTUSD"}))["orderBook"]
    bid, ask = int(book["bids"][0][0]), int(book["asks"][0][0])
    assert send(cliOrdId="taken")["status"] == "placed"
    assert send(side="sell", orderType="post", limitPrice=str(ask - 1))["status"] == "placed"
    results = batch(
        placement("type", orderType="bogus"),
        placement("side", side="up"),
        placement("size", size="0.00001"),
        placement("price", limitPrice="1000.5"),
        placement("funds", size="1000", limitPrice="90000"),
        placement("self", size="1", limitPrice=str(ask)),
        placement("taken", cliOrdId="taken"),
        placement("long", cliOrdId="x" * 101),
        placement("collar", limitPrice="250000"),
        placement("post", orderType="post", side="sell", limitPrice=str(bid)),
        placement("ioc", orderType="ioc"),
        outcome=REFUSALS,
    )
    assert [(result["order_tag"], result["status"]) for result in results] == [
        ("type", "invalidOrderType"),
        ("side", "invalidSide"),
        ("size", "invalidSize"),
        ("price", "invalidPrice"),
        ("funds", "insufficientAvailableFunds"),
        ("self", "selfFill"),
        ("taken", "clientOrderIdAlreadyExist"),
        ("long", "clientOrderIdTooLong"),
        ("collar", "outsidePriceCollar"),
        ("post", "postWouldExecute"),
        ("ioc", "iocWouldNotExecute"),
    ]
    small = [placement(f"small-{n}", size="0.0001", limitPrice=str(1010 + n)) for n in range(11)]
    outcome = ",".join(["placed"] * 10 + ["tooManySmallOrders"])
    assert [result["status"] for result in batch(*small, outcome=outcome)][-2:] == ["placed", "tooManySmallOrders"]
    control("markets/PF_XBTUSD", state="suspended")
    control("markets/PF_ETHUSD", state="inactive")
    closed = batch(
        placement("suspended"),
        placement("inactive", symbol="PF_ETHUSD", size="0.1", limitPrice="100"),
        outcome="marketSuspended,marketInactive",
    )
    assert [result["status"] for result in closed] == ["marketSuspended", "marketInactive"]


def test_batch_limits(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    too_many = {"batchOrder": [placement(str(n)) for n in range(101)]}
    response = kf_session.post("batchorder", data={"json": json.dumps(too_many)})
    kf_contract(response, outcome="error:invalidArgument")
    kf_contract(kf_session.post("batchorder", data={"json": "{not json"}), outcome="error:invalidArgument")
    kf_contract(kf_session.post("batchorder", data={}), outcome="error:requiredArgumentMissing")
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []
