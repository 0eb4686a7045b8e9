"""The recording guard's rules: path normalisation, and what each switch lets out."""

from __future__ import annotations

import pytest

from pytest_krakenfutures.errors import RequestRefused
from pytest_krakenfutures.guard import RequestGuard, normalised_path, origin

LIVE = "https://futures.kraken.com"
V3 = "/derivatives/api/v3"


@pytest.mark.parametrize(
    "raw",
    [
        f"{V3}/sendorder",
        f"/{V3}/sendorder",
        f"{V3}//sendorder",
        f"{V3}/SendOrder",
        f"{V3}/SENDORDER/",
        f"{V3}/sendorder;x=1",
        f"{V3}/./sendorder",
        f"{V3}/tickers/../sendorder",
        f"{V3}/tickers/..%2Fsendorder",
        f"{V3}/%73endorder",
        f"{V3}/%2573endorder",
        f"{V3}\\sendorder",
        "%2Fderivatives%2Fapi%2Fv3%2Fsendorder",
        f"{V3}/sendorder%3Bfoo",
    ],
)
def test_every_spelling_of_a_path_normalises_to_it(raw: str) -> None:
    assert normalised_path(raw) == f"{V3}/sendorder"


@pytest.mark.parametrize("raw", [f"{V3}/send%00order", f"{V3}/%2525252573endorder", f"{V3}/send\norder"])
def test_a_path_that_does_not_decode_to_a_plain_one_is_unreadable(raw: str) -> None:
    assert normalised_path(raw) is None


def test_dot_segments_never_climb_above_the_root() -> None:
    assert normalised_path("/../../derivatives/api/v3/tickers") == f"{V3}/tickers"


def test_origin_makes_the_default_port_explicit() -> None:
    assert origin("https://Futures.Kraken.com/x") == origin("https://futures.kraken.com:443/y")
    assert origin("http://127.0.0.1:8080") != origin("http://127.0.0.1:8081")


def live(**switches: bool) -> RequestGuard:
    return RequestGuard(env="live", env_url=LIVE, **switches)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{V3}/tickers"),
        ("GET", f"{V3}/tickers/PF_XBTUSD"),
        ("get", f"{V3}/accounts"),
        ("GET", f"{V3}/openpositions/"),
        ("POST", f"{V3}/orders/status"),
        ("GET", "/api/history/v2/orders"),
        ("GET", "/api/charts/v1/trade/PF_XBTUSD/1h"),
        ("GET", "/api/auth/v1/api-keys/v3/check"),
    ],
)
def test_read_only_endpoints_go_out(method: str, path: str) -> None:
    live().check(method, LIVE + path + "?symbol=PF_XBTUSD")


@pytest.mark.parametrize(
    ("method", "path", "says"),
    [
        ("POST", f"{V3}/sendorder", "(sendOrder) changes state on live"),
        ("POST", f"//{V3}/SendOrder;x=1", "(sendOrder) changes state on live"),
        ("GET", f"{V3}/sendorder", "asks a path served for POST (sendOrder), which changes state, with GET"),
        ("PUT", f"{V3}/leveragepreferences", "(setLeverageSetting) changes state"),
        ("DELETE", f"{V3}/rfqs/abc/cancel-offer", "(cancelRfqOffer) changes state"),
        ("POST", f"{V3}/tickers", "asks a path served for GET (getTickers), which reads, with POST"),
        ("GET", f"{V3}/unknown", "is not an endpoint known to be read-only (/derivatives/api/v3/unknown)"),
        ("POST", "/simulator/v1/clock", "is not an endpoint known to be read-only"),
        ("HEAD", f"{V3}/tickers", "with HEAD on live"),
    ],
)
def test_everything_else_needs_the_trading_switch(method: str, path: str, says: str) -> None:
    with pytest.raises(RequestRefused) as refused:
        live().check(method, LIVE + path)
    message = str(refused.value)
    assert message.startswith(f"refused before sending: {method} ")
    assert says in message
    assert message.endswith("recording it needs --kf-allow-trading (or record from --kf-env=sim)")
    live(allow_trading=True).check(method, LIVE + path)


@pytest.mark.parametrize(
    "path", [f"{V3}/withdrawal", f"{V3}/transfer", f"{V3}/Transfer/SubAccount/", f"{V3}/withdrawal-v2"]
)
def test_moving_funds_needs_both_switches(path: str) -> None:
    for switches in ({}, {"allow_trading": True}):
        with pytest.raises(RequestRefused) as refused:
            live(**switches).check("POST", LIVE + path)
        needed = "--kf-allow-transfers" if switches else "--kf-allow-trading and --kf-allow-transfers"
        assert f"recording it needs {needed} (or record from --kf-env=sim)" in str(refused.value)
    live(allow_trading=True, allow_transfers=True).check("POST", LIVE + path)


def test_a_withdrawal_asked_with_get_still_counts_as_moving_funds() -> None:
    with pytest.raises(RequestRefused, match="needs --kf-allow-transfers"):
        live(allow_trading=True).check("GET", LIVE + f"{V3}/withdrawal")


def test_private_endpoints_need_credentials_and_name_both_variables() -> None:
    guard = live(has_credentials=False)
    guard.check("GET", LIVE + f"{V3}/tickers")
    with pytest.raises(RequestRefused) as refused:
        guard.check("GET", LIVE + f"{V3}/accounts")
    assert str(refused.value) == (
        "refused before sending: GET /derivatives/api/v3/accounts (getAccounts) is private and no credentials are "
        "set; recording it from live needs KRAKEN_FUTURES_API_KEY and KRAKEN_FUTURES_API_SECRET in the environment"
    )


def test_a_signed_request_goes_only_to_the_environment() -> None:
    with pytest.raises(
        RequestRefused, match=r"is signed .* addressed to example\.com:443, not to the environment live"
    ):
        live().check("GET", "https://example.com" + f"{V3}/accounts", {"APIKey": "k", "Authent": "a"})
    live().check("GET", "https://example.com" + f"{V3}/tickers", {"Accept": "application/json"})


def test_the_simulator_is_never_refused_but_its_neighbours_are() -> None:
    simulator = "http://127.0.0.1:8080"
    guard = RequestGuard(env="sim", env_url=simulator, simulator_url=simulator)
    guard.check("POST", simulator + f"{V3}/withdrawal")
    guard.check("POST", simulator + "/simulator/v1/clock")
    with pytest.raises(RequestRefused, match=r"changes state on 127\.0\.0\.1:8081 \(not the bundled simulator\)"):
        guard.check("POST", "http://127.0.0.1:8081" + f"{V3}/sendorder")


def test_an_explicit_url_on_loopback_is_not_the_simulator() -> None:
    guard = RequestGuard(env="http://127.0.0.1:9", env_url="http://127.0.0.1:9")
    with pytest.raises(RequestRefused, match=r"changes state on http://127\.0\.0\.1:9;"):
        guard.check("POST", f"http://127.0.0.1:9{V3}/sendorder")
