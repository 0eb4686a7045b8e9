"""No request breaks the simulator: bounded control values, 64-bit nonces, JSON for every failure, a fuzz."""

from __future__ import annotations

import json
import logging
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from http.client import HTTPConnection
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import requests

from pytest_krakenfutures import KrakenFuturesSession, catalog
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.signing import compute_authent
from pytest_krakenfutures.simulator import Simulator

from .conftest import V3

CONTROL = "/simulator/v1"
ORDER = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}


@pytest.fixture
def moving() -> Iterator[Simulator]:
    """A simulator on the real clock, whose prices move with every second (as in realistic mode)."""
    with Simulator() as simulator:
        yield simulator


def signed_get(simulator: Simulator, path: str, nonce: str) -> requests.Response:
    authent = compute_authent(simulator.api_secret, path, "", nonce)
    headers = {"APIKey": simulator.api_key, "Authent": authent, "Nonce": nonce}
    return requests.get(simulator.base_url + path, headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("path", "fields", "says"),
    [
        ("markets/PF_XBTUSD", {"markPrice": "1e300"}, None),
        ("markets/PF_XBTUSD", {"markPrice": "1e10"}, "markPrice 10000000000 is outside 96.01037 to 96010370"),
        ("markets/PF_XBTUSD", {"markPrice": "0.01"}, "markPrice 0.01 is outside"),
        ("markets/PF_XBTUSD", {"markPrice": "-5"}, "markPrice -5 is outside"),
        ("markets/PF_XBTUSD", {"markPrice": "nan"}, None),
        ("markets/PF_XBTUSD", {"markPrice": "Infinity"}, None),
        ("markets/PF_XBTUSD", {"indexPrice": "1e12"}, "indexPrice 1000000000000 is outside"),
        ("markets/PF_XBTUSD", {"book": "sideways"}, "book must be follow or keep"),
        ("markets/PF_NOPE", {"markPrice": "1"}, "no contract 'PF_NOPE'"),
        ("clock", {"advance": "-1"}, "advance must be a number of seconds from 0 to 86400"),
        ("clock", {"advance": "1e9"}, "advance must be a number of seconds from 0 to 86400"),
        ("markets/PF_XBTUSD/trade", {"side": "sell", "size": "0", "price": "90000"}, "size must be above 0"),
        ("markets/PF_XBTUSD/trade", {"side": "sell", "size": "1e7", "price": "90000"}, "at most 1000000"),
        ("markets/PF_XBTUSD/trade", {"side": "sell", "size": "1", "price": "1e9"}, "price 1000000000 is outside"),
    ],
)
def test_control_values_out_of_bounds_are_refused_and_nothing_breaks(
    moving: Simulator, path: str, fields: dict[str, str], says: str | None
) -> None:
    response = requests.post(f"{moving.base_url}{CONTROL}/{path}", data=fields, timeout=10)
    assert response.status_code == 400
    body = response.json()
    assert (body["result"], body["error"]) == ("error", "invalidArgument")
    if says is not None:
        assert says in body["message"]
    time.sleep(1.1)  # the next request moves prices along their drift
    for _ in range(3):
        tickers = requests.get(f"{moving.base_url}{V3}/tickers", timeout=10)
        assert tickers.status_code == 200
        assert tickers.json()["result"] == "success"


def test_a_price_within_bounds_still_moves_the_market(moving: Simulator) -> None:
    response = requests.post(f"{moving.base_url}{CONTROL}/markets/PF_XBTUSD", data={"markPrice": "9601037"}, timeout=10)
    assert response.json()["market"]["markPrice"] == 9601037
    time.sleep(1.1)
    assert requests.get(f"{moving.base_url}{V3}/tickers", timeout=10).status_code == 200


