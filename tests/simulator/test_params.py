"""Request parameters: fields split as ``parse_qsl`` splits them, and read by name."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qsl

import pytest

from pytest_krakenfutures.simulator.http.params import Params, fields_of

ODD = [
    "",
    "&",
    "&&",
    "=",
    "==",
    "a",
    "a=",
    "=b",
    "a=b=c",
    "a=1&&b=2&",
    "&a=1",
    "a=1&a=2",
    "a=%41",
    "a+b=c+d",
    "%zz=1",
    "a=%",
]


@pytest.mark.parametrize("text", ODD)
def test_fields_are_split_as_parse_qsl_splits_them(text: str) -> None:
    assert fields_of(text) == parse_qsl(text, keep_blank_values=True)


def test_every_short_string_of_field_characters_splits_as_parse_qsl_does() -> None:
    for length in range(5):
        for letters in itertools.product("a=&%+", repeat=length):
            text = "".join(letters)
            assert fields_of(text) == parse_qsl(text, keep_blank_values=True), text


def test_a_parameter_is_its_last_non_empty_value_and_the_body_comes_after_the_query() -> None:
    params = Params.parse("size=1&symbol=PF_XBTUSD&side=", "size=2&side=buy&size=")
    assert (params.get("size"), params.get("side"), params.get("missing")) == ("2", "buy", None)
    assert params.getlist("size") == ["1", "2"]
    assert params.names() == ["size", "symbol", "side"]
