"""The Authent signature and the signed parts of prepared requests."""

from __future__ import annotations

import base64
import copy
import json
import pickle

import pytest
import requests

from pytest_krakenfutures import KrakenFuturesAuth, SigningError, compute_authent
from pytest_krakenfutures.signing import Signer, signing_input

# A synthetic secret: base64 of a fixed ASCII phrase (the same one python-kraken-sdk's golden test uses).
SECRET = base64.b64encode(b"python-kraken-sdk unit-test secret value").decode()
GOLDEN = "Txi+gJVXe3EN1brXYQ46FuV6UVtEVSKhc6dYMhPb7a/HXZLGvO6m9UUg+KVKqhLxrbllOPI7qRkHYmPfJZZSGA=="
BASE = "https://futures.kraken.com/derivatives/api/v3"


def test_golden_value() -> None:
    signature = compute_authent(
        SECRET, "/derivatives/api/v3/sendorder", "orderType=lmt&symbol=PI_XBTUSD", "1616492376594"
    )
    assert signature == GOLDEN


def test_a_signer_signs_as_compute_authent_every_time() -> None:
    signer = Signer(SECRET)
    assert signer.authent("/derivatives/api/v3/sendorder", "orderType=lmt&symbol=PI_XBTUSD", "1616492376594") == GOLDEN
    for path, post_data, nonce in [("/api/history/v3/orders", "", ""), ("/derivatives/api/v3/x", "b=\u00e9", "7")]:
        assert signer.authent(path, post_data, nonce) == compute_authent(SECRET, path, post_data, nonce)


def test_derivatives_prefix_is_stripped() -> None:
    with_prefix = compute_authent(SECRET, "/derivatives/api/v3/sendorder", "a=1", "5")
    without = compute_authent(SECRET, "/api/v3/sendorder", "a=1", "5")
    assert with_prefix == without


def test_other_bases_are_signed_with_their_full_path() -> None:
    history = compute_authent(SECRET, "/api/history/v2/orders", "", "")
    assert history != compute_authent(SECRET, "/v2/orders", "", "")
    assert history != compute_authent(SECRET, "/history/v2/orders", "", "")


def test_nonce_and_data_change_the_signature() -> None:
    reference = compute_authent(SECRET, "/api/v3/openorders", "", "1")
    assert compute_authent(SECRET, "/api/v3/openorders", "", "2") != reference
    assert compute_authent(SECRET, "/api/v3/openorders", "x=1", "1") != reference


def test_secret_without_padding_is_accepted() -> None:
    assert compute_authent(SECRET.rstrip("="), "/api/v3/x", "", "") == compute_authent(SECRET, "/api/v3/x", "", "")


def test_bad_secret_message_does_not_show_it() -> None:
    secret = "not base64 !!! hunter2"
    with pytest.raises(SigningError) as info:
        compute_authent(secret, "/api/v3/x", "", "")
    assert "hunter2" not in str(info.value)
    assert "KRAKEN_FUTURES_API_SECRET" in str(info.value)


def _signed(request: requests.Request, nonce: str | None = "42") -> requests.PreparedRequest:
    auth = KrakenFuturesAuth("key", SECRET, nonce=(lambda: nonce) if nonce is not None else None)  # type: ignore[return-value]
    return auth(request.prepare())


def _expected(prepared: requests.PreparedRequest, post_data: str, nonce: str = "42") -> str:
    path = prepared.path_url.split("?")[0]
    return compute_authent(SECRET, path, post_data, nonce)


def test_get_with_query_signs_the_query() -> None:
    prepared = _signed(requests.Request("GET", f"{BASE}/orderbook", params={"symbol": "PF_XBTUSD"}))
    assert prepared.headers["Authent"] == _expected(prepared, "symbol=PF_XBTUSD")
    assert prepared.headers["APIKey"] == "key"
    assert prepared.headers["Nonce"] == "42"


def test_post_with_form_body_signs_the_body() -> None:
    data = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "1", "limitPrice": "1000"}
    prepared = _signed(requests.Request("POST", f"{BASE}/sendorder", data=data))
    assert prepared.body == "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=1000"
    assert prepared.headers["Authent"] == _expected(prepared, prepared.body)


def test_post_with_parameters_in_query_and_empty_body() -> None:
    prepared = _signed(requests.Request("POST", f"{BASE}/cancelorder", params={"order_id": "abc-1"}))
    assert not prepared.body
    assert prepared.headers["Authent"] == _expected(prepared, "order_id=abc-1")


def test_query_and_body_are_signed_in_that_order() -> None:
    prepared = _signed(requests.Request("POST", f"{BASE}/sendorder", params={"a": "1"}, data={"b": "2"}))
    assert prepared.headers["Authent"] == _expected(prepared, "a=1b=2")


def test_batchorder_raw_json_body_is_signed_as_sent() -> None:
    payload = json.dumps({"batchOrder": [{"order": "send", "order_tag": "1", "symbol": "PF_XBTUSD"}]})
    prepared = _signed(requests.Request("POST", f"{BASE}/batchorder", data=f"json={payload}"))
    assert prepared.body == f"json={payload}"
    assert prepared.headers["Authent"] == _expected(prepared, f"json={payload}")


@pytest.mark.parametrize(
    ("params", "wire"),
    [
        ({"note": "hello world"}, "note=hello+world"),
        ({"processBefore": "2026-01-01T00:00:00Z"}, "processBefore=2026-01-01T00%3A00%3A00Z"),
        ({"cliOrdId": "a/b&c=d"}, "cliOrdId=a%2Fb%26c%3Dd"),
    ],
)
def test_values_that_need_encoding_are_signed_encoded(params: dict[str, str], wire: str) -> None:
    prepared = _signed(requests.Request("POST", f"{BASE}/sendorder", data=params))
    assert prepared.body == wire
    assert prepared.headers["Authent"] == _expected(prepared, wire)


def test_percent_twenty_in_a_hand_built_query_is_signed_verbatim() -> None:
    prepared = _signed(requests.Request("GET", f"{BASE}/history?greeting=hello%20world"))
    path, post_data = signing_input(prepared.url or "", prepared.body)
    assert post_data == "greeting=hello%20world"
    assert prepared.headers["Authent"] == compute_authent(SECRET, path, post_data, "42")


def test_no_nonce_header_signs_the_empty_string() -> None:
    prepared = _signed(requests.Request("GET", f"{BASE}/openorders"), nonce=None)
    assert "Nonce" not in prepared.headers
    assert prepared.headers["Authent"] == _expected(prepared, "", nonce="")


def test_repr_shows_no_credentials() -> None:
    auth = KrakenFuturesAuth("public-key-123", SECRET)
    text = repr(auth)
    assert "public-key-123" not in text
    assert SECRET not in text
    assert "redacted" in text


def test_streamed_body_is_refused() -> None:
    with pytest.raises(SigningError, match="streamed"):
        signing_input("https://x/api/v3/y", iter([b"a"]))  # type: ignore[arg-type]


def test_a_copied_or_pickled_auth_signs_as_the_original() -> None:
    original = KrakenFuturesAuth("key", SECRET, nonce=None)
    for clone in (copy.deepcopy(original), pickle.loads(pickle.dumps(original))):
        assert clone == original
        request = requests.Request("GET", f"{BASE}/openorders").prepare()
        assert clone(request.copy()).headers["Authent"] == original(request.copy()).headers["Authent"]
