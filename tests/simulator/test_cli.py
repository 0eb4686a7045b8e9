"""``python -m pytest_krakenfutures.simulator``: startup line, serving, clean stop, no leaked secret."""

from __future__ import annotations

import base64
import re
import select
import signal
import subprocess
import sys

import pytest
import requests

from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET

from .conftest import V3

KEY = "cli-test-key"
SECRET = base64.b64encode(b"secret used only by the command line test").decode()
BANNER = re.compile(r"Kraken Futures simulator listening on (http://127\.0\.0\.1:(\d+))\n")


def start(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pytest_krakenfutures.simulator", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def first_line(process: subprocess.Popen[str], timeout: float = 15) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        pytest.fail("the simulator printed nothing in time")
    return process.stdout.readline()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_serves_until_signalled_and_never_shows_the_secret(stop_signal: signal.Signals) -> None:
    process = start(
        "--host", "127.0.0.1", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
        "--seed", "3", "--clock", "2026-01-01T00:00:00Z",
    )  # fmt: skip
    try:
        line = first_line(process)
        match = BANNER.fullmatch(line)
        assert match, line
        base_url = match.group(1)
        assert int(match.group(2)) > 0
        public = requests.get(f"{base_url}{V3}/tickers", timeout=10).json()
        assert public["serverTime"] == "2026-01-01T00:00:00.000Z"
        private = requests.get(f"{base_url}{V3}/accounts", auth=KrakenFuturesAuth(KEY, SECRET), timeout=10)
        assert private.json()["result"] == "success"
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == ""  # the banner was the only output
    assert err == ""  # no access log, no traceback
    assert SECRET not in line + out + err


def test_cli_defaults_to_the_dummy_credentials() -> None:
    process = start("--port", "0")
    try:
        match = BANNER.fullmatch(first_line(process))
        assert match
        response = requests.get(
            f"{match.group(1)}{V3}/openpositions",
            auth=KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET, nonce=None),
            timeout=10,
        )
        assert response.json()["openPositions"] == []
        process.terminate()
        process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--api-secret", "this is not base64 !!"], "--api-secret"),
        (["--port", "eighty"], "--port"),
        (["--clock", "yesterday"], "clock"),
    ],
)
def test_cli_bad_argument_is_a_one_line_error(args: list[str], mentions: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_krakenfutures.simulator", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert mentions in result.stderr
    assert "Traceback" not in result.stderr
    assert "this is not base64 !!" not in result.stderr


def test_cli_accepts_a_read_only_key_that_may_not_trade() -> None:
    process = start(
        "--read-only-api-key", KEY, "--read-only-api-secret", SECRET, "--seed", "1", "--clock", "2026-01-01T00:00:00Z"
    )
    try:
        match = BANNER.fullmatch(first_line(process))
        assert match
        url = f"{match.group(1)}{V3}"
        reader = KrakenFuturesAuth(KEY, SECRET)
        assert requests.get(f"{url}/accounts", auth=reader, timeout=10).json()["result"] == "success"
        order = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}
        refused = requests.post(f"{url}/sendorder", data=order, auth=KrakenFuturesAuth(KEY, SECRET), timeout=10)
        assert refused.json()["error"] == "authenticationError"
        trader = KrakenFuturesAuth(DUMMY_API_KEY, DUMMY_API_SECRET)
        assert requests.post(f"{url}/sendorder", data=order, auth=trader, timeout=10).json()["result"] == "success"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_needs_both_halves_of_the_read_only_key() -> None:
    process = start("--read-only-api-key", KEY)
    _, err = process.communicate(timeout=15)
    assert process.returncode == 2
    assert "--read-only-api-key and --read-only-api-secret go together" in err
