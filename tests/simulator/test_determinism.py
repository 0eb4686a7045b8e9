"""Reproducible runs: a seed and a clock make every response body identical from run to run."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator

from .conftest import CLOCK, SEED, Client


def scenario(simulator: Simulator, *, nonces: bool = True) -> list[bytes]:
    """Drive a fixed sequence of public and private calls and return the raw response bodies."""
    client = Client(simulator.base_url, nonces=nonces)
    try:
        responses = [
            client.get("instruments"),
            client.get("tickers"),
            client.get("orderbook", {"symbol": "PF_XBTUSD"}),
            client.get("accounts", signed=True),
            client.post(
                "sendorder",
                {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.1", "limitPrice": "95000"},
            ),
            client.post("sendorder", {"orderType": "mkt", "symbol": "PF_ETHUSD", "side": "sell", "size": "12.5"}),
            client.post(
                "sendorder",
                {"orderType": "post", "symbol": "PF_XBTUSD", "side": "sell", "size": "1", "limitPrice": "96500"},
            ),
            client.get("openorders", signed=True),
            client.get("openpositions", signed=True),
            client.post("cancelorder", {"order_id": "00000000-0000-4000-8000-000000000000"}),
            client.get("accounts", signed=True),
            client.get("tickers/PF_ETHUSD"),
            client.get("nosuchpath"),
        ]
    finally:
        client.http.close()
    return [response.content for response in responses]


def order_ids(bodies: list[bytes]) -> list[str]:
    return [json.loads(body)["sendStatus"]["order_id"] for body in bodies if b'"sendStatus"' in body]


def test_same_seed_and_clock_give_byte_identical_bodies() -> None:
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as first:
        one = scenario(first)
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as second:
        two = scenario(second)
    assert one == two
    assert len(order_ids(one)) == 3
    assert b'"status":"placed"' in one[5]


def test_another_seed_gives_other_ids_at_the_same_times() -> None:
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as first:
        one = scenario(first)
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED + 1, clock=CLOCK) as second:
        two = scenario(second)
    assert set(order_ids(one)).isdisjoint(order_ids(two))
    assert [json.loads(b)["serverTime"] for b in one] == [json.loads(b)["serverTime"] for b in two]


def test_deterministic_clock_advances_one_millisecond_per_request(client: Client) -> None:
    times = [client.public("tickers")["serverTime"] for _ in range(3)]
    times.append(client.get("nosuchpath").json()["serverTime"])
    times.append(client.private("accounts")["serverTime"])
    assert times == [f"2026-03-02T10:00:00.00{i}Z" for i in range(5)]


def test_reset_restarts_the_clock_and_the_ids(simulator: Simulator) -> None:
    first = scenario(simulator, nonces=False)
    simulator.reset(seed=SEED, clock=CLOCK)
    assert scenario(simulator, nonces=False) == first


def test_reset_gives_a_fresh_book_and_account(simulator: Simulator, client: Client) -> None:
    fresh_book = client.public("orderbook", {"symbol": "PF_XBTUSD"})["orderBook"]
    client.send(orderType="mkt", symbol="PF_XBTUSD", side="buy", size="1")
    client.send(orderType="lmt", symbol="PF_XBTUSD", side="buy", size="0.1", limitPrice="95000")
    simulator.reset()
    assert client.public("orderbook", {"symbol": "PF_XBTUSD"})["orderBook"] == fresh_book
    assert client.private("openorders")["openOrders"] == []
    assert client.private("openpositions")["openPositions"] == []
    assert client.private("accounts")["accounts"]["flex"]["availableMargin"] == 10000.0


def test_clock_may_be_an_aware_datetime_in_any_zone() -> None:
    start = datetime(2026, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, clock=start) as simulator:
        client = Client(simulator.base_url)
        assert client.public("tickers")["serverTime"] == "2026-05-01T10:00:00.000Z"


def test_without_a_clock_the_server_time_is_now_and_ids_are_random() -> None:
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET) as first, Simulator() as second:
        bodies = [scenario(first), scenario(second)]
    server_time = json.loads(bodies[0][0])["serverTime"]
    moment = datetime.fromisoformat(server_time.replace("Z", "+00:00"))
    assert abs(datetime.now(timezone.utc) - moment) < timedelta(seconds=30)
    assert set(order_ids(bodies[0])).isdisjoint(order_ids(bodies[1]))
