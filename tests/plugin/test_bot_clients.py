"""A user's bot, through ccxt, python-kraken-sdk, httpx and aiohttp: recorded from the simulator, replayed offline.

The bot's tests use only ``@pytest.mark.kf_cassette`` and the ``kf_base_url`` / ``kf_credentials``
fixtures (or the ready-made client settings); no ``kf_session``. The replay runs in a process
with no network at all (a network namespace of its own, where unshare can make one).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BOT = '''
import asyncio
import time

import aiohttp
import ccxt
import ccxt.async_support
import httpx
import pytest
from kraken.futures import FuturesAsyncClient, Trade, User

from pytest_krakenfutures import compute_authent

pytestmark = pytest.mark.kf_cassette

V3 = "/derivatives/api/v3"


def signed(credentials, path, data=""):
    """The headers a hand-written client signs a Kraken Futures call with (ms nonces, as Kraken suggests)."""
    nonce = str(int(time.time() * 1000))
    return {
        "APIKey": credentials.api_key,
        "Nonce": nonce,
        "Authent": compute_authent(credentials.api_secret, V3 + path, data, nonce),
        "Content-Type": "application/x-www-form-urlencoded",
    }


@pytest.mark.kf_state(positions={"PF_XBTUSD": "0.01"})
def test_ccxt(kf_ccxt_config):
    exchange = ccxt.krakenfutures(kf_ccxt_config)
    assert exchange.fetch_balance()["info"]["result"] == "success"
    positions = exchange.fetch_positions(["BTC/USD:USD"])
    assert [p["contracts"] for p in positions] == [0.01]
    order = exchange.create_order("BTC/USD:USD", "limit", "buy", 0.001, 1000)
    assert exchange.cancel_order(order["id"], "BTC/USD:USD")["id"] == order["id"]


def test_ccxt_async(kf_ccxt_config):
    async def run():
        exchange = ccxt.async_support.krakenfutures(kf_ccxt_config)
        try:
            balance = await exchange.fetch_balance()
            order = await exchange.create_order("BTC/USD:USD", "limit", "buy", 0.001, 1000)
            return balance, order
        finally:
            await exchange.close()

    balance, order = asyncio.run(run())
    assert balance["info"]["result"] == "success" and order["id"]


@pytest.mark.kf_state(orders=[{"orderType": "lmt", "symbol": "PF_ETHUSD", "side": "sell", "size": "0.1",
                               "limitPrice": "9000", "cliOrdId": "seeded"}])
def test_kraken_sdk(kf_kraken_sdk_config):
    user = User(**kf_kraken_sdk_config)
    assert user.get_wallets()["result"] == "success"
    trade = Trade(**kf_kraken_sdk_config)
    assert [o["cliOrdId"] for o in user.get_open_orders()["openOrders"]] == ["seeded"]
    placed = trade.create_order(orderType="lmt", side="buy", size=0.001, limitPrice=1000, symbol="PF_XBTUSD")
    assert placed["sendStatus"]["status"] == "placed"


def test_kraken_sdk_async(kf_kraken_sdk_config):
    async def run():
        client = FuturesAsyncClient(**kf_kraken_sdk_config)
        try:
            accounts = await client.request("GET", V3 + "/accounts")
            order = await client.request("POST", V3 + "/sendorder", post_params={
                "orderType": "lmt", "side": "buy", "size": "0.001", "limitPrice": "1000", "symbol": "PF_XBTUSD"})
            return accounts, order
        finally:
            await client.close()

    accounts, order = asyncio.run(run())
    assert accounts["result"] == "success" and order["sendStatus"]["status"] == "placed"


def test_httpx(kf_base_url, kf_credentials):
    data = "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.001&limitPrice=1000"
    with httpx.Client(base_url=kf_base_url + V3) as client:
        assert client.get("/accounts", headers=signed(kf_credentials, "/accounts")).json()["result"] == "success"
        sent = client.post("/sendorder", content=data, headers=signed(kf_credentials, "/sendorder", data))
        assert sent.json()["sendStatus"]["status"] == "placed"


def test_httpx_async(kf_base_url, kf_credentials):
    async def run():
        async with httpx.AsyncClient(base_url=kf_base_url + V3) as client:
            return (await client.get("/openpositions", headers=signed(kf_credentials, "/openpositions"))).json()

    assert asyncio.run(run())["openPositions"] == []


def test_aiohttp(kf_base_url, kf_credentials):
    async def run():
        async with aiohttp.ClientSession() as client:
            async with client.get(kf_base_url + V3 + "/accounts", headers=signed(kf_credentials, "/accounts")) as r:
                return await r.json()

    assert asyncio.run(run())["result"] == "success"
'''
TESTS = (
    "test_ccxt",
    "test_ccxt_async",
    "test_kraken_sdk",
    "test_kraken_sdk_async",
    "test_httpx",
    "test_httpx_async",
    "test_aiohttp",
)
PLACES_ORDERS = {"test_ccxt", "test_ccxt_async", "test_kraken_sdk", "test_kraken_sdk_async", "test_httpx"}


def offline() -> list[str]:
    """The command prefix that runs a process with no network (``unshare -n``), or nothing where it cannot."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def cassettes(root: Path) -> dict[str, str]:
    """The cassettes under a directory, by test name."""
    return {path.stem: path.read_text() for path in sorted((root / "cassettes").rglob("*.yaml"))}


