"""Every bundled schema is a valid Draft 2020-12 schema, compiles, and every $ref in it resolves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pytest_krakenfutures.schemas import load, registry, schema_names, validator

NAMES = schema_names()


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def enums(node: Any, path: str = "#") -> Iterator[str]:
    if isinstance(node, dict):
        if "enum" in node:
            yield path
        for key, value in node.items():
            yield from enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from enums(item, f"{path}/{index}")


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_and_compiles(name: str) -> None:
    schema = load(name)
    Draft202012Validator.check_schema(schema)
    assert validator(name) is validator(name)
    assert "$id" not in schema, "schemas are keyed by file name; an $id would change how refs resolve"


@pytest.mark.parametrize("name", NAMES)
def test_every_ref_resolves(name: str) -> None:
    resolver = registry().resolver().lookup(f"{name}.json").resolver
    for ref in refs(load(name)):
        target, _, pointer = ref.partition("#")
        base = registry().resolver().lookup(target).resolver if target else resolver
        base.lookup(f"#{pointer}")


@pytest.mark.parametrize("name", NAMES)
def test_enumerations_are_open(name: str) -> None:
    assert list(enums(load(name))) == [], "Kraken extends its enumerations: use x-known, not enum"
