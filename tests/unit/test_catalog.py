"""The endpoint catalog: lookup by id and resolution of a request's method and URL path."""

from __future__ import annotations

import pytest

from pytest_krakenfutures import endpoint, endpoints
from pytest_krakenfutures.catalog import resolve
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
        assert item.schema in names, item.id
        assert item.method in {"GET", "POST", "PUT", "DELETE"}
        assert item.mutates == (item.method != "GET"), item.id
        assert item.private == (item.cost > 0 or item.mutates), item.id
