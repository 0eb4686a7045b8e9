"""Every bad input is a clear error naming the file, option or endpoint, and nothing recorded is lost.

One table: cassettes, options, ini values, credentials, schemas and bodies. Each case runs pytest
as a user would and checks the message, that no traceback of the plugin's own and no internal error
is printed, and that the files involved are left exactly as they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

TICKERS_TEST = 'def test_t(kf_session):\n    kf_session.get("tickers")\n'
CASSETTE = "cassettes/test_c/test_t.yaml"
TIME = "2026-01-01T00:00:00.000Z"


def interaction(**changes: Any) -> dict[str, Any]:
    """A recorded GET /tickers, with parts replaced (``request`` / ``response`` / their keys)."""
    request = {"method": "GET", "uri": "https://futures.kraken.com/derivatives/api/v3/tickers", "body": None}
    request["headers"] = {}
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": ["application/json"]},
        "body": {"json": {"result": "success", "serverTime": TIME, "tickers": []}},
    }
    for key, value in changes.items():
        side, _, name = key.partition("__")
        target = request if side == "request" else response
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return {"request": request, "response": response}


def cassette(*interactions: Any, **top: Any) -> str:
    document = {"provenance": {"environment": "sim"}, "version": 1, "interactions": list(interactions), **top}
    return yaml.safe_dump(document, sort_keys=False)


def malformed(detail: str) -> str:
    return (
        f"*CassetteError: cassette */{CASSETTE} is malformed ({detail}); it was left untouched: fix it, or delete it*"
    )


@dataclass
class Case:
    """One bad input: the files of the project, how pytest is run, and what it must say."""

    id: str
    files: dict[str, str | bytes]
    says: list[str]
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    usage_error: bool = False
    read_only: str | None = None


def body_test(call: str) -> dict[str, str | bytes]:
    return {"test_c.py": f"def test_t(kf_contract):\n    kf_contract({call})\n"}


RECORD = ("--kf-record-mode=once", "--kf-env=sim")
SCHEMA_INI = "[pytest]\nkf_schema_dir = myschemas\n"

CASES = [
    # Cassettes
    Case("cassette: unclosed YAML", {CASSETTE: "interactions: [unclosed\n"}, [malformed("while parsing*")]),
    Case(
        "cassette: a list", {CASSETTE: "- one\n- two\n"}, [malformed("expected a mapping with an 'interactions' list")]
    ),
    Case("cassette: empty file", {CASSETTE: ""}, [malformed("expected a mapping with an 'interactions' list")]),
    Case("cassette: interactions not a list", {CASSETTE: "interactions: 5\n"}, [malformed("expected a mapping*")]),
    Case(
        "cassette: interaction without a response",
        {CASSETTE: cassette({"request": interaction()["request"]})},
        [malformed("interaction 1 needs a 'request' and a 'response'")],
    ),
    Case(
        "cassette: request without a uri",
        {CASSETTE: cassette(interaction(request__uri=None))},
        [malformed("interaction 1: the request needs a 'uri' string")],
    ),
    Case(
        "cassette: method is a number",
        {CASSETTE: cassette(interaction(request__method=5))},
        [malformed("interaction 1: the request needs a 'method' string")],
    ),
    Case(
        "cassette: request body is a list",
        {CASSETTE: cassette(interaction(request__body=[1]))},
        [malformed("interaction 1: the request body must be text, not list")],
    ),
    Case(
        "cassette: request headers are a list",
        {CASSETTE: cassette(interaction(request__headers=["a"]))},
        [malformed("interaction 1: the request headers must be a mapping of names to values, not list [[]'a'[]]")],
    ),
    Case(
        "cassette: status is a number",
        {CASSETTE: cassette(interaction(response__status=200))},
        [malformed("interaction 1: the response needs a 'status' mapping")],
    ),
    Case(
        "cassette: status code abc",
        {CASSETTE: cassette(interaction(response__status={"code": "abc", "message": "OK"}))},
        [malformed("interaction 1: the response status code must be an HTTP status (100-599), not 'abc'")],
    ),
    Case(
        "cassette: status code 999",
        {CASSETTE: cassette(interaction(response__status={"code": 999}))},
        [malformed("interaction 1: the response status code must be an HTTP status (100-599), not 999")],
    ),
    Case(
        "cassette: response headers are 7",
        {CASSETTE: cassette(interaction(response__headers=7))},
        [malformed("interaction 1: the response headers must be a mapping of names to values, not int 7")],
    ),
    Case(
        "cassette: a header value is a number",
        {CASSETTE: cassette(interaction(response__headers={"Content-Type": [5]}))},
        [malformed("interaction 1: the response header 'Content-Type' must have text values, not [[]5[]]")],
    ),
    Case(
        "cassette: body is a number",
        {CASSETTE: cassette(interaction(response__body=5))},
        [malformed("a response body must be a mapping with 'string' or 'json', not int")],
    ),
    Case(
        "cassette: version 99",
        {CASSETTE: cassette(interaction(), version=99)},
        [malformed("cassette format version 99 is not one this plugin reads (1)")],
    ),
    Case(
        "cassette: provenance is a number",
        {CASSETTE: cassette(interaction(), provenance=7)},
        [malformed("the 'provenance' block must be a mapping")],
    ),
    Case(
        "cassette: a Python object tag",
        {CASSETTE: "interactions: !!python/object:os.system {}\n"},
        [malformed("*could not determine a constructor*")],
    ),
    Case("cassette: not UTF-8", {CASSETTE: b"\xff\xfe\x00interactions: []\n"}, [malformed("'utf-8' codec can't*")]),
    Case(
        "cassette: a directory in its place",
        {f"{CASSETTE}/keep": ""},
        [f"*CassetteError: cassette */{CASSETTE} is a directory, not a file: remove or rename it*"],
    ),
    Case(
        "cassette: malformed, recording once",
        {CASSETTE: "interactions: [unclosed\n"},
        [malformed("while parsing*")],
        args=RECORD,
    ),
    Case(
        "cassette: malformed, recording all",
        {CASSETTE: "interactions: [unclosed\n"},
        [malformed("while parsing*")],
        args=("--kf-record-mode=all", "--kf-env=sim"),
    ),
    Case(
        "cassette: malformed, new episodes",
        {CASSETTE: cassette(interaction(response__headers=7))},
        [malformed("interaction 1: the response headers must be a mapping*")],
        args=("--kf-record-mode=new_episodes", "--kf-env=sim"),
    ),
    Case(
        "cassette: read-only, re-recorded",
        {CASSETTE: cassette(interaction())},
        [f"*CassetteError: cassette */{CASSETTE} is read-only, so it was not replaced: make it writable (chmod u+w*"],
        args=("--kf-record-mode=rewrite", "--kf-env=sim"),
        read_only=CASSETTE,
    ),
    Case(
        "cassette: the body is not JSON",
        {
            CASSETTE: cassette(interaction(response__body={"string": "<html>Bad Gateway</html>"})),
            "test_c.py": 'def test_t(kf_session, kf_contract):\n    kf_contract(kf_session.get("tickers"))\n',
        },
        [
            "*ContractViolation: GET /derivatives/api/v3/tickers (getTickers): the body is not JSON (HTTP 200, "
            "application/json): '<html>Bad Gateway</html>'",
            f"*cassette: */{CASSETTE}",
        ],
    ),
    Case(
        "cassette: result succezz",
        {
            CASSETTE: cassette(
                interaction(response__body={"json": {"result": "succezz", "serverTime": TIME, "tickers": []}})
            ),
            "test_c.py": 'def test_t(kf_session, kf_contract):\n    kf_contract(kf_session.get("tickers"))\n',
        },
        ["*ContractViolation: GET /derivatives/api/v3/tickers (getTickers): the envelope's result is 'succezz'*"],
    ),
    # Options and ini values
    Case(
        "option: record mode",
        {},
        ["*--kf-record-mode: 'sometimes' is not a record mode; use one of: none, once, new_episodes, all, rewrite"],
        args=("--kf-record-mode=sometimes",),
        usage_error=True,
    ),
    Case(
        "option: environment scheme",
        {},
        ["*--kf-env: 'ftp://x' is not an environment: use 'live', 'sim' or a URL such as http://127.0.0.1:8080"],
        args=("--kf-env=ftp://x",),
        usage_error=True,
    ),
    Case(
        "option: demo environment",
        {},
        ["*--kf-env: the Kraken Futures demo environment (demo-futures.kraken.com) was retired on 14 July 2026*"],
        args=("--kf-env=demo",),
        usage_error=True,
    ),
    Case(
        "option: transfers without trading",
        {},
        ["*--kf-allow-transfers allows withdrawals and transfers on top of --kf-allow-trading; give both"],
        args=("--kf-allow-transfers",),
        usage_error=True,
    ),
    Case(
        "ini: kf_env",
        {"pytest.ini": "[pytest]\nkf_env = nowhere\n"},
        ["*kf_env: 'nowhere' is not an environment*"],
        usage_error=True,
    ),
    Case(
        "ini: kf_simulator_seed",
        {"pytest.ini": "[pytest]\nkf_simulator_seed = abc\n"},
        ["*kf_simulator_seed: 'abc' is not an integer"],
        usage_error=True,
    ),
    Case(
        "ini: kf_simulator_clock",
        {"pytest.ini": "[pytest]\nkf_simulator_clock = noon\n"},
        ["*kf_simulator_clock: 'noon' is not an ISO-8601 time such as 2026-01-01T00:00:00Z"],
        usage_error=True,
    ),
    Case(
        "ini: kf_cassette_dir is a file",
        {"pytest.ini": "[pytest]\nkf_cassette_dir = notes.txt\n", "notes.txt": "x"},
        ["*kf_cassette_dir: */notes.txt is a file, not a directory of cassettes"],
        usage_error=True,
    ),
    Case(
        "ini: kf_schema_dir missing",
        {"pytest.ini": "[pytest]\nkf_schema_dir = nowhere\n"},
        ["*kf_schema_dir: */nowhere is not a directory"],
        usage_error=True,
    ),
    Case(
        "ini: kf_scrub_fields",
        {"pytest.ini": "[pytest]\nkf_scrub_fields = order.id\n"},
        ["*kf_scrub_fields: 'order.id' is not a field name (letters, digits, '_' and '-' only)"],
        usage_error=True,
    ),
    Case(
        "ini: unknown kf_ key",
        {"pytest.ini": "[pytest]\nkf_casette_dir = c\n"},
        ["*Unknown config option: kf_casette_dir"],
        args=("--strict-config",),
        usage_error=True,
    ),
    # Credentials
    Case(
        "credentials: key without secret",
        {"test_c.py": TICKERS_TEST},
        ["*ConfigurationError: KRAKEN_FUTURES_API_SECRET is not set; set both KRAKEN_FUTURES_API_KEY and*"],
        args=RECORD,
        env={"KRAKEN_FUTURES_API_KEY": "k" * 20},
    ),
    Case(
        "credentials: secret not base64",
        {"test_c.py": TICKERS_TEST},
        ["*SigningError: the API secret is not valid base64; copy it again from Kraken's API key page*"],
        args=RECORD,
        env={"KRAKEN_FUTURES_API_KEY": "k" * 20, "KRAKEN_FUTURES_API_SECRET": "not base64!"},
    ),
    # Schemas
    Case(
        "schema: not JSON",
        {"pytest.ini": SCHEMA_INI, "myschemas/getTickers.json": "{oops"},
        ["*kf_schema_dir: schema file */myschemas/getTickers.json is not valid JSON: Expecting property name*"],
        usage_error=True,
    ),
    Case(
        "schema: not a schema",
        {"pytest.ini": SCHEMA_INI, "myschemas/getTickers.json": '{"type": 5}'},
        [
            "*kf_schema_dir: schema file */myschemas/getTickers.json is not a valid JSON Schema (Draft 2020-12): "
            "at $.type: 5 is not valid under any of the given schemas; fix it, or remove it*"
        ],
        usage_error=True,
    ),
    Case(
        "schema: a list",
        {"pytest.ini": SCHEMA_INI, "myschemas/getTickers.json": "[1]"},
        ["*kf_schema_dir: schema file */myschemas/getTickers.json must hold a JSON object, not list"],
        usage_error=True,
    ),
    Case(
        "schema: not UTF-8",
        {"pytest.ini": SCHEMA_INI, "myschemas/getTickers.json": b"\xff{}"},
        ["*kf_schema_dir: schema file */myschemas/getTickers.json is not UTF-8 text"],
        usage_error=True,
    ),
    # Bodies given to kf_contract
    Case(
        "body: None",
        body_test('None, "getTickers"'),
        ["*ContractUsageError: assert_contract takes a requests or httpx response, a decoded JSON body*got NoneType*"],
    ),
    Case(
        "body: outcome is a number",
        body_test('{"result": "success"}, "getTickers", outcome=5'),
        ["*ContractUsageError: outcome= must be a string such as 'success'*not int 5"],
    ),
    Case(
        "body: unknown endpoint id",
        body_test('{"result": "success"}, "getTicker5"'),
        ["*UnknownEndpoint: no Kraken Futures endpoint with id 'getTicker5'; did you mean getTicker, getTickers*"],
    ),
    Case(
        "body: HTML text",
        body_test('"<!DOCTYPE html><title>502</title>", "getTickers"'),
        ["*ContractViolation: GET /derivatives/api/v3/tickers (getTickers): the body is not JSON: '<!DOCTYPE html>*"],
    ),
    Case(
        "body: error without a word",
        body_test('\'{"result": "error", "serverTime": "x"}\', "getTickers", outcome="error"'),
        ["*ContractViolation: *: an error envelope with neither 'error' nor 'errors': nothing says what failed*"],
    ),
    Case(
        "body: not a body at all",
        body_test('42, "getTickers"'),
        ["*ContractUsageError: assert_contract takes a requests or httpx response*got int"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_a_clear_error_and_loses_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    for name in ("KRAKEN_FUTURES_API_KEY", "KRAKEN_FUTURES_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    files = {"test_c.py": TICKERS_TEST, **case.files}
    before: dict[str, bytes] = {}
    for name, content in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        before[name] = path.read_bytes()
    if case.read_only:
        os.chmod(pytester.path / case.read_only, 0o444)
    result = pytester.runpytest("-p", "no:cacheprovider", *case.args)
    output = result.stdout.str() + result.stderr.str()
    if case.usage_error:
        assert result.ret == pytest.ExitCode.USAGE_ERROR, output
        result.stderr.fnmatch_lines(case.says)
    else:
        assert result.ret == pytest.ExitCode.TESTS_FAILED, output
        result.stdout.fnmatch_lines(case.says)
    assert "Traceback" not in output
    assert "INTERNALERROR" not in output
    assert "pytest_krakenfutures/" not in output, "a frame of the plugin's own is shown"
    for name, content in before.items():
        assert (pytester.path / name).read_bytes() == content, name
    assert not list(pytester.path.rglob("*.tmp"))
