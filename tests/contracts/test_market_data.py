"""Contract of the public market-data endpoints: instruments, tickers, order book."""

from __future__ import annotations

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession


def test_instruments(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("instruments"))
    symbols = {item["symbol"] for item in body["instruments"]}
    assert {"PF_XBTUSD", "PF_ETHUSD", "PI_XBTUSD"} <= symbols
    assert any(symbol.startswith("FF_") for symbol in symbols)


def test_tickers(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("tickers"))
    by_symbol = {item["symbol"]: item for item in body["tickers"]}
    assert by_symbol["PF_XBTUSD"]["tag"] == "perpetual"
    assert by_symbol["PF_XBTUSD"]["bid"] < by_symbol["PF_XBTUSD"]["ask"]


def test_ticker_by_symbol(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("tickers/PF_ETHUSD"))
    assert body["ticker"]["symbol"] == "PF_ETHUSD"


def test_ticker_of_an_unknown_symbol(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.get("tickers/PF_NOPE")
    assert response.status_code == 404
    kf_contract(response, outcome="error")


def test_orderbook(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    book = kf_contract(kf_session.get("orderbook", params={"symbol": "PF_XBTUSD"}))["orderBook"]
    bids = [price for price, _ in book["bids"]]
    asks = [price for price, _ in book["asks"]]
    assert bids == sorted(bids, reverse=True)
    assert asks == sorted(asks)
    assert bids[0] < asks[0]


def test_orderbook_without_symbol(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    kf_contract(kf_session.get("orderbook"), outcome="error:requiredArgumentMissing")


def test_orderbook_of_an_unknown_symbol(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    kf_contract(kf_session.get("orderbook", params={"symbol": "PF_NOPE"}), outcome="error:invalidArgument")
