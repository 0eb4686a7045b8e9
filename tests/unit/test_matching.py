"""Matching without nonces, and the checks of a test's vcrpy settings."""

from __future__ import annotations

import pytest
from vcr.request import Request

from pytest_krakenfutures import ConfigurationError
from pytest_krakenfutures.matching import body, comparable_body, query
from pytest_krakenfutures.vcr_options import check, merged

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


def request(uri: str, data: str = "", headers: dict[str, str] | None = None) -> Request:
    """A vcrpy request of a POST with a body."""
    return Request("POST", uri, data, headers or {})


def test_a_nonce_in_the_query_is_not_matched() -> None:
    query(request("https://h/p?a=1&nonce=5"), request("https://h/p?nonce=9&a=1"))
    with pytest.raises(AssertionError, match="recorded"):
        query(request("https://h/p?a=1&nonce=5"), request("https://h/p?a=2&nonce=5"))


@pytest.mark.parametrize(
    ("sent", "recorded", "headers"),
    [
        ("a=1&nonce=5&b=2", "b=2&Nonce=7&a=1", FORM),
        ('{"a": 1, "nonce": 5}', '{"nonce": 6, "a": 1}', JSON),
        ("", "", FORM),
    ],
)
def test_bodies_match_without_their_nonces(sent: str, recorded: str, headers: dict[str, str]) -> None:
    body(request("https://h/p", sent, headers), request("https://h/p", recorded, headers))


@pytest.mark.parametrize(
    ("sent", "recorded", "headers"),
    [
        ("a=1&nonce=5", "a=2&nonce=5", FORM),
        ("a=1&a=2", "a=2&a=1", FORM),  # the order of a repeated field counts
        ('{"a": 1}', '{"a": 2}', JSON),
        ("nonce=1", "nonce=1", {}),  # no form type: the bytes are compared, nonce and all
    ],
)
def test_bodies_that_differ_otherwise_do_not_match(sent: str, recorded: str, headers: dict[str, str]) -> None:
    if headers:
        with pytest.raises(AssertionError):
            body(request("https://h/p", sent, headers), request("https://h/p", recorded, headers))
    else:
        assert comparable_body(request("https://h/p", sent)) == b"nonce=1"


def test_a_json_body_that_does_not_parse_is_compared_as_bytes() -> None:
    assert comparable_body(request("https://h/p", "{not json", JSON)) == b"{not json"


def test_the_marker_wins_over_the_fixture_key_by_key() -> None:
    assert merged({"record_mode": "once", "match_on": ["host"]}, {"record_mode": "none"}) == {
        "record_mode": "none",
        "match_on": ["host"],
    }


def test_settings_become_options() -> None:
    options = check({"ignore_hosts": "hooks.example", "filter_headers": ["X-A"], "allow_playback_repeats": True}, "s")
    assert options.ignore_hosts == ("hooks.example",)
    assert options.vcr_arguments() == {"filter_headers": ["X-A"], "ignore_hosts": ["hooks.example"]}
    assert options.allow_playback_repeats


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"before_record_request": ["x"]}, "before_record_request holds 'x', which is not a function"),
        ({"allow_playback_repeats": "yes"}, "allow_playback_repeats must be True or False"),
        ({"ignore_hosts": [""]}, "ignore_hosts holds '', which is not a host name"),
        ({"match_on": [3]}, "match_on holds 3, neither a matcher name nor a function"),
        ({"filter_headers": 5}, "filter_headers must be a list, not 5"),
        ({"ignore_hosts": ["LocalHost."]}, "ignore_hosts may not name LocalHost."),
    ],
)
def test_wrong_settings_name_their_source(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^src: {message}".replace("(", r"\(").replace(".", r"\.")):
        check(settings, "src", ("localhost",))
