"""Contract of the private account endpoints, and the authentication errors Kraken answers with."""

from __future__ import annotations

from pytest_krakenfutures import KrakenFuturesAuth
from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.environments import Credentials
from pytest_krakenfutures.recording import CassetteSession


def test_accounts(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    flex = kf_contract(kf_session.get("accounts"))["accounts"]["flex"]
    assert flex["availableMargin"] > 0
    assert "USD" in flex["currencies"]


def test_open_orders_start_empty(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []


def test_open_positions_start_empty(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert kf_contract(kf_session.get("openpositions"))["openPositions"] == []


def test_wrong_key_is_an_authentication_error(
    kf_session: CassetteSession, kf_contract: ContractChecker, kf_credentials: Credentials
) -> None:
    kf_session.auth = KrakenFuturesAuth("not-the-key", kf_credentials.api_secret)
    kf_contract(kf_session.get("accounts"), outcome="error:authenticationError")


def test_nonce_below_threshold(
    kf_session: CassetteSession, kf_contract: ContractChecker, kf_credentials: Credentials
) -> None:
    kf_contract(kf_session.get("openorders"))
    kf_session.auth = KrakenFuturesAuth(kf_credentials.api_key, kf_credentials.api_secret, nonce=lambda: "1")
    kf_contract(kf_session.get("openorders"), outcome="error:nonceBelowThreshold")
