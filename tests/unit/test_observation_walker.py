"""The observation walker and its collector: what is noted, where, and how it is counted and exported."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_validator_agreement import EXAMPLES, bodies_of, mutations

from pytest_krakenfutures import endpoint
from pytest_krakenfutures.catalog import Endpoint
from pytest_krakenfutures.observations import (
    STRING_NUMBER,
    UNKNOWN_FIELD,
    UNKNOWN_VALUE,
    Collector,
    Observation,
    observe,
)
from pytest_krakenfutures.schema_walk import Applicable, SchemaWalker, root_schemas

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


class ItemByItem(SchemaWalker):
    """The observations found by visiting every value in turn: what the column-wise walk must find."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str, str | None]] = set()

    def on_value(self, instance: Any, applicable: Applicable, path: str, required: bool) -> None:
        if not isinstance(instance, str):
            return
        if any(schema.get("x-decimal") for schema, _ in applicable) and not any(
            schema.get("x-sent-as-string") for schema, _ in applicable
        ):
            self.found.add((STRING_NUMBER, path, None))
        known = [schema["x-known"] for schema, _ in applicable if isinstance(schema.get("x-known"), list)]
        if known and not any(instance in values for values in known):
            self.found.add((UNKNOWN_VALUE, path, instance))

    def on_unknown_field(self, path: str, name: str) -> None:
        self.found.add((UNKNOWN_FIELD, path, name))


def item_by_item(body: Any, target: Endpoint, walker: ItemByItem | None = None) -> set[tuple[str, str, str | None]]:
    walker = walker or ItemByItem()
    walker.found = set()
    walker.walk(body, root_schemas(target), "$")
    return walker.found


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[example["endpoint"] for _, example in EXAMPLES])
def test_the_column_walk_finds_what_visiting_every_value_finds(name: str, example: dict[str, Any]) -> None:
    target = endpoint(example["endpoint"])
    cases = [(f"body {index}", body) for index, body in enumerate(bodies_of(example))]
    walker = ItemByItem()
    differing = [
        label
        for label, body in [*cases, *mutations(example["valid"][0])]
        if found(body, target.id) != item_by_item(body, target, walker)
    ]
    assert not differing, differing[:10]


def test_one_item_in_a_thousand_is_enough_to_be_observed() -> None:
    ticker = {"symbol": "PF_XBTUSD", "tag": "perpetual", "pair": "XBT:USD", "markPrice": 1.0, "suspended": False}
    tickers = [copy.deepcopy(ticker) for _ in range(1000)]
    tickers[537]["riskLimit"] = 5
    tickers[800]["tag"] = "quarterly-ish"
    tickers[999]["markPrice"] = "1.5"
    tickers[10] = {**ticker, "markPrice": None}
    del tickers[5]["markPrice"]
    body = {"result": "success", "serverTime": TIME, "tickers": [*tickers, "not an object"]}
    assert found(body, "getTickers") == {
        (UNKNOWN_FIELD, "$.tickers[*].riskLimit", "riskLimit"),
        (UNKNOWN_VALUE, "$.tickers[*].tag", "quarterly-ish"),
        (STRING_NUMBER, "$.tickers[*].markPrice", None),
    }
    assert found(body, "getTickers") == item_by_item(body, endpoint("getTickers"))
