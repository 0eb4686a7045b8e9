"""Replay sends nothing: no connection, lookup or datagram, from any client, and every refusal is explained."""

from __future__ import annotations

import pytest

SIM = ("--kf-record-mode=once", "--kf-env=sim", "-p", "no:cacheprovider")

BOT = """
import asyncio

import ccxt
import ccxt.async_support
from kraken.futures import Market, User


def ccxt_urls(base):
    api = f"{base}/derivatives/api/"
    return {"public": api, "private": api, "charts": f"{base}/api/charts/", "history": f"{base}/api/history/",
            "feeschedules": f"{base}/api/feeschedules/"}


def test_ccxt_and_the_sdk(kf_session, kf_credentials):
    exchange = ccxt.krakenfutures({"apiKey": kf_credentials.api_key, "secret": kf_credentials.api_secret})
    exchange.urls["api"] = ccxt_urls(kf_session.base_url)
    assert exchange.fetch_balance()["info"]["result"] == "success"
    assert exchange.fetch_ticker("BTC/USD:USD")["symbol"] == "BTC/USD:USD"
    user = User(kf_credentials.api_key, kf_credentials.api_secret, url=kf_session.base_url)
    assert user.get_wallets()["result"] == "success"
    assert any(t["symbol"] == "PF_XBTUSD" for t in Market(url=kf_session.base_url).get_tickers()["tickers"])


def test_ccxt_async(kf_session, kf_credentials):
    async def balance():
        exchange = ccxt.async_support.krakenfutures(
            {"apiKey": kf_credentials.api_key, "secret": kf_credentials.api_secret})
        exchange.urls["api"] = ccxt_urls(kf_session.base_url)
        try:
            return await exchange.fetch_balance()
        finally:
            await exchange.close()

    assert asyncio.run(balance())["info"]["result"] == "success"
"""


def test_a_bots_client_calls_record_and_replay_with_the_network_blocked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_bot=BOT)
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=2)
    text = (pytester.path / "cassettes" / "test_bot" / "test_ccxt_and_the_sdk.yaml").read_text()
    assert "/derivatives/api/v3/accounts" in text
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


OUTSIDE = """
import asyncio
import os
import socket

import aiohttp
import ccxt
import httpx
import pytest
import requests
from kraken.futures import Market

from pytest_krakenfutures import CassetteError, NetworkBlocked


def test_recorded(kf_session):
    kf_session.get("tickers")


def test_dns(kf_session):
    socket.getaddrinfo("futures.kraken.com", 443)


def test_gethostbyname(kf_session):
    socket.gethostbyname("example.com")


def test_datagram(kf_session):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"x", ("127.0.0.1", 9))


def test_requests(kf_session):
    kf_session.get("tickers")
    if os.environ.get("KF_REPLAY"):
        requests.get(kf_session.base_url + "/derivatives/api/v3/instruments")


def test_httpx(kf_session):
    httpx.get("https://futures.kraken.com/derivatives/api/v3/instruments")


def test_aiohttp(kf_session):
    async def get():
        async with aiohttp.ClientSession() as client, client.get("https://futures.kraken.com/api/charts/v1/") as r:
            return await r.text()

    asyncio.run(get())


def test_ccxt(kf_session):
    ccxt.krakenfutures().fetch_ticker("BTC/USD:USD")


def test_sdk(kf_session):
    Market().get_tickers()
"""


def test_replay_refuses_lookups_datagrams_and_other_clients_in_its_own_words(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_outside=OUTSIDE)
    pytester.runpytest_subprocess("-k", "recorded or requests", *SIM).assert_outcomes(passed=2)
    monkeypatch.setenv("KF_REPLAY", "1")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "not recorded")
    result.assert_outcomes(failed=8)
    cassettes = pytester.path / "cassettes" / "test_outside"
    option = "to record it: pytest --kf-record-mode=once --kf-env=sim test_outside.py::test_"
    result.stdout.fnmatch_lines_random(
        [
            f"*NetworkBlocked: DNS lookup of futures.kraken.com blocked by pytest-krakenfutures: cassette "
            f"{cassettes}/test_dns.yaml replays and --kf-record-mode=none sends nothing; {option}dns",
            f"*NetworkBlocked: DNS lookup of example.com blocked by pytest-krakenfutures: cassette "
            f"{cassettes}/test_gethostbyname.yaml replays*",
            "*NetworkBlocked: datagram to 127.0.0.1:9 blocked by pytest-krakenfutures: cassette*test_datagram.yaml*",
            f"*CassetteError: cassette {cassettes}/test_requests.yaml has no unplayed answer for GET "
            "/derivatives/api/v3/instruments; with --kf-record-mode=none it was not sent to simulator.invalid.*",
            f"*CassetteError: no cassette {cassettes}/test_httpx.yaml for test_outside.py::test_httpx, and "
            "--kf-record-mode=none does not record; GET /derivatives/api/v3/instruments was not sent to "
            "futures.kraken.com. Record it with: pytest --kf-record-mode=once --kf-env=sim test_outside.py::test_httpx",
            "*CassetteError: no cassette *test_aiohttp.yaml*GET /api/charts/v1/ was not sent to futures.kraken.com*",
            "*CassetteError: no cassette *test_ccxt.yaml*GET /derivatives/api/v3/instruments was not sent*",
            "*CassetteError: no cassette *test_sdk.yaml*GET /derivatives/api/v3/tickers was not sent*",
        ]
    )
    assert "CannotOverwriteExistingCassetteException" not in result.stdout.str()
    assert "record_mode" not in result.stdout.str()
