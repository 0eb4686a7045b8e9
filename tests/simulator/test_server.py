"""The Simulator object: lifecycle, the WSGI app, argument checks, quiet logging, thread safety."""

from __future__ import annotations

import logging
import re
import threading

import pytest
import requests
from werkzeug.test import Client as WsgiClient

from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.errors import ConfigurationError, SigningError
from pytest_krakenfutures.simulator import Simulator

from .conftest import V3, Client


def test_start_returns_self_and_base_url_has_the_real_port() -> None:
    simulator = Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET)
    with pytest.raises(RuntimeError, match="start"):
        _ = simulator.base_url
    assert simulator.start() is simulator
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", simulator.base_url)
        assert not simulator.base_url.endswith(":0")
        assert simulator.start() is simulator  # already running: no-op
        assert requests.get(simulator.base_url + V3 + "/tickers", timeout=10).status_code == 200
    finally:
        simulator.stop()
    simulator.stop()  # already stopped: no-op
    with pytest.raises(requests.ConnectionError):
        requests.get(simulator.base_url + V3 + "/tickers", timeout=2)


def test_context_manager_starts_and_stops() -> None:
    with Simulator() as simulator:
        url = simulator.base_url + V3 + "/instruments"
        assert requests.get(url, timeout=10).json()["result"] == "success"
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


def test_app_is_a_wsgi_application_usable_without_a_server() -> None:
    simulator = Simulator(clock="2026-01-01T00:00:00Z")
    response = WsgiClient(simulator.app).get(V3 + "/tickers/PF_XBTUSD")
    assert response.status_code == 200
    assert response.get_json()["serverTime"] == "2026-01-01T00:00:00.000Z"
    assert response.get_json()["ticker"]["symbol"] == "PF_XBTUSD"


def test_secret_that_is_not_base64_is_refused() -> None:
    with pytest.raises(SigningError) as caught:
        Simulator(api_secret="not base64 !!")
    assert "not base64 !!" not in str(caught.value)


def test_empty_api_key_and_bad_clock_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        Simulator(api_key="")
    with pytest.raises(ConfigurationError, match="ISO-8601"):
        Simulator(clock="next tuesday")


def test_serving_requests_logs_nothing(
    client: Client, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.public("tickers")
    client.private("accounts")
    client.get("nosuchpath")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert [r for r in caplog.records if r.name.startswith(("werkzeug", "pytest_krakenfutures"))] == []


def test_concurrent_orders_are_all_booked(simulator: Simulator) -> None:
    clients = [Client(simulator.base_url, nonces=False) for _ in range(6)]
    statuses: list[str] = []
    lock = threading.Lock()

    def trade(api: Client) -> None:
        for _ in range(5):
            body = api.send(orderType="lmt", symbol="PF_ETHUSD", side="buy", size="0.1", limitPrice="3000")
            with lock:
                statuses.append(body["sendStatus"]["status"])

    threads = [threading.Thread(target=trade, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == ["placed"] * 30
    orders = clients[0].private("openorders")["openOrders"]
    assert len(orders) == 30
    assert len({o["order_id"] for o in orders}) == 30
    times = [o["receivedTime"] for o in orders]
    assert times == sorted(times, reverse=True)
