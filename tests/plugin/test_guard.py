"""The recording guard, driven through pytest against a counting server: what reaches it, for every client."""

from __future__ import annotations

import re
from typing import Any

import pytest

CLIENTS = '''
import asyncio

import aiohttp
import ccxt
import ccxt.async_support
import httpx
import pytest
import requests
import urllib3
from kraken.futures import FuturesAsyncClient, Trade, User

from pytest_krakenfutures import RequestRefused

ORDER = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}
V3 = "/derivatives/api/v3"


def refusal(call):
    """Run a call that must be refused; return the refusal's message, wherever the client wrapped it."""
    try:
        call()
    except Exception as exc:
        chain = exc
        while chain is not None:
            if isinstance(chain, RequestRefused):
                return str(chain)
            chain = chain.__cause__ or chain.__context__
        raise
    pytest.fail("the call was sent without a refusal")


def ccxt_urls(base):
    api = f"{base}/derivatives/api/"
    return {"public": api, "private": api, "charts": f"{base}/api/charts/", "history": f"{base}/api/history/",
            "feeschedules": f"{base}/api/feeschedules/"}


def ccxt_client(module, session, credentials):
    exchange = module.krakenfutures({"apiKey": credentials.api_key, "secret": credentials.api_secret})
    exchange.urls["api"] = ccxt_urls(session.base_url)
    return exchange


async def ccxt_async_order(session, credentials):
    exchange = ccxt_client(ccxt.async_support, session, credentials)
    try:
        await exchange.create_order("BTC/USD:USD", "limit", "buy", 1, 1000)
    finally:
        await exchange.close()


async def sdk_async(session, credentials, method, path, params):
    client = FuturesAsyncClient(credentials.api_key, credentials.api_secret, url=session.base_url)
    try:
        return await client.request(method, path, post_params=params)
    finally:
        await client.close()


async def httpx_async(url, data):
    async with httpx.AsyncClient() as client:
        return await client.post(url, data=data)


async def aiohttp_post(url, data):
    async with aiohttp.ClientSession() as client, client.post(url, data=data) as response:
        return await response.text()


REFUSED = {
    "kf_session: //derivatives/api/v3/sendorder": lambda s, c: s.post("//derivatives/api/v3/sendorder", data=ORDER),
    "kf_session: SendOrder": lambda s, c: s.post("SendOrder", data=ORDER),
    "kf_session: GET sendorder?<order>": lambda s, c: s.get("sendorder", params=ORDER),
    "kf_session: sendorder;x=1": lambda s, c: s.post("sendorder;x=1", data=ORDER),
    "kf_session: sendorder/": lambda s, c: s.post("sendorder/", data=ORDER),
    "kf_session: tickers/../sendorder": lambda s, c: s.post(V3 + "/tickers/%2E%2E/sendorder", data=ORDER),
    "kf_session: %73endorder": lambda s, c: s.post("%73endorder", data=ORDER),
    "kf_session: tickers%2F..%2Fsendorder": lambda s, c: s.post("tickers%2F..%2Fsendorder", data=ORDER),
    "kf_session: editorder": lambda s, c: s.post("editorder", data={"orderId": "x", "size": "1"}),
    "kf_session: PUT leveragepreferences": lambda s, c: s.put("leveragepreferences", params={"symbol": "PF_XBTUSD"}),
    "kf_session: simulator control API": lambda s, c: s.post("/simulator/v1/clock", data={"advance": "1"}),
    "kf_session: unknown path": lambda s, c: s.get("somethingnew"),
    "kf_session: withdrawal": lambda s, c: s.post("withdrawal", data={"currency": "USD", "amount": "1"}),
    "kf_session: transfer": lambda s, c: s.post(
        "transfer", data={"fromAccount": "cash", "toAccount": "flex", "unit": "usd", "amount": "1"}),
    "kf_session: transfer/subaccount": lambda s, c: s.post(
        "transfer/subaccount", data={"fromUser": "a", "toUser": "b", "unit": "usd", "amount": "1"}),
    "requests": lambda s, c: requests.post(s.base_url + V3 + "/sendorder", data=ORDER),
    "urllib3": lambda s, c: urllib3.PoolManager().request(
        "POST", s.base_url + V3 + "/sendorder", fields=ORDER, encode_multipart=False),
    "httpx": lambda s, c: httpx.post(s.base_url + V3 + "/sendorder", data=ORDER),
    "httpx async": lambda s, c: asyncio.run(httpx_async(s.base_url + V3 + "/sendorder", ORDER)),
    "aiohttp": lambda s, c: asyncio.run(aiohttp_post(s.base_url + V3 + "/sendorder", ORDER)),
    "ccxt create_order": lambda s, c: ccxt_client(ccxt, s, c).create_order("BTC/USD:USD", "limit", "buy", 1, 1000),
    "ccxt async create_order": lambda s, c: asyncio.run(ccxt_async_order(s, c)),
    "python-kraken-sdk create_order": lambda s, c: Trade(c.api_key, c.api_secret, url=s.base_url).create_order(
        orderType="lmt", side="buy", size=0.01, limitPrice=1000, symbol="PF_XBTUSD"),
    "python-kraken-sdk async sendorder": lambda s, c: asyncio.run(
        sdk_async(s, c, "POST", V3 + "/sendorder", ORDER)),
}

ALLOWED = {
    "kf_session: accounts": lambda s, c: s.get("accounts").json()["result"],
    "requests: tickers": lambda s, c: requests.get(s.base_url + V3 + "/tickers").json()["result"],
    "httpx: tickers": lambda s, c: httpx.get(s.base_url + V3 + "/tickers").json()["result"],
    "ccxt fetch_balance": lambda s, c: ccxt_client(ccxt, s, c).fetch_balance()["info"]["result"],
    "python-kraken-sdk get_wallets": lambda s, c: User(c.api_key, c.api_secret, url=s.base_url).get_wallets()[
        "result"],
    "python-kraken-sdk async openpositions": lambda s, c: asyncio.run(
        sdk_async(s, c, "GET", V3 + "/openpositions", None))["result"],
}


@pytest.mark.parametrize("variant", sorted(REFUSED))
def test_refused(kf_session, kf_credentials, variant):
    print(f"\\nREFUSED {variant}: {refusal(lambda: REFUSED[variant](kf_session, kf_credentials))}")


@pytest.mark.parametrize("variant", sorted(ALLOWED))
def test_allowed(kf_session, kf_credentials, variant):
    assert ALLOWED[variant](kf_session, kf_credentials) == "success"
'''

