"""Balances set through the control API, and API keys added at run time."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pytest_krakenfutures import KrakenFuturesSession
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.http.authentication import READ_ONLY_ACCESS, ApiKey

CONTROL = "/simulator/v1"
DEFAULTS = {
    "flex": {"USD": "10000"},
    "cash": {"XBT": "0", "ETH": "0", "USD": "0"},
    "fi_xbtusd": {"XBT": "0.1"},
}
NEW_KEY = "a-key-added-at-run-time"
NEW_SECRET = base64.b64encode(b"the secret of the key added at run time").decode()
OTHER_SECRET = base64.b64encode(b"a different secret of the same kind").decode()
#: 20 PF_XBTUSD at 50000 need 20,000 USD of initial margin; the account starts with 10,000.
BIG_FLEX_ORDER = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "20", "limitPrice": "50000"}
#: 500,000 USD of PI_XBTUSD at 50000 need 0.2 XBT of initial margin; fi_xbtusd starts with 0.1.
BIG_INVERSE_ORDER = {"orderType": "lmt", "symbol": "PI_XBTUSD", "side": "buy", "size": "500000", "limitPrice": "50000"}


@pytest.fixture
def session(simulator: Simulator) -> Iterator[KrakenFuturesSession]:
    """A session signed with the simulator's own key."""
    with KrakenFuturesSession(simulator.base_url, DUMMY_API_KEY, DUMMY_API_SECRET) as signed:
        yield signed


def balances(simulator: Simulator) -> dict[str, Any]:
    """Return what ``GET /simulator/v1/accounts`` answers."""
    response = requests.get(f"{simulator.base_url}{CONTROL}/accounts", timeout=10)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["result"] == "success"
    return body


def set_balances(simulator: Simulator, account: str, fields: dict[str, str]) -> requests.Response:
    """POST ``CURRENCY=amount`` fields to one account's control route."""
    return requests.post(f"{simulator.base_url}{CONTROL}/accounts/{account}", data=fields, timeout=10)


def accounts(session: KrakenFuturesSession) -> dict[str, Any]:
    """Return the ``accounts`` object of the signed ``/accounts``."""
    body = session.get("accounts").json()
    assert body["result"] == "success", body
    found: dict[str, Any] = body["accounts"]
    return found


def status_of(session: KrakenFuturesSession, order: dict[str, str]) -> str:
    """Send an order and return its send status."""
    body = session.post("sendorder", data=order).json()
    assert body["result"] == "success", body
    status: str = body["sendStatus"]["status"]
    return status


def test_the_accounts_start_at_their_defaults(simulator: Simulator) -> None:
    """Every account's starting balance is reported, amounts as exact decimal strings."""
    assert balances(simulator) == {"result": "success", "accounts": DEFAULTS}


def test_balances_set_through_the_control_api_show_in_accounts(
    simulator: Simulator, session: KrakenFuturesSession
) -> None:
    """Each account's balances are set, not added to, and the signed /accounts shows them."""
    answer = set_balances(simulator, "flex", {"USD": "50000", "XBT": "0.5"})
    assert answer.status_code == 200, answer.text
    flex = {"USD": "50000", "XBT": "0.5"}
    assert answer.json() == {"result": "success", "accounts": {**DEFAULTS, "flex": flex}}
    assert set_balances(simulator, "fi_xbtusd", {"XBT": "1"}).status_code == 200
    assert set_balances(simulator, "cash", {"usd": "100"}).status_code == 200
    assert set_balances(simulator, "FLEX", {"usd": "20000.50"}).status_code == 200
    assert balances(simulator)["accounts"] == {
        "flex": {"USD": "20000.5", "XBT": "0.5"},
        "cash": {"XBT": "0", "ETH": "0", "USD": "100"},
        "fi_xbtusd": {"XBT": "1"},
    }
    found = accounts(session)
    assert found["flex"]["currencies"]["USD"]["quantity"] == 20000.5
    assert found["flex"]["currencies"]["XBT"]["quantity"] == 0.5
    assert found["flex"]["balanceValue"] > 20000.5  # the XBT counts as collateral
    assert found["cash"]["balances"]["usd"] == 100.0
    assert found["fi_xbtusd"]["balances"]["xbt"] == 1.0
    assert found["fi_xbtusd"]["auxiliary"]["af"] == 1.0


