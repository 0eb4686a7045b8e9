"""jsonschema-rs (the verdict) and jsonschema (the explanation) agree on every example body and its mutations.

The examples are those of ``tests/examples`` (Kraken's own, and ours), the bodies that must fail
there, and each schema's ``examples``; every place of an example's first body is then broken in
the ways a contract is broken: a field dropped, another JSON type, null, a string that is no
timestamp or no known value, numbers out of range, extra fields, empty objects and arrays.
Formats, closed objects, enumerations and overrides from a user schema directory are checked on
schemas written here, since the bundled ones use none of them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_schema_examples import FILES, load, wrong_type

from pytest_krakenfutures import endpoint
from pytest_krakenfutures.schemas import load as load_schema
from pytest_krakenfutures.schemas import schema_names, validator
from pytest_krakenfutures.validators import fast_validator

NAMES = schema_names()
Steps = tuple[str | int, ...]

#: Strings that break a timestamp, a decimal, an integer or an open enumeration in some way.
STRINGS = (
    "",
    "NOT-A-KNOWN-VALUE",
    "2026-02-30T25:61:00Z",
    "2026-11-02 09:30:00Z",
    "1e5",
    "-0.5",
    "01",
    " 1",
    "\u0661\u0662",
)
NUMBERS = (-1, 0, 1.5, 1.0, 10**20, True)


def bodies_of(example: dict[str, Any]) -> list[Any]:
    """Every body of an example file: the valid ones, then those that must fail."""
    cases = [*example.get("invalid", []), *example.get("refused", [])]
    return [*example["valid"], *(case["body"] for case in cases)]


def json_examples() -> list[tuple[str, dict[str, Any]]]:
    """The example files of endpoints answering JSON, with the schema each is checked against."""
    found = []
    for path in FILES:
        example = load(path)
        target = endpoint(example["endpoint"])
        if target.body_format == "json" and target.schema in NAMES:
            found.append((target.schema, example))
    return found


EXAMPLES = json_examples()


def places(node: Any, steps: Steps = ()) -> Iterator[tuple[Steps, Any]]:
    """Every place of a body with its value, once per generic path (the first item of each array)."""
    yield steps, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from places(value, (*steps, key))
    elif isinstance(node, list) and node:
        yield from places(node[0], (*steps, 0))


def replaced(body: Any, steps: Steps, value: Any) -> Any:
    """A copy of ``body`` with the value at ``steps`` replaced (or removed, for ``DROP``); the rest is shared."""
    if not steps:
        return value
    head, *rest = steps
    copied = copy.copy(body)
    if rest:
        copied[head] = replaced(body[head], tuple(rest), value)
    elif value is DROP:
        del copied[head]
    else:
        copied[head] = value
    return copied


DROP = object()


def mutations(body: Any) -> Iterator[tuple[str, Any]]:
    """Each way of breaking one place of ``body``, named by the place and the change."""
    for steps, value in places(body):
        where = "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in steps)
        changes: list[tuple[str, Any]] = [("another type", wrong_type(value)), ("null", None)]
        if steps and isinstance(steps[-1], str):
            changes.append(("dropped", DROP))
        if isinstance(value, str):
            changes += [(f"string {text!r}", text) for text in STRINGS]
        elif isinstance(value, bool):
            changes.append(("flipped", not value))
        elif isinstance(value, (int, float)):
            changes += [(f"number {number!r}", number) for number in NUMBERS]
        elif isinstance(value, dict):
            changes += [("an extra field", {**value, "unexpectedField": 1}), ("empty", {})]
        elif isinstance(value, list):
            changes += [("empty", []), ("a foreign item", [*value, 12345])]
        for change, new in changes:
            yield f"{where}: {change}", replaced(body, steps, new)


def verdicts(name: str, body: Any, user_dir: str | None = None) -> tuple[bool | None, bool]:
    """The verdict of jsonschema-rs and of jsonschema on a body."""
    fast = fast_validator(name, user_dir)
    assert fast is not None, f"jsonschema-rs cannot compile schema {name}"
    return fast.passes(body), validator(name, user_dir).is_valid(body)


def disagreements(name: str, cases: Iterator[tuple[str, Any]], user_dir: str | None = None) -> list[str]:
    """The cases on which the two validators give different verdicts, with both verdicts."""
    found = []
    for label, body in cases:
        fast, slow = verdicts(name, body, user_dir)
        if fast != slow:
            found.append(f"{label}: jsonschema-rs {fast}, jsonschema {slow}")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_schema_compiles_for_the_verdict_once(name: str) -> None:
    assert fast_validator(name) is not None
    assert fast_validator(name) is fast_validator(name)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[example["endpoint"] for _, example in EXAMPLES])
def test_examples_and_their_mutations_get_one_verdict(name: str, example: dict[str, Any]) -> None:
    cases = [(f"example {index}", body) for index, body in enumerate(bodies_of(example))]
    found = disagreements(name, iter(cases))
    found += disagreements(name, mutations(example["valid"][0]))
    assert not found, f"{len(found)} disagreements on schema {name}:\n" + "\n".join(found[:20])


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_gives_one_verdict_on_every_example_body(name: str) -> None:
    own = load_schema(name).get("examples", [])
    cases = [(f"{name} example {index}", body) for index, body in enumerate(own)]
    for _, example in EXAMPLES:
        cases += [(f"{example['endpoint']} body {index}", body) for index, body in enumerate(bodies_of(example))]
    found = disagreements(name, iter(cases))
    assert not found, f"{len(found)} disagreements on schema {name}:\n" + "\n".join(found[:20])


#: Values of each format: some that conform, some that do not, and the edges where implementations differ.
FORMAT_VALUES: dict[str, tuple[str, ...]] = {
    "date-time": (
        "2026-11-02T09:30:00.000Z",
        "2026-11-02t09:30:00z",
        "2026-11-02T09:30:00+01:00",
        "2026-11-02T09:30:00+0100",
        "2026-11-02T09:30:00",
        "2026-11-02 09:30:00Z",
        "2026-02-30T09:30:00Z",
        "2026-11-02T24:00:00Z",
        "2016-12-31T23:59:60Z",
        "2026-11-02T09:30:60Z",
        "0000-01-01T00:00:00Z",
        "2026-11-02T09:30:00Z\n",
        "yesterday",
    ),
    "date": ("2026-11-02", "2026-02-30", "2026-11-2", "20261102"),
    "time": ("09:30:00Z", "09:30:00", "25:00:00Z", "09:30:00.5+01:00"),
    "duration": ("P1D", "PT1H30M", "P1X", "P"),
    "email": ("trader@example.com", "no-at-sign", "a@", "@b.c"),
    "idn-email": ("trader@example.com", "no-at-sign"),
    "hostname": ("futures.kraken.com", "-bad-.com", "a" * 64 + ".com"),
    "idn-hostname": ("futures.kraken.com", "-bad-"),
    "ipv4": ("192.168.0.1", "256.1.1.1", "1.2.3"),
    "ipv6": ("::1", "::g", "1:2:3:4:5:6:7:8:9"),
    "uri": ("https://futures.kraken.com/derivatives", "not a uri", "/relative/path"),
    "uri-reference": ("/relative/path", "\\\\bad"),
    "iri": ("https://example.com/\u00e9", "not an iri"),
    "iri-reference": ("/\u00e9", "\\\\bad"),
    "uuid": ("00000000-0000-4000-8000-000000000000", "123", "00000000000040008000000000000000"),
    "uri-template": ("/orders/{id}", "/orders/{id"),
    "json-pointer": ("/a/b", "a/b", "/a~2"),
    "relative-json-pointer": ("0/a", "/a"),
    "regex": ("^[0-9]+$", "("),
}


def write_schemas(directory: Path, schemas: dict[str, Any]) -> str:
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    return str(directory)


def test_formats_get_one_verdict_and_are_checked(tmp_path: Path) -> None:
    properties = {name: {"format": name} for name in FORMAT_VALUES}
    user_dir = write_schemas(tmp_path, {"formats": {"type": "object", "properties": properties}})
    cases = [(f"{name} {value!r}", {name: value}) for name, values in FORMAT_VALUES.items() for value in values]
    assert disagreements("formats", iter(cases), user_dir) == []
    rejected = {name for name, body in cases if verdicts("formats", body, user_dir) == (False, False)}
    assert {name.split(" ")[0] for name in rejected} == set(FORMAT_VALUES), "every format is checked"
    assert verdicts("formats", {"date-time": "2026-02-30T09:30:00Z"}, user_dir) == (False, False)
    assert verdicts("formats", {"date-time": 20261102}, user_dir) == (True, True)


def test_closed_objects_enumerations_and_nulls_get_one_verdict(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["side", "size"],
        "additionalProperties": False,
        "properties": {
            "side": {"enum": ["buy", "sell"], "x-known": ["buy", "sell"]},
            "size": {"type": "number", "exclusiveMinimum": 0, "x-decimal": True},
            "status": {"const": "placed"},
            "note": {"type": ["string", "null"], "maxLength": 3},
            "tags": {"type": "array", "uniqueItems": True, "items": {"type": "string"}, "maxItems": 2},
            "fills": {"type": "object", "additionalProperties": {"type": "integer", "multipleOf": 2}},
        },
    }
    user_dir = write_schemas(tmp_path, {"closed": schema})
    valid = {"side": "buy", "size": 1, "status": "placed", "note": None, "tags": ["a"], "fills": {"x": 2}}
    assert verdicts("closed", valid, user_dir) == (True, True)
    assert disagreements("closed", mutations(valid), user_dir) == []


def test_a_user_schema_overrides_the_bundled_one_in_both_validators(tmp_path: Path) -> None:
    strict = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [{"$ref": "common.json#/$defs/success"}],
        "required": ["tickers"],
        "properties": {
            "tickers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"symbol": {"type": "string"}, "markPrice": {"$ref": "common.json#/$defs/decimal"}},
                    "additionalProperties": False,
                },
            }
        },
    }
    user_dir = write_schemas(tmp_path, {"getTickers": strict})
    body = {
        "result": "success",
        "serverTime": "2026-11-02T09:30:00.000Z",
        "tickers": [{"symbol": "PF_XBTUSD", "markPrice": "91506.6"}],
    }
    assert verdicts("getTickers", body, user_dir) == (True, True)
    extra = replaced(body, ("tickers", 0, "riskLimit"), 5)
    assert verdicts("getTickers", extra, user_dir) == (False, False)
    assert verdicts("getTickers", extra) == (True, True)
    assert disagreements("getTickers", mutations(body), user_dir) == []
