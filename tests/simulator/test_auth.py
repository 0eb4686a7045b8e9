"""Authentication of private calls: key, Authent signature (raw and legacy decoded), nonce rules."""

from __future__ import annotations

import base64
from urllib.parse import unquote_plus

import pytest
import requests

from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.signing import compute_authent
from pytest_krakenfutures.simulator import Simulator

from .conftest import V3, Client

OTHER_SECRET = base64.b64encode(b"a different secret of the same kind").decode()
FORM = "application/x-www-form-urlencoded"


def hand_signed_post(
    client: Client,
    endpoint: str,
    query: str,
    body: str,
    *,
    nonce: str | None = "1",
    signed_data: str | None = None,
) -> requests.Response:
    """POST exactly these query and body bytes, signing ``signed_data`` (default: query + body)."""
    path = f"{V3}/{endpoint}"
    url = client.base_url + path + (f"?{query}" if query else "")
    post_data = query + body if signed_data is None else signed_data
    headers = {
        "APIKey": DUMMY_API_KEY,
        "Authent": compute_authent(DUMMY_API_SECRET, path, post_data, nonce or ""),
        "Content-Type": FORM,
    }
    if nonce is not None:
        headers["Nonce"] = nonce
    prepared = requests.Request("POST", url, data=body.encode("utf-8"), headers=headers).prepare()
    assert prepared.url == url, "the test must send the URL exactly as signed"
    return client.http.send(prepared, timeout=10)


def result(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    outcome: str = body["error"] if body["result"] == "error" else "success"
    return outcome


def test_private_call_without_credentials_is_an_authentication_error(client: Client) -> None:
    response = client.get("accounts")
    assert response.status_code == 200
    body = response.json()
    assert body == {"result": "error", "serverTime": body["serverTime"], "error": "authenticationError"}


def test_wrong_api_key_is_refused(client: Client) -> None:
    response = client.http.get(client.url("accounts"), auth=KrakenFuturesAuth("not-the-key", DUMMY_API_SECRET))
    assert result(response) == "authenticationError"


def test_wrong_secret_is_refused(client: Client) -> None:
    response = client.http.get(client.url("openorders"), auth=KrakenFuturesAuth(DUMMY_API_KEY, OTHER_SECRET))
    assert result(response) == "authenticationError"


def test_tampered_body_is_refused_and_not_executed(client: Client) -> None:
    prepared = requests.Request(
        "POST",
        client.url("sendorder"),
        data={"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1", "limitPrice": "95000"},
        auth=KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "1"),
    ).prepare()
    assert isinstance(prepared.body, str)
    prepared.body = prepared.body.replace("size=0.1", "size=0.2")
    prepared.headers["Content-Length"] = str(len(prepared.body))
    assert result(client.http.send(prepared, timeout=10)) == "authenticationError"
    assert client.private("openorders")["openOrders"] == []


def test_missing_authent_is_refused(client: Client) -> None:
    response = client.http.get(client.url("accounts"), headers={"APIKey": DUMMY_API_KEY}, timeout=10)
    assert result(response) == "authenticationError"


def test_nonce_that_is_not_a_decimal_integer_is_refused(client: Client) -> None:
    response = hand_signed_post(client, "cancelorder", "", "order_id=abc", nonce="12a")
    assert result(response) == "authenticationError"


def test_changing_the_nonce_after_signing_is_refused(client: Client) -> None:
    prepared = requests.Request(
        "GET", client.url("accounts"), auth=KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "41")
    ).prepare()
    prepared.headers["Nonce"] = "42"
    assert result(client.http.send(prepared, timeout=10)) == "authenticationError"


def test_reused_nonce_is_a_duplicate(client: Client) -> None:
    auth = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "5")
    assert result(client.http.get(client.url("accounts"), auth=auth, timeout=10)) == "success"
    assert result(client.http.get(client.url("openorders"), auth=auth, timeout=10)) == "nonceDuplicate"