def test_each_balance_set_is_an_admin_transfer_in_the_account_log(
    simulator: Simulator, session: KrakenFuturesSession
) -> None:
    """A changed balance is booked with its old and new balance; an unchanged one is not booked."""
    assert set_balances(simulator, "flex", {"USD": "50000", "XBT": "0.5"}).status_code == 200
    assert set_balances(simulator, "fi_xbtusd", {"XBT": "0.1"}).status_code == 200  # as it was
    logs = session.get("/api/history/v3/account-log").json()["logs"]
    booked = [(x["info"], x["margin_account"], x["asset"], x["old_balance"], x["new_balance"]) for x in logs]
    assert booked == [
        ("admin transfer", "flex", "xbt", 0.0, 0.5),
        ("admin transfer", "flex", "usd", 10000.0, 50000.0),
    ]


def test_an_order_refused_for_funds_is_placed_once_the_balance_is_raised(
    simulator: Simulator, session: KrakenFuturesSession
) -> None:
    """Available margin follows a balance set through the control API, flex and inverse alike."""
    assert status_of(session, BIG_FLEX_ORDER) == "insufficientAvailableFunds"
    assert status_of(session, BIG_INVERSE_ORDER) == "insufficientAvailableFunds"
    assert set_balances(simulator, "flex", {"USD": "50000"}).status_code == 200
    assert set_balances(simulator, "fi_xbtusd", {"XBT": "1"}).status_code == 200
    assert status_of(session, BIG_FLEX_ORDER) == "placed"
    assert status_of(session, BIG_INVERSE_ORDER) == "placed"
    found = accounts(session)
    assert found["flex"]["availableMargin"] == pytest.approx(50000 - 20000)
    assert found["fi_xbtusd"]["auxiliary"]["af"] == pytest.approx(1 - 0.2)
    assert set_balances(simulator, "flex", {"USD": "20000"}).status_code == 200
    assert status_of(session, {**BIG_FLEX_ORDER, "size": "0.01"}) == "insufficientAvailableFunds"


def test_collateral_set_in_flex_counts_towards_margin(simulator: Simulator, session: KrakenFuturesSession) -> None:
    """XBT set in the flex wallet is collateral (after its haircut) even with no USD left."""
    assert set_balances(simulator, "flex", {"USD": "0", "XBT": "1"}).status_code == 200
    assert status_of(session, BIG_FLEX_ORDER) == "placed"


@pytest.mark.parametrize(
    ("account", "fields", "error", "message"),
    [
        ("spot", {"USD": "1"}, "invalidArgument", "no account 'spot'; the accounts are cash, flex, fi_xbtusd"),
        (
            "flex",
            {"DOGE": "1"},
            "invalidArgument",
            "DOGE is not a currency flex holds (USD, XBT, ETH, USDC, USDT, EUR, GBP)",
        ),
        ("fi_xbtusd", {"USD": "1"}, "invalidArgument", "USD is not a currency fi_xbtusd holds (XBT)"),
        ("flex", {"USD": "lots"}, "invalidArgument", "USD must be a number from 0 to 1000000000"),
        ("flex", {"USD": "nan"}, "invalidArgument", "USD must be a number from 0 to 1000000000"),
        ("flex", {"USD": ""}, "invalidArgument", "USD must be a number from 0 to 1000000000"),
        ("cash", {"USD": "-1"}, "invalidArgument", "USD must be a number from 0 to 1000000000"),
        ("flex", {"USD": "1000000000.01"}, "invalidArgument", "USD must be a number from 0 to 1000000000"),
        ("fi_xbtusd", {"XBT": "1e300"}, "invalidArgument", "XBT must be a number from 0 to 1000000000"),
        ("flex", {"USD": "50000", "XBT": "-0.5"}, "invalidArgument", "XBT must be a number from 0 to 1000000000"),
        ("flex", {"USD": "50000", "EUR": "1", "DOGE": "1"}, "invalidArgument", "DOGE is not a currency flex holds"),
        ("flex", {"XBT": "1", "BTC": "2"}, "invalidArgument", "BTC sets XBT a second time"),
        ("flex", {}, "requiredArgumentMissing", "name the currencies of flex to set, e.g. USD=1"),
    ],
)
def test_a_refused_balance_changes_nothing(
    simulator: Simulator,
    session: KrakenFuturesSession,
    account: str,
    fields: dict[str, str],
    error: str,
    message: str,
) -> None:
    """A bad account, currency or amount is a 400 naming the field and its bounds; no balance moves."""
    before = accounts(session)
    response = set_balances(simulator, account, fields)
    assert response.status_code == 400
    body = response.json()
    assert (body["result"], body["error"]) == ("error", error)
    assert body["message"].startswith(message)
    assert balances(simulator)["accounts"] == DEFAULTS
    assert accounts(session) == before
    assert session.get("/api/history/v3/account-log").json()["logs"] == []


