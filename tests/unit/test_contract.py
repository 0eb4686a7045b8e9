"""assert_contract on hand-made bodies and responses: verdicts and the exact shape of failure messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from pytest_krakenfutures import ContractViolation, assert_contract
from pytest_krakenfutures.contract import UnknownEndpoint
from pytest_krakenfutures.outcome import classify

TIME = "2026-01-01T00:00:00.000Z"


def ticker(**changes: Any) -> dict[str, Any]:
    base = {
        "symbol": "PF_XBTUSD",
        "tag": "perpetual",
        "pair": "XBT:USD",
        "markPrice": 91506.6,
        "vol24h": 10.5,
        "volumeQuote": 950000.0,
        "openInterest": 1950.5966,
        "suspended": False,
        "indexPrice": 91500.0,
        "postOnly": False,
        "change24h": 1.57,
        "last": 91415.0,
        "lastTime": "2025-11-17T00:31:01.835715Z",
    }
    base.update(changes)
    return base


def tickers_body(*items: dict[str, Any]) -> dict[str, Any]:
    return {"result": "success", "serverTime": TIME, "tickers": list(items)}


def response(method: str, url: str, body: Any, status: int = 200, content_type: str = "application/json") -> Any:
    result = requests.Response()
    result.status_code = status
    result._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    result.headers["Content-Type"] = content_type
    result.request = requests.Request(method, url).prepare()
    result.url = url
    return result


URL = "https://futures.kraken.com/derivatives/api/v3"


def test_a_valid_body_is_returned() -> None:
    body = tickers_body(ticker())
    assert assert_contract(body, "getTickers") == body


def test_endpoint_is_resolved_from_the_response() -> None:
    body = tickers_body(ticker())
    assert assert_contract(response("GET", f"{URL}/tickers", body)) == body


def test_message_leads_with_endpoint_then_lists_paths_and_values() -> None:
    body = tickers_body(ticker(suspended="no"), ticker(markPrice="abc"))
    with pytest.raises(ContractViolation) as info:
        assert_contract(response("GET", f"{URL}/tickers", body))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("GET /derivatives/api/v3/tickers (getTickers): 2 schema violations (schema getTickers)")
    assert "likeliest cause: $.tickers[" in lines[0]
    assert "  $.tickers[0].suspended: 'no' is not of type boolean" in lines
    assert any(line.startswith("  $.tickers[1].markPrice: 'abc' is not ") for line in lines)
    assert info.value.endpoint == "GET /derivatives/api/v3/tickers (getTickers)"
    assert info.value.schema_name == "getTickers"
    assert len(info.value.errors) == 2


def test_long_values_are_shortened_and_long_lists_capped() -> None:
    items = [ticker(symbol=None, suspended="x" * 500) for _ in range(12)]
    with pytest.raises(ContractViolation) as info:
        assert_contract(tickers_body(*items), "getTickers")
    text = str(info.value)
    assert "x" * 100 not in text
    assert "more" in text.splitlines()[-1]
    assert len(text.splitlines()) <= 12


def test_error_envelope_where_success_was_expected() -> None:
    body = {"result": "error", "serverTime": TIME, "error": "authenticationError"}
    with pytest.raises(ContractViolation) as info:
        assert_contract(response("GET", f"{URL}/accounts", body))
    message = str(info.value)
    assert message.startswith(
        "GET /derivatives/api/v3/accounts (getAccounts): expected success, got error:authenticationError"
    )
    assert "KRAKEN_FUTURES_API_KEY" in message


def test_order_not_placed_is_a_violation_that_says_what_happened() -> None:
    body = {
        "result": "success",
        "serverTime": TIME,
        "sendStatus": {"status": "insufficientAvailableFunds", "receivedTime": TIME, "orderEvents": []},
    }
    with pytest.raises(ContractViolation) as info:
        assert_contract(response("POST", f"{URL}/sendorder", body))
    assert str(info.value) == (
        "POST /derivatives/api/v3/sendorder (sendOrder): order not placed: insufficientAvailableFunds; "
        'pass outcome="insufficientAvailableFunds" if the test expects this'
    )
    assert assert_contract(response("POST", f"{URL}/sendorder", body), outcome="insufficientAvailableFunds") == body


def test_expected_error_passes_and_is_validated_against_the_error_envelope() -> None:
    body = {"result": "error", "serverTime": TIME, "error": "nonceBelowThreshold"}
    assert assert_contract(body, "getAccounts", outcome="error:nonceBelowThreshold") == body
    with pytest.raises(
        ContractViolation, match=r"expected outcome 'error:apiLimitExceeded', got error:nonceBelowThreshold"
    ):
        assert_contract(body, "getAccounts", outcome="error:apiLimitExceeded")
    broken = {"result": "error", "serverTime": "yesterday", "error": "nonceBelowThreshold"}
    with pytest.raises(ContractViolation, match=r"\$\.serverTime"):
        assert_contract(broken, "getAccounts", outcome="error")


def test_non_json_body_shows_status_and_text() -> None:
    page = b"<html><body>Bad gateway</body></html>"
    with pytest.raises(ContractViolation) as info:
        assert_contract(response("GET", f"{URL}/tickers", page, status=502, content_type="text/html"))
    assert str(info.value) == (
        "GET /derivatives/api/v3/tickers (getTickers): the body is not JSON (HTTP 502, text/html): "
        "'<html><body>Bad gateway</body></html>'"
    )


def test_unknown_url_is_named() -> None:
    with pytest.raises(UnknownEndpoint, match=r"GET /derivatives/api/v3/nothing-here is not a Kraken Futures endpoint"):
        assert_contract(response("GET", f"{URL}/nothing-here", {}))


def test_a_body_needs_an_endpoint() -> None:
    with pytest.raises(UnknownEndpoint, match="needs endpoint="):
        assert_contract({"result": "success"})


def test_contract_violation_is_an_assertion_error() -> None:
    assert issubclass(ContractViolation, AssertionError)


def test_no_content_is_success_with_nothing_to_check() -> None:
    url = "https://futures.kraken.com/api/stats/v1/rebates/self-market-share"
    assert assert_contract(response("GET", url, b"", status=204, content_type="text/plain")) is None
    with pytest.raises(ContractViolation, match="expected outcome 'error'"):
        assert_contract(response("GET", url, b"", status=204, content_type="text/plain"), outcome="error")


def test_a_result_object_is_not_an_envelope() -> None:
    body = {"result": {"timestamp": [1790000000], "data": {"longs": [1.0]}, "more": False}, "errors": []}
    url = "https://futures.kraken.com/api/charts/v1/analytics/PF_XBTUSD/long-short-ratio"
    assert classify(body).result == "success"
    with pytest.raises(ContractViolation, match=r"marketAnalytics"):
        assert_contract(response("GET", url, {"result": {"timestamp": "x"}, "errors": []}))
