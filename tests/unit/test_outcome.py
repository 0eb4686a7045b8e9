"""The outcome model: classification of envelopes and order statuses, and what a test may expect."""

from __future__ import annotations

import pytest

from pytest_krakenfutures import endpoint
from pytest_krakenfutures.outcome import Outcome, classify, describe_not_performed, performed

SEND = endpoint("sendOrder")
CANCEL = endpoint("cancelOrder")
TICKERS = endpoint("getTickers")
TIME = "2026-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"result": "success", "serverTime": TIME, "tickers": []}, 200, "success"),
        ({"result": "error", "serverTime": TIME, "error": "apiLimitExceeded"}, 200, "error:apiLimitExceeded"),
        (
            {"status": "BAD_REQUEST", "result": "error", "errors": [{"code": 11, "message": "Argument invalid"}]},
            400,
            "error:Argument invalid",
        ),
        ({"candles": [], "more_candles": False}, 200, "success"),
        ("Invalid resolution", 400, "error:HTTP 400"),
    ],
)
def test_classify_envelopes(body: object, status: int, expected: str) -> None:
    assert str(classify(body, TICKERS, status)) == expected


def test_errors_list_exposes_every_code() -> None:
    body = {"status": "NOT_FOUND", "result": "error", "errors": [{"code": 0, "message": "404 NOT_FOUND"}]}
    found = classify(body, TICKERS)
    assert found.codes == ("404 NOT_FOUND", "0", "NOT_FOUND")
    assert found.matches("error:NOT_FOUND")
    assert found.matches("error:0")
    assert not found.matches("error:BAD_REQUEST")


def test_order_status_is_read_from_the_operation_key() -> None:
    body = {"result": "success", "serverTime": TIME, "sendStatus": {"status": "insufficientAvailableFunds"}}
    found = classify(body, SEND)
    assert found == Outcome("success", status="insufficientAvailableFunds", statuses=("insufficientAvailableFunds",))
    assert str(found) == "success:insufficientAvailableFunds"
    assert not performed(found, SEND)
    assert found.matches("insufficientAvailableFunds")
    assert found.matches("success")
    assert not found.matches("placed")
    assert not found.matches("error")


@pytest.mark.parametrize(
    ("operation", "status", "done"),
    [
        (SEND, "placed", True),
        (SEND, "postWouldExecute", False),
        (CANCEL, "cancelled", True),
        (CANCEL, "notFound", False),
    ],
)
def test_performed(operation: object, status: str, done: bool) -> None:
    key = "sendStatus" if operation is SEND else "cancelStatus"
    found = classify({"result": "success", key: {"status": status}}, operation)  # type: ignore[arg-type]
    assert performed(found, operation) is done  # type: ignore[arg-type]


def test_a_bare_code_matches_an_error_too() -> None:
    found = classify({"result": "error", "error": "authenticationError"}, SEND)
    assert found.matches("authenticationError")
    assert found.matches("error:authenticationError")
    assert not found.matches("success")


BATCH = endpoint("sendBatchOrder")


def batch(*statuses: str) -> dict[str, object]:
    items = [{"status": status, "order_tag": str(number), "orderEvents": []} for number, status in enumerate(statuses)]
    return {"result": "success", "serverTime": TIME, "batchStatus": items}


def test_a_batch_has_one_status_per_instruction() -> None:
    found = classify(batch("placed", "cancelled"), BATCH)
    assert found.statuses == ("placed", "cancelled")
    assert found.status is None
    assert str(found) == "success:placed,cancelled"
    assert performed(found, BATCH)
    assert found.matches("placed,cancelled")
    assert not found.matches("cancelled,placed")
    assert not found.matches("placed")


def test_a_batch_with_one_refused_instruction_is_not_performed() -> None:
    body = batch("placed", "insufficientAvailableFunds", "placed")
    found = classify(body, BATCH)
    assert not performed(found, BATCH)
    assert describe_not_performed(found, BATCH, body) == (
        "batch not fully performed: instruction 2 (order_tag '1'): insufficientAvailableFunds"
    )
    assert classify(batch("placed", "placed"), BATCH).matches("placed")


def test_a_reject_event_under_a_fine_status_is_not_performed() -> None:
    body = {
        "result": "success",
        "serverTime": TIME,
        "sendStatus": {
            "status": "placed",
            "orderEvents": [{"type": "REJECT", "uid": "u", "reason": "POST_WOULD_EXECUTE"}],
        },
    }
    found = classify(body, SEND)
    assert found.events == ("REJECT",)
    assert found.reasons == ("POST_WOULD_EXECUTE",)
    assert not performed(found, SEND)
    assert describe_not_performed(found, SEND) == (
        "order not placed: status placed but the order was rejected (REJECT event, reason POST_WOULD_EXECUTE)"
    )


def test_cancel_all_statuses() -> None:
    cancel_all = endpoint("cancelAllOrders")
    for status, done in (("cancelled", True), ("noOrdersToCancel", True), ("notFound", False)):
        body = {"result": "success", "serverTime": TIME, "cancelStatus": {"status": status, "cancelledOrders": []}}
        assert performed(classify(body, cancel_all), cancel_all) is done
