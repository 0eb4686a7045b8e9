"""The response copy the cassette keeps: vcrpy's decoded response, sharing nothing a hook could change."""

from __future__ import annotations

import copy
import gzip
from typing import Any

import pytest
from vcr import filters

from pytest_krakenfutures.recording import decoded_response


def plain() -> dict[str, Any]:
    """A response as vcrpy records one from requests."""
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": ["application/json"], "Set-Cookie": ["a=1", "b=2"]},
        "body": {"string": b'{"result":"success"}'},
    }


SHAPES = {
    "plain": plain(),
    "aiohttp": {**plain(), "url": "https://futures.kraken.com/derivatives/api/v3/tickers"},
    "gzip": {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Encoding": ["gzip"], "Content-Length": ["99"]},
        "body": {"string": gzip.compress(b'{"result":"success"}')},
    },
    "one header value": {**plain(), "headers": {"Content-Type": "application/json"}},
    "other keys": {**plain(), "extra": {"nested": [1, 2]}},
    "text body": {**plain(), "body": {"string": '{"result":"success"}'}},
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_copy_equals_vcrpys_decoded_response(shape: str) -> None:
    response = SHAPES[shape]
    assert decoded_response(response) == filters.decode_response(response)


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_changing_the_copy_leaves_what_the_client_reads_alone(shape: str) -> None:
    response = copy.deepcopy(SHAPES[shape])
    before = copy.deepcopy(response)
    copied = decoded_response(response)
    for part in ("status", "headers", "body"):
        section = copied[part]
        if isinstance(section, dict):
            for key, value in list(section.items()):
                if isinstance(value, list):
                    value.append("changed")
                section[key] = "changed"
    copied["extra"] = "changed"
    assert response == before
