"""The replay adapter's answer carries the headers vcrpy's stub response would, for every shape recorded."""

from __future__ import annotations

from http.client import HTTPException
from typing import Any

import pytest
from urllib3 import HTTPHeaderDict
from vcr.stubs import VCRHTTPResponse

from pytest_krakenfutures.replay_adapter import recorded_message, replay_response

SHAPES: dict[str, dict[str, list[str]]] = {
    "none": {},
    "one each": {"Content-Type": ["application/json"], "Content-Length": ["2"]},
    "repeated": {"Set-Cookie": ["a=1; Path=/", "b=2"], "Vary": ["Accept", "Origin"]},
    "lower case": {"content-type": ["text/csv"], "date": ["Tue, 01 Dec 2026 19:00:00 GMT"]},
    "blanks around": {"X-Padded": ["  left", "right  ", "\tboth\t"]},
    "not ascii": {"X-Name": ["héllo wörld"]},
    "empty": {"X-Empty": [""]},
    "chunked": {"Transfer-Encoding": ["chunked"], "Content-Type": ["application/json"]},
    "line break": {"X-Folded": ["one\r\n two"], "X-Other": ["a\nb"]},
    "odd name": {"Bad Name": ["x"], "X:Colon": ["y"]},
    "control": {"X-Tab": ["a\tb"], "X-Vertical": ["a\x0bb"], "X-Next-Line": ["\u00c5"]},
    "many": {f"X-{number}": [str(number)] for number in range(101)},
    "longest line": {"X": ["a" * 65532]},
}

#: The stub's fields compared by what they hold rather than by identity.
_BY_VALUE = ("msg", "headers", "_content", "recorded_response")


#: The shapes a response can be made of (more headers than ``http.client`` reads fail, as in vcrpy).
READABLE = [name for name in SHAPES if name != "many"]


def _recorded(headers: dict[str, list[str]]) -> dict[str, Any]:
    """Return a recorded answer with these headers (a fresh copy: vcrpy's stub edits them)."""
    copied = {name: list(values) for name, values in headers.items()}
    return {"status": {"code": 200, "message": "OK"}, "headers": copied, "body": {"string": b"{}"}}


def _contents(message: Any) -> dict[str, Any]:
    """Return what a parsed message holds, its defects by kind (they compare by identity)."""
    return {**vars(message), "defects": [type(defect) for defect in message.defects]}


@pytest.mark.parametrize("shape", READABLE, ids=str)
def test_the_headers_are_those_of_vcrpys_stub(shape: str) -> None:
    ours = replay_response(_recorded(SHAPES[shape]), "http://simulator.invalid/").headers
    theirs = HTTPHeaderDict(VCRHTTPResponse(_recorded(SHAPES[shape])).getheaders())
    assert dict(ours) == dict(theirs)
    assert {name: ours.getlist(name) for name in ours} == {name: theirs.getlist(name) for name in theirs}


def test_a_value_is_read_as_vcrpy_reads_it() -> None:
    held = replay_response(_recorded({"X-Name": [" héllo"], "Set-Cookie": ["a=1", "b=2"]}), "http://x/").headers
    assert held["x-name"] == "hÃ©llo"
    assert held.getlist("set-cookie") == ["a=1", "b=2"]


@pytest.mark.parametrize("shape", [name for name in READABLE if name != "chunked"], ids=str)
def test_the_message_is_the_one_vcrpys_stub_parses(shape: str) -> None:
    theirs = VCRHTTPResponse(_recorded(SHAPES[shape])).msg
    ours = recorded_message(_recorded(SHAPES[shape])["headers"])
    assert type(ours) is type(theirs)
    assert _contents(ours) == _contents(theirs)


def test_more_headers_than_http_client_reads_fail_as_in_vcrpy() -> None:
    with pytest.raises(HTTPException, match="got more than 100 headers") as theirs:
        VCRHTTPResponse(_recorded(SHAPES["many"]))
    with pytest.raises(type(theirs.value), match=str(theirs.value)):
        replay_response(_recorded(SHAPES["many"]), "http://simulator.invalid/")


def test_a_longer_line_than_http_client_reads_fails_as_in_vcrpy() -> None:
    headers = {"X": ["a" * 65533]}
    with pytest.raises(HTTPException, match="got more than 65536 bytes") as theirs:
        VCRHTTPResponse(_recorded(headers))
    with pytest.raises(type(theirs.value), match=str(theirs.value)):
        replay_response(_recorded(headers), "http://simulator.invalid/")


@pytest.mark.parametrize("shape", READABLE, ids=str)
def test_the_response_is_the_one_vcrpys_stub_makes(shape: str) -> None:
    recorded_theirs, recorded_ours = _recorded(SHAPES[shape]), _recorded(SHAPES[shape])
    theirs = VCRHTTPResponse(recorded_theirs, "http://simulator.invalid/")
    ours = replay_response(recorded_ours, "http://simulator.invalid/")
    assert type(ours) is type(theirs)
    assert vars(ours).keys() == vars(theirs).keys()
    assert {name: value for name, value in vars(ours).items() if name not in _BY_VALUE} == {
        name: value for name, value in vars(theirs).items() if name not in _BY_VALUE
    }
    assert _contents(ours.msg) == _contents(theirs.msg)
    assert dict(ours.headers) == dict(HTTPHeaderDict(theirs.getheaders()))
    assert recorded_ours == recorded_theirs, "the recorded answer is edited alike (Transfer-Encoding dropped)"
    assert ours.recorded_response is recorded_ours
    assert ours._original_response is ours
    assert ours.read() == theirs.read() == b"{}"