MUTATING = re.compile(r"sendorder|editorder|leveragepreferences|withdrawal|transfer|simulator|somethingnew", re.I)


def refusals(stdout: str) -> dict[str, str]:
    return dict(re.findall(r"^REFUSED (.+?): (refused before sending: .*)$", stdout, re.MULTILINE))


def test_nothing_state_changing_reaches_the_server_from_any_client(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(test_clients=CLIENTS)
    result = pytester.runpytest_subprocess(
        "-k", "refused", "-s", "-p", "no:cacheprovider", "--kf-record-mode=once", f"--kf-env={exchange.url}"
    )
    result.assert_outcomes(passed=24)
    messages = refusals(result.stdout.str())
    assert len(messages) == 24
    env = exchange.url
    for variant, message in messages.items():
        if "withdrawal" in variant or "transfer" in variant:
            assert message.endswith(
                "recording it needs --kf-allow-trading and --kf-allow-transfers (or record from --kf-env=sim)"
            ), (variant, message)
        else:
            assert message.endswith("recording it needs --kf-allow-trading (or record from --kf-env=sim)"), message
        assert f" on {env};" in message, message
    assert "(sendOrder) changes state" in messages["kf_session: SendOrder"]
    assert (
        "asks a path served for POST (sendOrder), which changes state, with GET"
        in messages["kf_session: GET sendorder?<order>"]
    )
    assert not [line for line in exchange.request_lines if MUTATING.search(line)], exchange.request_lines
    sent = {line.split(" ", 1)[1].split("?")[0] for line in exchange.request_lines}
    assert sent <= {"/derivatives/api/v3/instruments"}, sent


def test_the_plugins_own_session_sends_not_a_byte_when_refused(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(test_clients=CLIENTS)
    result = pytester.runpytest_subprocess(
        "-k", "refused and kf_session", "-p", "no:cacheprovider", "--kf-record-mode=once", f"--kf-env={exchange.url}"
    )
    result.assert_outcomes(passed=15)
    assert bytes(exchange.received) == b""


def test_read_only_calls_of_every_client_are_recorded(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(test_clients=CLIENTS)
    result = pytester.runpytest_subprocess(
        "-k", "allowed", "-p", "no:cacheprovider", "--kf-record-mode=once", f"--kf-env={exchange.url}"
    )
    result.assert_outcomes(passed=6)
    paths = {line.split(" ", 1)[1].split("?")[0] for line in exchange.request_lines}
    assert {"/derivatives/api/v3/accounts", "/derivatives/api/v3/tickers", "/derivatives/api/v3/openpositions"} <= paths
    cassettes = sorted((pytester.path / "cassettes" / "test_clients").glob("test_allowed*.yaml"))
    assert len(cassettes) == 6


def test_trading_switch_lets_orders_out_but_not_money(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(
        test_switches="""
        import pytest
        from pytest_krakenfutures import RequestRefused

        def test_order_goes(kf_session):
            body = kf_session.post("sendorder", data={"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy",
                                                      "size": "0.01", "limitPrice": "1000"}).json()
            assert body["sendStatus"]["status"] == "placed"

        def test_withdrawal_needs_the_second_switch(kf_session):
            with pytest.raises(RequestRefused, match="needs --kf-allow-transfers .or record from --kf-env=sim.$"):
                kf_session.post("withdrawal", data={"currency": "USD", "amount": "1"})
        """
    )
    trading = ("--kf-record-mode=once", f"--kf-env={exchange.url}", "--kf-allow-trading", "-p", "no:cacheprovider")
    pytester.runpytest_subprocess(*trading).assert_outcomes(passed=2)
    assert "POST /derivatives/api/v3/sendorder" in exchange.request_lines
    assert not any("withdrawal" in line for line in exchange.request_lines)


def test_both_switches_let_a_withdrawal_out(pytester: pytest.Pytester, exchange: Any) -> None:
    pytester.makepyfile(
        test_money="""
        def test_withdrawal(kf_session, kf_contract):
            kf_contract(kf_session.post("withdrawal", data={"currency": "USD", "amount": "1", "sourceWallet": "flex"}))
        """
    )
    switches = ("--kf-allow-trading", "--kf-allow-transfers")
    result = pytester.runpytest_subprocess("--kf-record-mode=once", f"--kf-env={exchange.url}", *switches)
    result.assert_outcomes(passed=1)
    assert "POST /derivatives/api/v3/withdrawal" in exchange.request_lines


def test_the_transfer_switch_alone_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest("--kf-allow-transfers")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--kf-allow-transfers allows withdrawals and transfers on top of --kf-allow-trading*"]
    )


def test_live_without_credentials_refuses_private_calls_before_sending(
    pytester: pytest.Pytester, exchange: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KRAKEN_FUTURES_API_KEY")
    monkeypatch.delenv("KRAKEN_FUTURES_API_SECRET")
    # Were anything sent to production, it would go to the counting server instead.
    monkeypatch.setenv("HTTPS_PROXY", exchange.url)
    pytester.makepyfile(
        test_live="""
        def test_accounts(kf_session):
            kf_session.get("accounts")
        """
    )
    result = pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=live", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*RequestRefused: refused before sending: GET /derivatives/api/v3/accounts (getAccounts) is private and "
            "no credentials are set; recording it from live needs KRAKEN_FUTURES_API_KEY and "
            "KRAKEN_FUTURES_API_SECRET in the environment"
        ]
    )
    assert bytes(exchange.received) == b""
