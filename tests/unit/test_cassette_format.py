"""The cassette file format: exact bodies, readable JSON, atomic writes and clear load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pytest_krakenfutures.cassette_format import AtomicPersister, CassetteSerializer, _Loader, exact_body, readable_body
from pytest_krakenfutures.errors import CassetteError


@pytest.mark.parametrize(
    "text",
    [
        '{"result":"success","tickers":[{"symbol":"PF_XBTUSD","last":91415.0,"fundingRate":-3.99e-09}]}',
        '{"openInterest":1950.596600000000000}',
        '{"a": 1}',
        '{"note":"caf\\u00e9"}',
        '{"note":"café"}',
        "[1,2]",
        "not json {",
        "",
    ],
)
def test_bodies_round_trip_exactly(text: str) -> None:
    stored = readable_body({"string": text})
    assert exact_body(stored) == {"string": text}


def test_compact_json_becomes_structured() -> None:
    assert readable_body({"string": '{"a":[1,"x"]}'}) == {"json": {"a": [1, "x"]}}
    assert readable_body({"string": '{"a": 1}'}) == {"string": '{"a": 1}'}


def _cassette(body: str) -> dict[str, object]:
    return {
        "version": 1,
        "interactions": [
            {
                "request": {"method": "GET", "uri": "https://futures.kraken.com/x", "body": None, "headers": {}},
                "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": body}},
            }
        ],
    }


def test_serializer_round_trip_with_provenance() -> None:
    serializer = CassetteSerializer({"environment": "sim", "recorded_at": "2026-01-01T00:00:00Z"})
    body = json.dumps({"result": "success", "values": [1.5, "2.50"]}, separators=(",", ":"))
    text = serializer.serialize(_cassette(body))
    assert text.startswith("provenance:\n  environment: sim\n")
    assert "json:" in text
    loaded = serializer.deserialize(text)
    assert loaded["interactions"][0]["response"]["body"] == {"string": body}


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("interactions: [unclosed\n", "while parsing"),
        ("- just a list\n", "expected a mapping with an 'interactions' list"),
        ("interactions:\n- request: {}\n", "needs a 'request' and a 'response'"),
        ("interactions:\n- request: {method: GET}\n  response: {status: {code: 200}}\n", "'uri' string"),
    ],
)
def test_malformed_cassettes_name_the_file(tmp_path: Path, text: str, detail: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(CassetteError) as info:
        AtomicPersister().load_cassette(path, CassetteSerializer())
    message = str(info.value)
    assert str(path) in message
    assert detail in message
    assert "left untouched" in message
    assert path.read_text() == text


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    from vcr.request import Request

    path = tmp_path / "deep" / "er" / "c.yaml"
    request = Request("GET", "https://futures.kraken.com/derivatives/api/v3/tickers", None, {})
    response = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b'{"a":1}'}}
    AtomicPersister().save_cassette(path, {"requests": [request], "responses": [response]}, CassetteSerializer())
    assert [p.name for p in path.parent.iterdir()] == ["c.yaml"]
    requests, responses = AtomicPersister().load_cassette(path, CassetteSerializer())
    assert requests[0].uri.endswith("/tickers")
    assert responses[0]["body"]["string"] == b'{"a":1}'


def test_rewrite_ignores_the_old_file(tmp_path: Path) -> None:
    from vcr.persisters.filesystem import CassetteNotFoundError

    path = tmp_path / "c.yaml"
    path.write_text("anything")
    with pytest.raises(CassetteNotFoundError):
        AtomicPersister(existing="replace").load_cassette(path, CassetteSerializer())
    assert path.read_text() == "anything"


def test_a_new_cassette_is_readable_by_the_team_and_an_old_one_keeps_its_mode(tmp_path: Path) -> None:
    persister = AtomicPersister()
    path = tmp_path / "new.yaml"
    persister.save_cassette(path, {"requests": [], "responses": []}, CassetteSerializer())
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    persister.save_cassette(path, {"requests": [], "responses": []}, CassetteSerializer())
    assert path.stat().st_mode & 0o777 == 0o600


YAML_DOCUMENTS = [
    "a: 1\nb: [x, 'y', 2.5, true, null, ~]\nc: {d: {e: ''}}\n",
    "a: &x [1, 2]\nb: *x\n",
    "&r [1, *r]\n",
    "c: {<<: {d: 1}, e: 2}\n",
    "f: !!binary aGVsbG8=\ng: 2026-01-01\ni: 0x1F\nj: .inf\nk: [yes, No, '1', 1_000]\n",
    "x: !!set {a, b}\ny: !!omap [a: 1, b: 2]\n",
    "{1: a, 1.5: b, null: c, true: d}\n",
    "a: 1\na: 2\n",
    "text: |\n  one\n  two\n",
    "''\n",
]


@pytest.mark.parametrize("text", YAML_DOCUMENTS)
def test_cassette_loader_builds_what_pyyaml_builds(text: str) -> None:
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    loaded = yaml.load(text, Loader=_Loader)
    assert repr(loaded) == repr(expected)
    assert type(loaded) is type(expected)


def test_cassette_loader_keeps_aliases_shared_and_refuses_what_pyyaml_refuses() -> None:
    shared = yaml.load("a: &x [1, 2]\nb: *x\n", Loader=_Loader)
    assert shared["a"] is shared["b"]
    recursive = yaml.load("&r [1, *r]\n", Loader=_Loader)
    assert recursive[1] is recursive
    with pytest.raises(yaml.constructor.ConstructorError, match="unhashable key"):
        yaml.load("? [1, 2]\n: 3\n", Loader=_Loader)
