"""Contract of editorder: every documented editStatus."""

from __future__ import annotations

from typing import Any

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Send, order_fields


def edit(kf_session: CassetteSession, kf_contract: ContractChecker, outcome: str | None = None, **fields: str) -> Any:
    return kf_contract(kf_session.post("editorder", data=fields), outcome=outcome)["editStatus"]


def asks(kf_session: CassetteSession, kf_contract: ContractChecker) -> list[list[float]]:
    levels: list[list[float]] = kf_contract(kf_session.get("orderbook", params={"symbol": "PF_XBTUSD"}))["orderBook"][
        "asks"
    ]
    return levels


def test_edit_price_and_size(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    placed = send(cliOrdId="edit-1")
    status = edit(kf_session, kf_contract, orderId=placed["order_id"], limitPrice="1200", size="0.02")
    assert status["status"] == "edited"
    (event,) = status["orderEvents"]
    assert (event["old"]["limitPrice"], event["new"]["limitPrice"], event["new"]["quantity"]) == (1000, 1200, 0.02)
    by_client_id = edit(kf_session, kf_contract, cliOrdId="edit-1", size="0.05", qtyMode="ABSOLUTE")
    assert by_client_id["orderEvents"][0]["new"]["quantity"] == 0.05
    (listed,) = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert (listed["limitPrice"], listed["unfilledSize"]) == (1200, 0.05)


def test_edit_into_the_market_fills(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    placed = send(size="0.1")
    price = int(asks(kf_session, kf_contract)[0][0])
    status = edit(kf_session, kf_contract, orderId=placed["order_id"], limitPrice=str(price))
    assert status["status"] == "filled"
    (execution,) = status["orderEvents"]
    assert execution["type"] == "EXECUTION"
    assert (execution["amount"], execution["price"]) == (0.1, price)
    assert (execution["orderPriorEdit"]["limitPrice"], execution["orderPriorExecution"]["limitPrice"]) == (1000, price)
    assert execution["takerReducedQuantity"] is None
    fills = kf_contract(kf_session.get("fills"))["fills"]
    assert {fill["fillType"] for fill in fills} == {"takerAfterEdit"}
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []


def test_edit_into_the_market_fills_partly(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    best, size = asks(kf_session, kf_contract)[0]
    placed = send(size="1")
    status = edit(kf_session, kf_contract, orderId=placed["order_id"], limitPrice=str(int(best)))
    assert status["status"] == "partiallyFilled"
    assert [event["type"] for event in status["orderEvents"]] == ["EXECUTION"]
    assert status["orderEvents"][0]["amount"] == size
    (resting,) = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert (resting["limitPrice"], resting["filledSize"], resting["unfilledSize"]) == (best, size, 1 - size)


def test_edit_that_changes_nothing_is_rejected(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    placed = send(cliOrdId="same-1")
    status = edit(kf_session, kf_contract, "edited", orderId=placed["order_id"], limitPrice="1000", size="0.01")
    (rejected,) = status["orderEvents"]
    assert (rejected["type"], rejected["reason"], rejected["uid"]) == (
        "REJECT",
        "EDIT_HAS_NO_EFFECT",
        placed["order_id"],
    )
    assert rejected["order"]["limitPrice"] == 1000


def test_edit_refusals(send: Send, kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    order_id = send()["order_id"]
    edit(kf_session, kf_contract, "invalidSize", orderId=order_id, size="0.00001")
    edit(kf_session, kf_contract, "invalidPrice", orderId=order_id, limitPrice="1000.5")
    edit(kf_session, kf_contract, "insufficientAvailableFunds", orderId=order_id, size="1000", limitPrice="90000")
    edit(kf_session, kf_contract, "outsidePriceCollar", orderId=order_id, limitPrice="250000")
    edit(kf_session, kf_contract, "orderForEditNotAStop", orderId=order_id, stopPrice="900")
    edit(kf_session, kf_contract, "orderForEditNotFound", orderId="00000000-0000-4000-8000-000000000000")
    edit(
        kf_session,
        kf_contract,
        "wouldProcessAfterSpecifiedTime",
        orderId=order_id,
        processBefore="2020-01-01T00:00:00Z",
    )
    (listed,) = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert (listed["limitPrice"], listed["unfilledSize"]) == (1000, 0.01)


def test_edited_post_only_order_that_would_cross(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    order_id = send(orderType="post")["order_id"]
    price = int(asks(kf_session, kf_contract)[0][0])
    edit(kf_session, kf_contract, "postWouldExecute", orderId=order_id, limitPrice=str(price))


def test_edit_that_would_fill_against_own_order(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    price = int(asks(kf_session, kf_contract)[0][0])
    assert send(side="sell", orderType="post", limitPrice=str(price - 1))["status"] == "placed"
    order_id = send(size="1")["order_id"]
    edit(kf_session, kf_contract, "selfFill", orderId=order_id, limitPrice=str(price))


def test_edit_of_a_reduce_only_order_beyond_the_position(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="0.1", limitPrice="")["status"] == "placed"
    order_id = send(side="sell", size="0.1", limitPrice="150000", reduceOnly="true")["order_id"]
    edit(kf_session, kf_contract, "wouldNotReducePosition", orderId=order_id, size="0.5")


def test_edit_into_too_many_small_orders(
    send: Send, batch: Any, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    small = [
        {"order": "send", "order_tag": str(n), **order_fields(size="0.0001", limitPrice=str(1000 + n))}
        for n in range(10)
    ]
    assert {result["status"] for result in batch(*small)} == {"placed"}
    order_id = send(limitPrice="1100")["order_id"]
    edit(kf_session, kf_contract, "tooManySmallOrders", orderId=order_id, size="0.0001")
