"""assert_contract's verdict: jsonschema-rs decides, jsonschema explains, and no body passes that either rejects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError

from pytest_krakenfutures import ContractViolation, assert_contract
from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.schemas import clear_caches, validator
from pytest_krakenfutures.validators import fast_validator

TIME = "2026-11-02T09:30:00.000Z"
LABEL = "GET /derivatives/api/v3/tickers (getTickers)"


def tickers_body(**changes: Any) -> dict[str, Any]:
    ticker = {"symbol": "PF_XBTUSD", "tag": "perpetual", "pair": "XBT:USD", "suspended": False, "markPrice": 91506.6}
    ticker.update(changes)
    return {"result": "success", "serverTime": TIME, "tickers": [ticker]}


def user_schemas(directory: Path, **schemas: dict[str, Any]) -> ContractChecker:
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    return ContractChecker(schema_dir=str(directory))


def test_a_passing_body_never_reaches_jsonschema() -> None:
    assert_contract(tickers_body(), "getTickers")
    before = validator.cache_info()
    body = tickers_body()
    assert assert_contract(body, "getTickers") is body
    after = validator.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


def test_a_failing_body_is_explained_by_jsonschema() -> None:
    with pytest.raises(ContractViolation) as info:
        assert_contract(tickers_body(suspended="no"), "getTickers")
    assert str(info.value).splitlines() == [
        f"{LABEL}: 1 schema violation (schema getTickers); likeliest cause: $.tickers[0].suspended: "
        "'no' is not of type boolean",
        "  $.tickers[0].suspended: 'no' is not of type boolean",
    ]
    assert [type(error) for error in info.value.errors] == [ValidationError]
    assert (info.value.schema_name, info.value.outcome) == ("getTickers", "success")


def test_validators_that_disagree_fail_the_body_saying_so() -> None:
    body = tickers_body(markPrice="91506.6\n")
    assert validator("getTickers").is_valid(body), "Python's $ matches before a final newline"
    with pytest.raises(ContractViolation) as info:
        assert_contract(body, "getTickers")
    lines = str(info.value).splitlines()
    assert lines[0].startswith(
        f"{LABEL}: the validators disagree (schema getTickers): jsonschema-rs rejects the body and jsonschema "
        "finds no violation, so it does not pass; jsonschema-rs says: $.tickers[0].markPrice: "
    )
    assert lines[1].startswith("  $.tickers[0].markPrice: ")
    assert (info.value.schema_name, info.value.errors) == ("getTickers", [])


def test_a_body_jsonschema_rs_cannot_take_is_decided_by_jsonschema() -> None:
    body: dict[Any, Any] = {**tickers_body(), 1: "a key that is not a string"}
    fast = fast_validator("getTickers")
    assert fast is not None
    assert fast.passes(body) is None
    assert assert_contract(body, "getTickers") is body
    broken: dict[Any, Any] = {**tickers_body(suspended="no"), 1: "x"}
    with pytest.raises(ContractViolation, match=r"\$\.tickers\[0\]\.suspended: 'no' is not of type boolean"):
        assert_contract(broken, "getTickers")


def test_a_format_violation_reads_as_before(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"serverTime": {"type": "string", "format": "date-time"}}}
    checker = user_schemas(tmp_path, getTickers=schema)
    assert checker({"result": "success", "serverTime": "2016-12-31T23:59:60Z"}, "getTickers")
    with pytest.raises(ContractViolation) as info:
        checker({"result": "success", "serverTime": "2026-02-30T09:30:00Z"}, "getTickers")
    assert str(info.value).splitlines()[1:] == ["  $.serverTime: '2026-02-30T09:30:00Z' is not a valid date-time"]


def test_a_schema_jsonschema_rs_cannot_compile_is_left_to_jsonschema(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"serverTime": {"type": "string", "pattern": "^2026[-0-9T:.Z]+\\Z"}}}
    checker = user_schemas(tmp_path, getTickers=schema)
    assert fast_validator("getTickers", str(tmp_path)) is None
    assert checker({"result": "success", "serverTime": TIME}, "getTickers")
    with pytest.raises(ContractViolation, match=r"\$\.serverTime: '2025-11-02' does not match"):
        checker({"result": "success", "serverTime": "2025-11-02"}, "getTickers")


def test_verdict_validators_are_compiled_once_and_again_after_the_caches_are_cleared() -> None:
    first = fast_validator("getTickers")
    assert first is fast_validator("getTickers")
    clear_caches()
    assert fast_validator("getTickers") is not first
