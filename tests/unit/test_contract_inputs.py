"""assert_contract: a strict envelope, edit outcomes as Kraken sends them, and any body a user holds."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import requests

from pytest_krakenfutures import (
    ContractUsageError,
    ContractViolation,
    KrakenFuturesError,
    UnknownEndpoint,
    assert_contract,
)

TIME = "2026-11-02T09:30:01.480Z"
URL = "https://futures.kraken.com/derivatives/api/v3"
ORDER_ID = "5d9c1a7e-43b2-4f0e-9a61-2c7f0b8e3d11"


def order(**changes: Any) -> dict[str, Any]:
    base = {
        "orderId": ORDER_ID,
        "cliOrdId": None,
        "type": "lmt",
        "symbol": "PF_XBTUSD",
        "side": "buy",
        "quantity": 0.1,
        "filled": 0.0,
        "limitPrice": 1000.0,
        "reduceOnly": False,
        "timestamp": TIME,
        "lastUpdateTimestamp": TIME,
    }
    base.update(changes)
    return base


def edit_answer(status: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {
        "result": "success",
        "serverTime": TIME,
        "editStatus": {"status": status, "orderId": ORDER_ID, "receivedTime": TIME, "orderEvents": list(events)},
    }


def execution(amount: float, filled_before: float) -> dict[str, Any]:
    return {
        "type": "EXECUTION",
        "executionId": "0b8e3d11-2c7f-4f0e-9a61-5d9c1a7e43b2",
        "price": 95000.0,
        "amount": amount,
        "orderPriorEdit": order(),
        "orderPriorExecution": order(limitPrice=95000.0, filled=filled_before),
        "takerReducedQuantity": None,
    }


TICKERS = {"result": "success", "serverTime": TIME, "tickers": []}


def test_a_result_that_is_neither_success_nor_error_fails() -> None:
    with pytest.raises(ContractViolation) as failed:
        assert_contract({**TICKERS, "result": "succezz"}, "getTickers")
    assert str(failed.value) == (
        "GET /derivatives/api/v3/tickers (getTickers): the envelope's result is 'succezz': Kraken answers "
        "'success' or 'error'"
    )
    with pytest.raises(ContractViolation, match="the envelope's result is 1, not 'success' or 'error'"):
        assert_contract({**TICKERS, "result": 1}, "getTickers")


@pytest.mark.parametrize("outcome", [None, "error"])
def test_an_error_envelope_that_says_nothing_fails(outcome: str | None) -> None:
    with pytest.raises(ContractViolation, match="an error envelope with neither 'error' nor 'errors'"):
        assert_contract({"result": "error", "serverTime": TIME}, "getTickers", outcome=outcome)


@pytest.mark.parametrize(
    ("status", "events"),
    [("filled", [execution(0.1, 0.0)]), ("partiallyFilled", [execution(0.04, 0.0)])],
)
def test_an_edit_that_traded_was_carried_out(status: str, events: list[dict[str, Any]]) -> None:
    body = edit_answer(status, *events)
    assert assert_contract(body, "editOrderSpring") == body


def test_an_edit_that_changed_nothing_was_not_carried_out_and_says_why() -> None:
    rejected = {"type": "REJECT", "uid": ORDER_ID, "order": order(), "reason": "EDIT_HAS_NO_EFFECT"}
    body = edit_answer("edited", rejected)
    with pytest.raises(ContractViolation) as failed:
        assert_contract(body, "editOrderSpring")
    assert "order not edited: status edited but the order was rejected (REJECT event, reason EDIT_HAS_NO_EFFECT)" in (
        str(failed.value)
    )
    assert assert_contract(body, "editOrderSpring", outcome="edited") == body


def test_json_text_and_bytes_are_bodies() -> None:
    text = json.dumps(TICKERS)
    assert assert_contract(text, "getTickers") == TICKERS
    assert assert_contract(text.encode(), "getTickers") == TICKERS
    assert assert_contract(bytearray(text.encode()), "getTickers") == TICKERS


@pytest.mark.parametrize(
    ("body", "shown"),
    [("<html>502 Bad Gateway</html>", "'<html>502 Bad Gateway</html>'"), (b"\xff\xfe\x00", r"b'\xff\xfe\x00'")],
)
def test_text_that_is_not_json_is_a_violation_showing_its_start(body: Any, shown: str) -> None:
    with pytest.raises(ContractViolation) as failed:
        assert_contract(body, "getTickers")
    assert str(failed.value) == f"GET /derivatives/api/v3/tickers (getTickers): the body is not JSON: {shown}"


@pytest.mark.parametrize(
    ("value", "named"),
    [(None, "NoneType (the call returned nothing?)"), (5, "int"), (object(), "object"), ({1, 2}, "set")],
)
def test_anything_else_is_a_plugin_error_naming_the_type(value: Any, named: str) -> None:
    with pytest.raises(ContractUsageError) as failed:
        assert_contract(value, "getTickers")
    assert str(failed.value).endswith(f"got {named}")
    assert isinstance(failed.value, KrakenFuturesError)


@pytest.mark.parametrize("outcome", [5, "", ["placed"], b"placed"])
def test_an_outcome_must_be_a_string(outcome: Any) -> None:
    with pytest.raises(ContractUsageError, match=f"outcome= must be a string .*, not {type(outcome).__name__}"):
        assert_contract(TICKERS, "getTickers", outcome=outcome)


def test_an_unknown_endpoint_id_names_the_closest() -> None:
    with pytest.raises(UnknownEndpoint) as failed:
        assert_contract(TICKERS, "gettickers")
    assert (
        str(failed.value)
        == "no Kraken Futures endpoint with id 'gettickers'; did you mean getTickers, getTicker, tickTypes?"
    )
    assert isinstance(failed.value, KeyError)
    assert isinstance(failed.value, KrakenFuturesError)
    with pytest.raises(ContractUsageError, match="endpoint= must be an operation id"):
        assert_contract(TICKERS, 7)  # type: ignore[arg-type]


def test_an_unknown_status_is_allowed_but_the_failure_lists_the_known_ones() -> None:
    placed = {"result": "success", "serverTime": TIME, "sendStatus": {"status": "placed", "order_id": ORDER_ID}}
    with pytest.raises(ContractViolation) as failed:
        assert_contract(placed, "sendOrder", outcome="plaecd")
    message = str(failed.value)
    assert "expected outcome 'plaecd', got success:placed; 'plaecd' is not a status sendOrder is known to answer" in (
        message
    )
    assert "(documented or seen in this run: placed, partiallyFilled, filled, cancelled, edited, " in message
    assert "wouldProcessAfterSpecifiedTime" in message
    with pytest.raises(ContractViolation) as documented:
        assert_contract(placed, "sendOrder", outcome="insufficientAvailableFunds")
    assert "known to answer" not in str(documented.value)


def test_responses_of_requests_and_httpx_are_both_understood() -> None:
    content = json.dumps(TICKERS).encode()
    theirs = httpx.Response(200, content=content, request=httpx.Request("GET", f"{URL}/tickers"))
    assert assert_contract(theirs) == TICKERS
    ours = requests.Response()
    ours.status_code, ours._content, ours.url = 200, content, f"{URL}/tickers"
    ours.request = requests.Request("GET", f"{URL}/tickers").prepare()
    assert assert_contract(ours) == TICKERS