def test_every_client_records_from_the_simulator_and_replays_with_no_network(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_bot=BOT)
    recorded = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kf-record-mode=once", "--kf-env=sim")
    recorded.assert_outcomes(passed=len(TESTS))
    files = cassettes(pytester.path)
    assert sorted(files) == sorted(TESTS)
    for name, text in files.items():
        assert "futures.kraken.com/derivatives/api/v3/" in text, name
        for secret in ("Authent", "APIKey", "kf-simulator-public-key"):
            assert secret not in text, name
        assert ("/sendorder" in text) == (name in PLACES_ORDERS), name
    # ccxt loads the markets before it trades; the seeded position and order are not in the cassette
    assert "/instruments" in files["test_ccxt"]
    assert "mkt" not in files["test_ccxt"]
    assert "seeded" in files["test_kraken_sdk"]
    assert "cliOrdId=seeded" not in files["test_kraken_sdk"]
    assert "state:" in files["test_ccxt"]
    assert "positions:" in files["test_ccxt"]

    prefix = offline()
    command = [*prefix, sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-q"]
    replay = subprocess.run(command, cwd=pytester.path, capture_output=True, text=True, timeout=300)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert f"{len(TESTS)} passed" in replay.stdout
    assert cassettes(pytester.path) == files


def test_a_client_miss_in_replay_is_the_plugins_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_bot=BOT)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "ccxt_async or httpx_async or aiohttp")
    result.assert_outcomes(failed=3)
    text = result.stdout.str()
    assert text.count("no cassette ") >= 3
    assert "Record it with: pytest --kf-record-mode=once --kf-env=sim test_bot.py::test_aiohttp" in text
    assert "CannotOverwriteExistingCassetteException" not in text


ORDERS = (
    BOT[: BOT.index("@pytest.mark.kf_state")]
    + """
ORDER = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.001", "limitPrice": "1000"}
FORM = "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.001&limitPrice=1000"


def test_reads(kf_ccxt_config):
    assert ccxt.krakenfutures(kf_ccxt_config).fetch_balance()["info"]["result"] == "success"


def test_ccxt(kf_ccxt_config):
    ccxt.krakenfutures(kf_ccxt_config).create_order("BTC/USD:USD", "limit", "buy", 0.001, 1000)


def test_ccxt_async(kf_ccxt_config):
    async def run():
        exchange = ccxt.async_support.krakenfutures(kf_ccxt_config)
        try:
            await exchange.create_order("BTC/USD:USD", "limit", "buy", 0.001, 1000)
        finally:
            await exchange.close()

    asyncio.run(run())


def test_kraken_sdk(kf_kraken_sdk_config):
    Trade(**kf_kraken_sdk_config).create_order(**ORDER)


def test_kraken_sdk_async(kf_kraken_sdk_config):
    async def run():
        client = FuturesAsyncClient(**kf_kraken_sdk_config)
        try:
            await client.request("POST", V3 + "/sendorder", post_params=ORDER)
        finally:
            await client.close()

    asyncio.run(run())


def test_httpx(kf_base_url, kf_credentials):
    httpx.post(kf_base_url + V3 + "/sendorder", content=FORM, headers=signed(kf_credentials, "/sendorder", FORM))


def test_httpx_async(kf_base_url, kf_credentials):
    async def run():
        async with httpx.AsyncClient() as client:
            await client.post(kf_base_url + V3 + "/sendorder", content=FORM,
                              headers=signed(kf_credentials, "/sendorder", FORM))

    asyncio.run(run())


def test_aiohttp(kf_base_url, kf_credentials):
    async def run():
        async with aiohttp.ClientSession() as client:
            await client.post(kf_base_url + V3 + "/sendorder", data=FORM,
                              headers=signed(kf_credentials, "/sendorder", FORM))

    asyncio.run(run())
"""
)


def test_against_a_url_environment_no_client_sends_an_order(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(test_bot=ORDERS)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--kf-record-mode=once",
        f"--kf-env={exchange.url}",
    ]
    run = subprocess.run(command, cwd=pytester.path, capture_output=True, text=True, timeout=300)
    assert "7 failed, 1 passed" in run.stdout, run.stdout
    for name in ("ccxt", "ccxt_async", "kraken_sdk", "kraken_sdk_async", "httpx", "httpx_async", "aiohttp"):
        section = run.stdout.split(f"_ test_{name} _", 1)[1].split("\n___", 1)[0]
        assert "refused before sending: POST /derivatives/api/v3/sendorder (sendOrder) changes state" in section
        assert "recording it needs --kf-allow-trading" in section, name
    lines = exchange.request_lines
    assert "GET /derivatives/api/v3/accounts" in lines
    assert not [line for line in lines if "sendorder" in line]
    assert sorted(cassettes(pytester.path)) == ["test_reads"]
