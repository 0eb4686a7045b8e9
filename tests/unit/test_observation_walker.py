"""The observation walker and its collector: what is noted, where, and how it is counted and exported."""

from __future__ import annotations

from typing import Any

from pytest_krakenfutures import endpoint
from pytest_krakenfutures.observations import (
    STRING_NUMBER,
    UNKNOWN_FIELD,
    UNKNOWN_VALUE,
    Collector,
    Observation,
    observe,
)

TIME = "2026-11-02T09:30:00.000Z"


def found(body: dict[str, Any], operation: str) -> set[tuple[str, str, str | None]]:
    return {(item.kind, item.path, item.detail) for item in observe(body, endpoint(operation))}


def test_a_documented_body_has_no_observations() -> None:
    body = {"result": "success", "serverTime": TIME, "tickers": [{"symbol": "PF_XBTUSD", "tag": "perpetual"}]}
    assert found(body, "getTickers") == set()


def test_fields_values_and_string_numbers_are_noted_with_generic_paths() -> None:
    body = {
        "result": "success",
        "serverTime": TIME,
        "extra": 1,
        "tickers": [
            {"symbol": "PF_XBTUSD", "tag": "weekly", "markPrice": "96010.5", "pair": "XBT:USD", "suspended": False},
            {"symbol": "in_xbtusd", "last": 96000.0, "newField": True},
        ],
    }
    assert found(body, "getTickers") == {
        (UNKNOWN_FIELD, "$.extra", "extra"),
        (UNKNOWN_VALUE, "$.tickers[*].tag", "weekly"),
        (STRING_NUMBER, "$.tickers[*].markPrice", None),
        (UNKNOWN_FIELD, "$.tickers[*].newField", "newField"),
    }


def test_maps_are_walked_through_their_values_and_unknown_keys_of_maps_are_not_fields() -> None:
    body = {
        "result": "success",
        "serverTime": TIME,
        "accounts": {
            "cash": {"type": "cashAccount", "balances": {"xbt": "0.5", "usd": 10}},
            "fi_xbtusd": {"type": "marginAccount", "currency": "xbt", "novel": 1},
        },
    }
    assert found(body, "getAccounts") == {
        (STRING_NUMBER, "$.accounts.cash.balances.*", None),
        (UNKNOWN_FIELD, "$.accounts.*.novel", "novel"),
    }


def test_nullable_and_nested_order_objects_are_followed() -> None:
    order = {
        "orderId": "o-1",
        "type": "lmt",
        "symbol": "PF_XBTUSD",
        "side": "buy",
        "quantity": 1,
        "filled": 0,
        "timestamp": TIME,
        "brandNew": "x",
    }
    body = {
        "result": "success",
        "serverTime": TIME,
        "cancelStatus": {"status": "cancelled", "orderEvents": [{"type": "CANCEL", "uid": "o-1", "order": order}]},
    }
    assert found(body, "cancelOrder") == {(UNKNOWN_FIELD, "$.cancelStatus.orderEvents[*].order.brandNew", "brandNew")}


def test_collector_counts_exports_and_merges() -> None:
    first = Collector()
    item = Observation("getTickers", UNKNOWN_FIELD, "$.x", "x")
    first.add([item])
    first.add([item])
    assert first.counts() == {item: 2}
    second = Collector()
    second.merge(first.export())
    second.merge(first.export())
    assert second.counts() == {item: 4}
    assert second.summary() == ["getTickers: 1 observation", "  undeclared field at $.x: 'x' (in 4 responses)"]
    second.clear()
    assert second.summary() == []