def test_lower_nonce_is_below_the_threshold(client: Client) -> None:
    high = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "10")
    low = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "9")
    assert result(client.http.get(client.url("accounts"), auth=high, timeout=10)) == "success"
    assert result(client.http.get(client.url("accounts"), auth=low, timeout=10)) == "nonceBelowThreshold"


def test_a_refused_signature_does_not_use_up_its_nonce(client: Client) -> None:
    bad = KrakenFuturesAuth(DUMMY_API_KEY, OTHER_SECRET, nonce=lambda: "50")
    good = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "50")
    assert result(client.http.get(client.url("accounts"), auth=bad, timeout=10)) == "authenticationError"
    assert result(client.http.get(client.url("accounts"), auth=good, timeout=10)) == "success"


def test_nonces_seen_survive_a_reset(simulator: Simulator, client: Client) -> None:
    auth = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=lambda: "77")
    assert result(client.http.get(client.url("accounts"), auth=auth, timeout=10)) == "success"
    simulator.reset()
    assert result(client.http.get(client.url("accounts"), auth=auth, timeout=10)) == "nonceDuplicate"


def test_signing_without_a_nonce_header_is_accepted_every_time(client: Client) -> None:
    auth = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=None)
    for _ in range(3):
        response = client.http.get(client.url("accounts"), auth=auth, timeout=10)
        assert "Nonce" not in response.request.headers
        assert result(response) == "success"


def test_private_get_with_a_query_string_is_accepted(client: Client) -> None:
    response = client.get("openorders", {"symbol": "PF_XBTUSD", "note": "a b"}, signed=True)
    assert "?" in (response.request.url or "")
    assert result(response) == "success"


def test_post_with_parameters_in_the_query_and_an_empty_body_is_accepted(client: Client) -> None:
    params = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1", "limitPrice": "95000"}
    response = client.http.post(client.url("sendorder"), params=params, auth=client.auth, timeout=10)
    assert not response.request.body
    assert result(response) == "success"
    assert response.json()["sendStatus"]["status"] == "placed"


def test_raw_json_body_is_signed_as_sent(client: Client) -> None:
    body = 'json={"batchOrder":[{"order":"cancel","order_id":"x"}]}'
    response = hand_signed_post(client, "cancelorder", "order_id=unknown-id", body)
    assert result(response) == "success"
    assert response.json()["cancelStatus"]["status"] == "notFound"


@pytest.mark.parametrize("encoded", ["my+order", "my%20order"])
def test_spaces_encoded_either_way_are_accepted(client: Client, encoded: str) -> None:
    body = f"orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.1&limitPrice=95000&cliOrdId={encoded}"
    response = hand_signed_post(client, "sendorder", "", body)
    assert result(response) == "success"
    assert response.json()["sendStatus"]["cliOrdId"] == "my order"


def test_legacy_decoded_signing_is_accepted(client: Client) -> None:
    body = "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.1&limitPrice=95000&cliOrdId=a%20b%3Ac+d"
    response = hand_signed_post(client, "sendorder", "", body, signed_data=unquote_plus(body))
    assert result(response) == "success"
    assert response.json()["sendStatus"]["cliOrdId"] == "a b:c d"


def test_legacy_decoded_signing_of_a_query_is_accepted(client: Client) -> None:
    query = "cliOrdId=x%3Ay%20z"
    response = hand_signed_post(client, "cancelorder", query, "", signed_data=unquote_plus(query))
    assert result(response) == "success"


def test_signature_over_something_else_is_refused(client: Client) -> None:
    body = "order_id=abc"
    response = hand_signed_post(client, "cancelorder", "", body, signed_data="order_id=abd")
    assert result(response) == "authenticationError"


def test_auth_is_checked_before_arguments(client: Client) -> None:
    response = client.http.post(client.url("sendorder"), data={}, timeout=10)
    assert result(response) == "authenticationError"
