"""The replay adapter's headers are those urllib3 makes of vcrpy's stub response, for every shape recorded."""

from __future__ import annotations

from typing import Any

import pytest
from urllib3 import HTTPHeaderDict
from vcr.stubs import VCRHTTPResponse

from pytest_krakenfutures.replay_adapter import recorded_headers

SHAPES: dict[str, dict[str, list[str]]] = {
    "none": {},
    "one each": {"Content-Type": ["application/json"], "Content-Length": ["2"]},
    "repeated": {"Set-Cookie": ["a=1; Path=/", "b=2"], "Vary": ["Accept", "Origin"]},
    "lower case": {"content-type": ["text/csv"], "date": ["Tue, 01 Dec 2026 19:00:00 GMT"]},
    "blanks around": {"X-Padded": ["  left", "right  ", "\tboth\t"]},
    "not ascii": {"X-Name": ["héllo wörld"]},
    "empty": {"X-Empty": [""]},
}


def _vcrpy_headers(headers: dict[str, list[str]]) -> HTTPHeaderDict:
    """Return the headers urllib3 would hold for vcrpy's stub response of a recorded answer."""
    recorded: dict[str, Any] = {"status": {"code": 200, "message": "OK"}, "headers": headers, "body": {"string": b""}}
    return HTTPHeaderDict(VCRHTTPResponse(recorded).getheaders())


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_headers_are_those_of_vcrpys_stub(shape: str) -> None:
    headers = SHAPES[shape]
    ours = recorded_headers(headers)
    theirs = _vcrpy_headers(headers)
    assert dict(ours) == dict(theirs)
    assert {name: ours.getlist(name) for name in ours} == {name: theirs.getlist(name) for name in theirs}


def test_a_value_is_read_as_vcrpy_reads_it() -> None:
    held = recorded_headers({"X-Name": [" héllo"], "Set-Cookie": ["a=1", "b=2"]})
    assert held["x-name"] == "hÃ©llo"
    assert held.getlist("set-cookie") == ["a=1", "b=2"]
