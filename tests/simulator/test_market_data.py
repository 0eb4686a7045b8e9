"""Public endpoints of the simulator: envelopes, instruments, tickers, order books, HTTP errors."""

from __future__ import annotations

import re

import pytest

from .conftest import Client

SERVER_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
INSTRUMENT_FIELDS = {
    "symbol",
    "type",
    "tickSize",
    "contractSize",
    "tradeable",
    "impactMidSize",
    "maxPositionSize",
    "openingDate",
    "marginLevels",
    "maxRelativeFundingRate",
    "isin",
    "contractValueTradePrecision",
    "postOnly",
    "feeScheduleUid",
    "mtf",
    "base",
    "quote",
    "pair",
    "category",
    "tradfi",
    "tags",
}
MARKET_TICKER_FIELDS = {
    "symbol",
    "last",
    "lastTime",
    "tag",
    "pair",
    "markPrice",
    "bid",
    "bidSize",
    "ask",
    "askSize",
    "vol24h",
    "volumeQuote",
    "openInterest",
    "open24h",
    "high24h",
    "low24h",
    "lastSize",
    "suspended",
    "indexPrice",
    "postOnly",
    "change24h",
}


def test_success_envelope_is_compact_json_with_millisecond_server_time(client: Client) -> None:
    response = client.get("tickers")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    text = response.text
    assert text.startswith('{"result":"success","serverTime":"')
    assert ", " not in text
    assert '": ' not in text
    assert SERVER_TIME.fullmatch(response.json()["serverTime"])
    assert response.json()["serverTime"] == "2026-03-02T10:00:00.000Z"


def test_instruments_lists_linear_inverse_and_dated_contracts(client: Client) -> None:
    instruments = {i["symbol"]: i for i in client.public("instruments")["instruments"]}
    assert {"PF_XBTUSD", "PF_ETHUSD", "PI_XBTUSD", "FF_XBTUSD_261225"} <= set(instruments)
    for instrument in instruments.values():
        assert set(instrument) >= INSTRUMENT_FIELDS, instrument["symbol"]
        assert instrument["marginLevels"][0]["initialMargin"] > instrument["marginLevels"][0]["maintenanceMargin"]
    assert instruments["PF_XBTUSD"]["type"] == "flexible_futures"
    assert instruments["PF_ETHUSD"]["type"] == "flexible_futures"
    assert instruments["PI_XBTUSD"]["type"] == "futures_inverse"
    assert instruments["PI_XBTUSD"]["underlying"] == "rr_xbtusd"
    assert "underlying" not in instruments["PF_XBTUSD"]
    dated = instruments["FF_XBTUSD_261225"]
    assert dated["type"] == "futures_vanilla"
    assert dated["lastTradingTime"] == "2026-12-25T16:00:00.000Z"
    assert "fundingRateCoefficient" not in dated
    assert instruments["PF_XBTUSD"]["fundingRateCoefficient"] == 8
    assert instruments["PF_XBTUSD"]["pair"] == "XBT:USD"
    assert "contracts" in instruments["PI_XBTUSD"]["marginLevels"][0]
    assert "numNonContractUnits" in instruments["PF_XBTUSD"]["marginLevels"][0]


def test_instruments_can_be_filtered_by_contract_type(client: Client) -> None:
    body = client.public("instruments", {"contractType": "futures_inverse"})
    assert [i["symbol"] for i in body["instruments"]] == ["PI_XBTUSD"]
    assert client.public("instruments", {"contractType": "options"})["error"] == "invalidArgument"


def test_tickers_hold_market_and_index_tickers(client: Client) -> None:
    tickers = {t["symbol"]: t for t in client.public("tickers")["tickers"]}
    perpetual = tickers["PF_XBTUSD"]
    assert set(perpetual) >= MARKET_TICKER_FIELDS
    assert perpetual["tag"] == "perpetual"
    assert perpetual["pair"] == "XBT:USD"
    assert {"fundingRate", "fundingRatePrediction"} <= set(perpetual)
    assert perpetual["bid"] < perpetual["markPrice"] < perpetual["ask"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", perpetual["lastTime"])
    dated = tickers["FF_XBTUSD_261225"]
    assert dated["tag"] == "quarter"
    assert "fundingRate" not in dated
    assert set(tickers["in_xbtusd"]) == {"symbol", "last", "lastTime"}
    for key in ("last", "markPrice", "bid", "bidSize", "vol24h", "openInterest", "change24h"):
        assert type(perpetual[key]) in (int, float), key
    assert type(tickers["in_xbtusd"]["last"]) in (int, float)


def test_single_ticker_lookup_ignores_case(client: Client) -> None:
    ticker = client.public("tickers/pf_ethusd")["ticker"]
    assert ticker["symbol"] == "PF_ETHUSD"
    assert ticker["pair"] == "ETH:USD"
    assert client.public("tickers/IN_XBTUSD")["ticker"]["symbol"] == "in_xbtusd"


def test_unknown_ticker_is_a_404_not_found(client: Client) -> None:
    response = client.get("tickers/PF_NOPEUSD")
    assert response.status_code == 404
    assert response.json()["result"] == "error"
    assert response.json()["error"] == "notFound"


def test_order_book_has_sorted_levels_around_the_mark(client: Client) -> None:
    book = client.public("orderbook", {"symbol": "PF_XBTUSD"})["orderBook"]
    bids, asks = book["bids"], book["asks"]
    assert len(bids) >= 5
    assert len(asks) >= 5
    assert [p for p, _ in bids] == sorted((p for p, _ in bids), reverse=True)
    assert [p for p, _ in asks] == sorted(p for p, _ in asks)
    assert bids[0][0] < 96010.37 < asks[0][0]
    assert all(size > 0 for _, size in bids + asks)


def test_order_book_symbol_is_required_and_must_exist(client: Client) -> None:
    missing = client.get("orderbook")
    assert missing.status_code == 200
    assert missing.json()["error"] == "requiredArgumentMissing"
    unknown = client.public("orderbook", {"symbol": "PF_NOPEUSD"})
    assert unknown["result"] == "error"
    assert unknown["error"] == "invalidArgument"


def test_unknown_path_is_a_404_envelope(client: Client) -> None:
    response = client.get("nosuchendpoint")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "NOT_FOUND"
    assert body["result"] == "error"
    assert body["errors"] == [{"code": 0, "message": "404 NOT_FOUND"}]
    assert SERVER_TIME.fullmatch(body["serverTime"])


@pytest.mark.parametrize("path", ["/", "/derivatives/api/v4/tickers", "/api/history/v1/orders", "/api/charts/v2/"])
def test_paths_kraken_does_not_serve_are_not_found(client: Client, path: str) -> None:
    response = client.http.get(client.base_url + path, timeout=10)
    assert response.status_code == 404
    assert response.json()["status"] == "NOT_FOUND"


def test_wrong_method_is_a_405_envelope(client: Client) -> None:
    response = client.http.post(client.url("tickers"), timeout=10)
    assert response.status_code == 405
    body = response.json()
    assert body["status"] == "METHOD_NOT_ALLOWED"
    assert body["errors"] == [{"code": 0, "message": "405 METHOD_NOT_ALLOWED"}]
    assert "GET" in response.headers["Allow"]


def test_public_endpoints_ignore_auth_headers(client: Client) -> None:
    response = client.http.get(
        client.url("instruments"), headers={"APIKey": "wrong", "Authent": "bogus", "Nonce": "x"}, timeout=10
    )
    assert response.json()["result"] == "success"