def test_an_added_key_signs_calls(simulator: Simulator) -> None:
    """A key pair added at run time is accepted from then on, with full access."""
    with KrakenFuturesSession(simulator.base_url, NEW_KEY, NEW_SECRET) as added:
        assert added.get("accounts").json()["error"] == "authenticationError"
        simulator.add_key(NEW_KEY, NEW_SECRET)
        assert added.get("accounts").json()["result"] == "success"
        assert status_of(added, {**BIG_FLEX_ORDER, "size": "0.01"}) == "placed"
        simulator.add_key(NEW_KEY, NEW_SECRET)  # the same pair again: nothing changes
        assert added.get("openorders").json()["result"] == "success"
    assert [key.key for key in simulator.app.authenticator.keys] == [DUMMY_API_KEY, NEW_KEY]


def test_a_known_key_with_another_secret_is_refused(simulator: Simulator) -> None:
    """Adding a known key with another secret is a ValueError, and the old secret still signs."""
    simulator.add_key(NEW_KEY, NEW_SECRET)
    for key in (DUMMY_API_KEY, NEW_KEY):
        with pytest.raises(ValueError, match="another secret"):
            simulator.add_key(key, OTHER_SECRET)
    with KrakenFuturesSession(simulator.base_url, NEW_KEY, OTHER_SECRET) as wrong:
        assert wrong.get("accounts").json()["error"] == "authenticationError"
    with KrakenFuturesSession(simulator.base_url, NEW_KEY, NEW_SECRET) as right:
        assert right.get("accounts").json()["result"] == "success"


def test_a_known_key_with_other_rights_is_refused() -> None:
    """A read-only key added again as a full-access pair is a ValueError, and stays read-only."""
    reader = ApiKey(NEW_KEY, NEW_SECRET, access=READ_ONLY_ACCESS)
    with Simulator(extra_keys=[reader]) as simulator:
        with pytest.raises(ValueError, match="with read-only access"):
            simulator.add_key(NEW_KEY, NEW_SECRET)
        with KrakenFuturesSession(simulator.base_url, NEW_KEY, NEW_SECRET) as signed:
            assert signed.get("accounts").json()["result"] == "success"
            assert signed.post("sendorder", data=BIG_FLEX_ORDER).json()["error"] == "authenticationError"


def test_keys_added_from_many_threads_are_all_accepted(simulator: Simulator) -> None:
    """Concurrent additions, repeated ones among them, lose no key while calls are checked."""
    pairs = [(f"key-{n}", base64.b64encode(f"secret number {n}".encode()).decode()) for n in range(8)]
    start = threading.Barrier(len(pairs) * 2)

    def add(pair: tuple[str, str]) -> None:
        """Wait for every thread, then add one pair."""
        start.wait()
        simulator.add_key(*pair)

    threads = [threading.Thread(target=add, args=(pair,)) for pair in pairs * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(key.key for key in simulator.app.authenticator.keys) == sorted([DUMMY_API_KEY, *dict(pairs)])
    for key, secret in pairs:
        with KrakenFuturesSession(simulator.base_url, key, secret) as signed:
            assert signed.get("accounts").json()["result"] == "success"


def test_reset_restores_the_default_balances_and_keeps_added_keys(
    simulator: Simulator, session: KrakenFuturesSession
) -> None:
    """After reset() every balance is back at its default and an added key still signs."""
    simulator.add_key(NEW_KEY, NEW_SECRET)
    assert set_balances(simulator, "flex", {"USD": "50000", "XBT": "0.5"}).status_code == 200
    assert set_balances(simulator, "fi_xbtusd", {"XBT": "1"}).status_code == 200
    assert set_balances(simulator, "cash", {"USD": "100"}).status_code == 200
    simulator.reset()
    assert balances(simulator)["accounts"] == DEFAULTS
    assert accounts(session)["flex"]["currencies"] == {
        "USD": {"quantity": 10000.0, "value": 10000.0, "collateral": 10000.0, "available": 10000.0}
    }
    assert session.get("/api/history/v3/account-log").json()["logs"] == []
    with KrakenFuturesSession(simulator.base_url, NEW_KEY, NEW_SECRET) as added:
        assert added.get("accounts").json()["result"] == "success"
    assert status_of(session, BIG_FLEX_ORDER) == "insufficientAvailableFunds"


def test_a_balance_lowered_below_maintenance_margin_liquidates(
    simulator: Simulator, session: KrakenFuturesSession
) -> None:
    """Taking the flex USD away from an open position closes it, as a price move would."""
    assert status_of(session, {"orderType": "mkt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1"}) == "placed"
    assert len(session.get("openpositions").json()["openPositions"]) == 1
    assert set_balances(simulator, "flex", {"USD": "0"}).status_code == 200
    assert session.get("openpositions").json()["openPositions"] == []
    logs = session.get("/api/history/v3/account-log").json()["logs"]
    assert [line["info"] for line in logs][:2] == ["futures liquidation", "admin transfer"]
