"""Kraken's rules in the simulator: nonce tolerance, key permissions and the rate-limit budgets."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.http.authentication import READ_ONLY_ACCESS, ApiKey, nonce_tolerance

from .conftest import CLOCK, SEED, Client

READ_ONLY_KEY = "read-only-key"
READ_ONLY_SECRET = base64.b64encode(b"the read-only secret of the simulator").decode()


def result(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return str(body.get("error") or body["result"])


def with_nonce(nonce: str, key: str = DUMMY_API_KEY, secret: str = DUMMY_API_SECRET) -> KrakenFuturesAuth:
    return KrakenFuturesAuth(key, secret, nonce=lambda: nonce)


@pytest.mark.parametrize(
    ("highest", "tolerance"),
    [(10, 0), (1_700_000_000, 0), (1_700_000_000_123, 1_000), (1_700_000_000_123_456, 1_000_000)],
)
def test_tolerance_is_one_second_in_the_unit_of_the_nonces(highest: int, tolerance: int) -> None:
    assert nonce_tolerance(highest) == tolerance


def test_millisecond_nonces_may_arrive_out_of_order_briefly(client: Client) -> None:
    url = client.url("accounts")
    assert result(client.http.get(url, auth=with_nonce("1790000000500"), timeout=10)) == "success"
    assert result(client.http.get(url, auth=with_nonce("1790000000100"), timeout=10)) == "success"
    assert result(client.http.get(url, auth=with_nonce("1790000000100"), timeout=10)) == "nonceDuplicate"
    assert result(client.http.get(url, auth=with_nonce("1789999999000"), timeout=10)) == "nonceBelowThreshold"


@pytest.fixture
def two_keys() -> Iterator[Simulator]:
    extra = [ApiKey(READ_ONLY_KEY, READ_ONLY_SECRET, access=READ_ONLY_ACCESS, withdrawal=False)]
    with Simulator(seed=SEED, clock=CLOCK, extra_keys=extra) as running:
        yield running


def test_a_read_only_key_reads_but_may_not_trade(two_keys: Simulator) -> None:
    client = Client(two_keys.base_url, READ_ONLY_KEY, READ_ONLY_SECRET)
    assert client.private("accounts")["result"] == "success"
    order = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}
    assert result(client.post("sendorder", order)) == "authenticationError"
    full = Client(two_keys.base_url)
    assert full.send(**order)["sendStatus"]["status"] == "placed"


def test_the_derivatives_budget_runs_out_and_refills(client: Client, simulator: Simulator) -> None:
    order = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.001", "limitPrice": "1000"}
    answers = [result(client.post("sendorder", order)) for _ in range(51)]
    assert answers[:50] == ["success"] * 50
    assert answers[50] == "apiLimitExceeded"
    assert client.public("tickers")["result"] == "success"
    simulator.reset(seed=SEED, clock="2026-03-02T11:00:00Z")
    assert result(client.post("sendorder", order)) == "success"


def test_an_unserved_path_is_a_404_envelope(client: Client) -> None:
    response = client.http.get(client.url("no-such-endpoint"), timeout=10)
    assert response.status_code == 404
    assert response.json()["errors"] == [{"code": 0, "message": "404 NOT_FOUND"}]


def test_the_history_budget_is_separate_and_answers_429_with_a_reset(client: Client) -> None:
    url = client.base_url + "/api/history/v3/account-log"
    answers = [client.http.get(url, auth=client.auth, timeout=10) for _ in range(51)]
    assert [a.status_code for a in answers[:50]] == [200] * 50
    refused = answers[50]
    assert refused.status_code == 429
    assert refused.headers["Content-Type"].startswith("text/plain")
    assert int(refused.headers["rate-limit-reset"]) >= 1
    assert client.private("accounts")["result"] == "success"


@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/history/v3/orders", "reason"), ("/api/auth/v1/api-keys/v3/check", "message")],
)
def test_a_bad_key_off_the_derivatives_bases_is_a_401(client: Client, path: str, field: str) -> None:
    wrong = KrakenFuturesAuth("not-a-key", DUMMY_API_SECRET)
    response = client.http.get(client.base_url + path, auth=wrong, timeout=10)
    assert response.status_code == 401
    assert field in response.json()