@pytest.mark.parametrize(
    "nonce", ["1" * 101, str(2**63), str(2**64), "-5", "1.5", "0x10", "1e5", "12 "], ids=lambda n: n[:24]
)
def test_a_nonce_that_is_not_a_64_bit_integer_is_refused_and_leaves_the_threshold(
    nonce: str, moving: Simulator
) -> None:
    refused = signed_get(moving, f"{V3}/accounts", nonce)
    assert refused.json() == {
        "result": "error",
        "serverTime": refused.json()["serverTime"],
        "error": "authenticationError",
    }
    assert signed_get(moving, f"{V3}/accounts", str(time.time_ns() // 1000)).json()["result"] == "success"


@pytest.mark.parametrize(("window", "late_accepted"), [(1.0, True), (0.0, False)])
def test_the_nonce_window_sets_the_tolerance(window: float, late_accepted: bool) -> None:
    with Simulator(nonce_window=window) as simulator:
        now = time.time_ns() // 1000
        assert signed_get(simulator, f"{V3}/accounts", str(now)).json()["result"] == "success"
        late = signed_get(simulator, f"{V3}/accounts", str(now - 1000)).json()
        assert (late["result"] == "success") is late_accepted
        if not late_accepted:
            assert late["error"] == "nonceBelowThreshold"


def test_the_command_line_takes_a_nonce_window() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_krakenfutures.simulator", "--nonce-window", "-1"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "the nonce window must be 0 to 3600 seconds, not -1.0" in result.stderr


def test_an_exception_inside_a_request_or_the_clock_answers_json_and_the_simulator_serves_on(
    moving: Simulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(call: Any) -> Any:
        raise ZeroDivisionError("a bug in a handler")

    monkeypatch.setitem(moving.app.handlers, "getTickers", broken)
    with caplog.at_level(logging.ERROR):
        response = requests.get(f"{moving.base_url}{V3}/tickers", timeout=10)
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert (body["result"], body["status"], body["errors"][0]["message"]) == (
        "error",
        "INTERNAL_SERVER_ERROR",
        "500 INTERNAL_SERVER_ERROR",
    )
    assert "ZeroDivisionError: a bug in a handler" in caplog.text
    monkeypatch.undo()
    original = moving.exchange.tick
    calls = iter([True])

    def tick_once_broken() -> Any:
        if next(calls, False):
            raise ArithmeticError("a bug in the clock")
        return original()

    monkeypatch.setattr(moving.exchange, "tick", tick_once_broken)
    assert requests.get(f"{moving.base_url}{V3}/instruments", timeout=10).status_code == 500
    assert requests.get(f"{moving.base_url}{V3}/instruments", timeout=10).json()["result"] == "success"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"\x16\x03\x01 junk HTTP/1.1\r\n\r\n", 404),
        (b"GET /derivatives/api/v3/tickers HTTP/9.9\r\n\r\n", 505),
        (b"GET /derivatives/api/v3/tickers HTTP/1.1 extra words\r\n\r\n", 400),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
    ids=["not a method", "HTTP/9.9", "extra words", "70 KB request line"],
)
def test_a_request_that_is_not_http_is_answered_with_json(moving: Simulator, raw: bytes, status: int) -> None:
    with socket.create_connection((moving.host, moving.port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.decode("latin-1").partition("\r\n\r\n")
    assert head.split(" ")[1] == str(status), head
    assert "Content-Type: application/json" in head
    assert json.loads(body)["result"] == "error"


# -- the fuzz ------------------------------------------------------------------------------------

JUNK = [
    "",
    " ",
    "0",
    "-1",
    "1e300",
    "-1e-300",
    "nan",
    "Infinity",
    "9" * 400,
    "1_000",
    "0x1F",
    "%zz",
    "%00",
    "\u00fc\u00df",
    "\U0001f4a5",
    "[]",
    "{}",
    "null",
    "true",
    "a" * 5000,
    "../../etc/passwd",
    "<script>",
    "PF_XBTUSD",
    "pf_xbtusd",
    "PI_XBTUSD",
    "buy",
    "sell",
    "lmt",
    "mkt",
    "stp",
    "post",
    "ioc",
    "fok",
    "2026-01-01T00:00:00Z",
    "2026-13-45",
    "1700000000000",
    "-999999999999999999999",
    "0.000000000000000000001",
]
FIELDS = [
    "symbol",
    "side",
    "size",
    "limitPrice",
    "stopPrice",
    "orderType",
    "orderId",
    "cliOrdId",
    "reduceOnly",
    "triggerSignal",
    "trailingStopMaxDeviation",
    "trailingStopDeviationUnit",
    "processBefore",
    "qtyMode",
    "since",
    "before",
    "sort",
    "count",
    "continuation_token",
    "tradeable",
    "lastFillTime",
    "timeout",
    "fromUser",
    "toUser",
    "fromAccount",
    "toAccount",
    "unit",
    "amount",
    "currency",
    "sourceWallet",
    "maxLeverage",
    "pnlPreference",
    "strategy",
    "interval",
    "from",
    "to",
    "contractType",
    "tradingEnabled",
    "markPrice",
    "indexPrice",
    "state",
    "dislocation",
    "book",
    "advance",
    "price",
    "json",
    "orderIds",
]
NONCES = ["", "-1", "1" * 101, str(2**63), str(2**64 + 7), "1.0", "abc", " 5", "0"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]


def junk_value(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return json.dumps(
            {
                "batchOrder": [
                    {"order": rng.choice(["send", "edit", "cancel", "x"]), rng.choice(FIELDS): rng.choice(JUNK)}
                ]
            }
        )
    return rng.choice(JUNK)


def junk_fields(rng: random.Random) -> list[tuple[str, str]]:
    return [(rng.choice(FIELDS), junk_value(rng)) for _ in range(rng.randint(0, 8))]


def junk_path(rng: random.Random, path: str) -> str:
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + quote(rng.choice(JUNK), safe="") + path[end + 1 :]
    if rng.random() < 0.1:
        path += rng.choice(["/", "//x", "/..", ";x=1", "%2F..", "/" + "z" * 3000])
    return path


def fuzz_request(
    rng: random.Random, simulator: Simulator, routes: list[tuple[str, str]]
) -> tuple[str, str, bytes, dict[str, str]]:
    """One generated malformed request: method, target, body and headers (mostly a served method and path)."""
    method, path = rng.choice(routes)
    if rng.random() < 0.2:
        method = rng.choice(METHODS)
    path = junk_path(rng, path)
    query = urlencode(junk_fields(rng)) if rng.random() < 0.5 else ""
    kind = rng.random()
    if kind < 0.35:
        body = urlencode(junk_fields(rng)).encode()
    elif kind < 0.5:
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300)))
    elif kind < 0.6:
        body = b'{"result": "' + b"x" * rng.randint(0, 50) + b'", [}'
    elif kind < 0.65:
        body = b"size=" + b"9" * (2 << 20)
    else:
        body = b""
    headers = {
        "Content-Type": rng.choice(["application/x-www-form-urlencoded", "application/json", "text/plain", "\x7f", ""])
    }
    if rng.random() < 0.7:
        nonce = rng.choice([*NONCES, str(time.time_ns() // 1000)])
        headers["APIKey"] = rng.choice([simulator.api_key, "", "someone-else", "k" * 10000])
        headers["Nonce"] = nonce
        post_data = query + body.decode("utf-8", "replace")
        headers["Authent"] = (
            compute_authent(simulator.api_secret, path, post_data, nonce)
            if rng.random() < 0.6
            else "bm90IGEgc2lnbmF0dXJl"
        )
    if rng.random() < 0.05:
        headers["X-Padding"] = "p" * 60000
    target = path + (f"?{query}" if query else "")
    return method, target, body, headers


def test_three_hundred_malformed_requests_then_a_normal_call(moving: Simulator) -> None:
    rng = random.Random(20261201)
    routes = [(endpoint.method, endpoint.full_path) for endpoint in catalog.endpoints()] + [
        ("POST", f"{CONTROL}/clock"),
        ("POST", f"{CONTROL}/markets/{{symbol}}"),
        ("POST", f"{CONTROL}/markets/PF_XBTUSD"),
        ("POST", f"{CONTROL}/markets/PF_XBTUSD/trade"),
        ("GET", "/"),
        ("GET", "/derivatives/api/v3"),
    ]
    statuses: Counter[int] = Counter()
    not_json = []
    for number in range(300):
        method, target, body, headers = fuzz_request(rng, moving, routes)
        connection = HTTPConnection(moving.host, moving.port, timeout=30)
        try:
            connection.putrequest(method, target, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            content = response.read()
        except (TimeoutError, ConnectionError) as exc:
            pytest.fail(f"request {number} ({method} {target[:80]}) broke the connection: {exc!r}")
        finally:
            connection.close()
        statuses[response.status] += 1
        kind = response.headers.get("Content-Type", "")
        if method != "HEAD" and "csv" not in kind and "text/plain" not in kind:
            try:
                json.loads(content)
            except ValueError:
                not_json.append((number, method, target[:80], response.status, content[:80]))
    assert not not_json, not_json
    assert statuses[500] == 0, statuses
    session = KrakenFuturesSession(moving.base_url, DUMMY_API_KEY, DUMMY_API_SECRET)
    assert session.get("accounts").json()["result"] == "success"
    assert session.post("sendorder", data=ORDER).json()["sendStatus"]["status"] == "placed"
    assert session.get("tickers").json()["result"] == "success"
