"""Drift between two answers: every kind of difference, graded, and what is not drift."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pytest_krakenfutures import endpoint
from pytest_krakenfutures.drift import Answer, Interaction, compare_answers, compare_recordings

TIME = "2026-01-01T00:00:00.000Z"
V3 = "https://futures.kraken.com/derivatives/api/v3"


def ticker(**changes: Any) -> dict[str, Any]:
    base = {"symbol": "PF_XBTUSD", "tag": "perpetual", "markPrice": 96010.5, "suspended": False, "last": 96000.0}
    base.update(changes)
    return {key: value for key, value in base.items() if value != "-"}


def tickers(*items: dict[str, Any]) -> Answer:
    return Answer(200, "application/json", {"result": "success", "serverTime": TIME, "tickers": list(items)}, True)


def drifts(old: Answer, new: Answer, operation: str = "getTickers") -> list[tuple[str, str, str, Any, Any]]:
    return [(d.path, d.kind, d.severity, d.old, d.new) for d in compare_answers(old, new, endpoint(operation))]


def test_ordinary_values_and_list_lengths_are_not_drift() -> None:
    old = tickers(ticker(), ticker(symbol="PF_ETHUSD", markPrice=3400.0))
    new = tickers(ticker(markPrice=97000.25, last=1.0))
    assert drifts(old, new) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"markPrice": "-"}, ("$.tickers[*].markPrice", "field-removed", "breaking", "number", None)),
        ({"last": "-"}, ("$.tickers[*].last", "field-removed", "warning", "number", None)),
        ({"riskLimit": 5}, ("$.tickers[*].riskLimit", "field-added", "info", None, "number")),
        ({"markPrice": "96010.5"}, ("$.tickers[*].markPrice", "number-as-string", "warning", "number", "string")),
        ({"last": None}, ("$.tickers[*].last", "now-null", "warning", "number", "null")),
        ({"suspended": "no"}, ("$.tickers[*].suspended", "type-changed", "breaking", "boolean", "string")),
        ({"last": {"price": 1}}, ("$.tickers[*].last", "type-changed", "warning", "number", "object")),
        ({"tag": "weekly"}, ("$.tickers[*].tag", "new-value", "warning", ["perpetual"], "weekly")),
        ({"tag": "quarter"}, ("$.tickers[*].tag", "value-not-recorded-before", "info", ["perpetual"], "quarter")),
    ],
)
def test_each_kind_of_change_is_graded(change: dict[str, Any], expected: tuple[Any, ...]) -> None:
    assert drifts(tickers(ticker()), tickers(ticker(**change))) == [expected]


def test_a_null_that_became_a_value_is_information() -> None:
    assert drifts(tickers(ticker(last=None)), tickers(ticker())) == [
        ("$.tickers[*].last", "no-longer-null", "info", "null", "number")
    ]


def test_only_the_outermost_change_is_reported_and_empty_lists_say_nothing() -> None:
    old = tickers(ticker())
    gone = Answer(200, "application/json", {"result": "success", "serverTime": TIME}, True)
    assert drifts(old, gone) == [("$.tickers", "field-removed", "breaking", "array", None)]
    assert drifts(tickers(), tickers(ticker())) == []
    assert drifts(tickers(ticker()), tickers()) == []


def test_outcome_status_and_content_type_changes_are_breaking() -> None:
    placed = {"result": "success", "serverTime": TIME, "sendStatus": {"status": "placed", "order_id": "x"}}
    refused = copy.deepcopy(placed)
    refused["sendStatus"]["status"] = "insufficientAvailableFunds"
    old, new = Answer(200, "application/json", placed, True), Answer(200, "application/json", refused, True)
    assert drifts(old, new, "sendOrder") == [
        ("$", "outcome-changed", "breaking", "success:placed", "success:insufficientAvailableFunds")
    ]
    error = Answer(503, "text/html", "<html>down</html>", False)
    assert [item[1] for item in drifts(tickers(ticker()), error)] == [
        "body-format-changed",
        "content-type-changed",
        "status-changed",
    ]
    assert {item[2] for item in drifts(tickers(ticker()), error)} == {"breaking"}


def test_a_changed_envelope_is_breaking() -> None:
    old = tickers(ticker())
    new = Answer(200, "application/json", {"status": "success", "serverTime": TIME, "tickers": [ticker()]}, True)
    found = drifts(old, new)
    assert ("$.result", "field-removed", "breaking", "string", None) in found
    assert ("$.status", "field-added", "info", None, "string") in found


def interaction(path: str, body: Any, query: str = "", form: str | None = None) -> Interaction:
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": ["application/json"]},
        "body": {"string": json.dumps(body)},
    }
    return Interaction("POST" if form else "GET", f"{V3}/{path}" + (f"?{query}" if query else ""), form, response)


def test_recordings_pair_interactions_by_request_whatever_the_field_order() -> None:
    body = {"result": "success", "serverTime": TIME, "tickers": [ticker()]}
    old = [
        interaction("tickers", body),
        interaction("orderbook", {"result": "success"}, "symbol=PF_XBTUSD"),
        interaction("sendorder", {"result": "success"}, form="a=1&b=2"),
    ]
    new = [
        interaction("sendorder", {"result": "success"}, form="b=2&a=1"),
        interaction("tickers", {**body, "tickers": [ticker(markPrice="1")]}),
        interaction("instruments", {"result": "success", "instruments": []}),
    ]
    found = [(d.endpoint, d.kind, d.severity) for d in compare_recordings(old, new, test="t", cassette="c.yaml")]
    assert found == [
        ("getTickers", "number-as-string", "warning"),
        ("getInstruments", "request-new", "info"),
        ("getOrderbook", "request-gone", "info"),
    ]
