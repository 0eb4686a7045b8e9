"""The endpoint catalog: lookup by id and resolution of a request's method and URL path."""

from __future__ import annotations

import pytest

from pytest_krakenfutures import endpoint, endpoints
from pytest_krakenfutures.catalog import BASES, resolve
from pytest_krakenfutures.schemas import schema_names


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/derivatives/api/v3/tickers", "getTickers"),
        ("GET", "/derivatives/api/v3/tickers/PF_XBTUSD", "getTicker"),
        ("GET", "/derivatives/api/v3/tickers/PF_XBTUSD/", "getTicker"),
        ("get", "/derivatives/api/v3/orderbook", "getOrderbook"),
        ("POST", "/derivatives/api/v3/sendorder", "sendOrder"),
    ],
)
def test_resolve(method: str, path: str, expected: str) -> None:
    found = resolve(method, path)
    assert found is not None
    assert found.id == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/derivatives/api/v3/tickers"),
        ("GET", "/derivatives/api/v3/tickers/PF_XBTUSD/extra"),
        ("GET", "/api/v3/tickers"),
    ],
)
def test_resolve_refuses_what_is_not_an_endpoint(method: str, path: str) -> None:
    assert resolve(method, path) is None


def test_unknown_id_is_a_key_error_listing_known_ids() -> None:
    with pytest.raises(KeyError, match=r"no Kraken Futures endpoint with id 'getTicker2'.*getTickers"):
        endpoint("getTicker2")


def test_every_endpoint_has_a_schema_and_consistent_fields() -> None:
    names = set(schema_names())
    for item in endpoints():
        assert item.schema in names or item.body_format == "csv", item.id
        assert item.method in {"GET", "POST", "PUT", "DELETE"}
        assert not (item.method == "GET" and item.mutates), item.id
        assert item.private or (item.cost == 0 and not item.mutates), item.id
        assert item.full_path.startswith(BASES[item.base]), item.id
        assert item.response_key is None or item.body_format == "json", item.id


def test_the_catalog_holds_every_operation_of_the_reference_spec() -> None:
    ids = {item.id for item in endpoints() if item.in_spec}
    assert len(ids) == 64
    assert {"getFills", "sendBatchOrder", "candles", "accountLogCsv", "checkV3ApiKey"} <= ids
    assert "rebates::get_self_market_share" in ids


def test_what_real_clients_use_beyond_the_spec_and_what_is_gone() -> None:
    v4 = resolve("GET", "/derivatives/api/v4/historicalfundingrates")
    assert v4 is not None
    assert not v4.in_spec
    assert v4.deprecated is None
    v3 = endpoint("historicalFundingRates")
    assert v3.deprecated is not None
    assert "404" in v3.deprecated
    assert resolve("GET", "/api/history/v2/orders") == endpoint("getOrderEventsV2")
    assert endpoint("getOrderEventsV2").schema == "getOrderEvents"
    assert "2026-06-22" in (endpoint("getFeeSchedulesV3").deprecated or "")
    assert "removed" in (endpoint("getMaxOrderSize").deprecated or "")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/charts/v1/analytics/liquidity-pool", "liquidityPoolStats"),
        ("/api/charts/v1/analytics/PF_XBTUSD/open-interest", "marketAnalytics"),
        ("/api/charts/v1/trade/PF_XBTUSD/1h", "candles"),
        ("/api/charts/v1/trade/PF_XBTUSD", "resolutions"),
        ("/api/charts/v1/mark", "symbols"),
        ("/api/charts/v1/", "tickTypes"),
        ("/derivatives/api/v3/rfqs/open-offers", "getOpenRfqOffers"),
        ("/derivatives/api/v3/rfqs/0b6e1f5a-7c1d-4d0e-9f3a-1c2b3d4e5f60", "getSingleOpenRfq"),
        ("/derivatives/api/v3/instruments/status", "instrumentsStatus"),
        ("/derivatives/api/v3/instruments/PF_XBTUSD/status", "instrumentStatus"),
        ("/api/history/v3/market/PF_XBTUSD/executions", "getPublicExecutionEvents"),
        ("/api/stats/v1/rebates/self-market-share", "rebates::get_self_market_share"),
    ],
)
def test_literal_segments_win_over_placeholders(path: str, expected: str) -> None:
    found = resolve("GET", path)
    assert found is not None
    assert found.id == expected


def test_order_status_is_also_answered_for_get_as_ccxt_sends_it() -> None:
    path = "/derivatives/api/v3/orders/status"
    assert resolve("POST", path) is resolve("GET", path) is endpoint("getOrderStatus")
    assert endpoint("getOrderStatus").methods == ("POST", "GET")
    assert resolve("DELETE", path) is None
