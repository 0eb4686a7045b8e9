"""The indexed cassette's copies of requests: equal to vcrpy's own deep copy, and private."""

from __future__ import annotations

import copy

import pytest
from vcr.request import Request

from pytest_krakenfutures.indexed_cassette import cheaply_copied

HEADERS = {"User-Agent": "ua", "Content-Type": "application/x-www-form-urlencoded", "APIKey": "key"}


@pytest.mark.parametrize(
    "body", [None, b"orderType=lmt&size=1", "text body", [b"chunk-1", b"chunk-2"]], ids=["none", "bytes", "str", "iter"]
)
def test_a_cheap_copy_equals_a_deep_copy_and_shares_nothing_mutable(body: object) -> None:
    sent = Request(
        "POST",
        "https://futures.kraken.com/derivatives/api/v3/sendorder?x=1",
        iter(body) if isinstance(body, list) else body,
        HEADERS,
    )
    deep, cheap = copy.deepcopy(sent), copy.deepcopy(cheaply_copied(sent))
    assert type(cheap) is Request
    assert cheap.__dict__.keys() == deep.__dict__.keys()
    assert {k: v for k, v in cheap.__dict__.items() if k != "_headers"} == {
        k: v for k, v in deep.__dict__.items() if k != "_headers"
    }
    assert list(cheap.headers.items()) == list(deep.headers.items())
    cheap.headers["Authent"] = "changed"
    cheap.uri = "https://futures.kraken.com/other"
    if isinstance(body, list):
        cheap.__dict__["_body"].append(b"more")
    assert "Authent" not in sent.headers
    assert sent.uri.endswith("/sendorder?x=1")
    assert sent.__dict__["_body"] == (body.encode() if isinstance(body, str) else body)


def test_a_subclass_of_request_is_copied_as_vcrpy_copies_it() -> None:
    class Mine(Request):  # type: ignore[misc]
        pass

    mine = Mine("GET", "https://futures.kraken.com/derivatives/api/v3/tickers", None, {})
    assert cheaply_copied(mine) is mine
