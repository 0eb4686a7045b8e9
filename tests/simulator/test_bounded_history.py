"""A bounded history: the journal keeps the latest entries of each kind, and every reader agrees.

A simulator that keeps little history answers like one that keeps it all, over the time it
still covers: the same elements, the same account-log numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.domain.bounded import Latest, Recent
from pytest_krakenfutures.simulator.domain.records import journal as kinds
from pytest_krakenfutures.simulator.domain.records.journal import KEPT_PER_KIND, Journal

from .conftest import CLOCK, SEED, Client
from .entries import get

START = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
FAR = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "50000"}
FILLED = {"orderType": "mkt", "symbol": "PF_ETHUSD", "side": "buy", "size": "0.1"}
TRANSFER = {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "1"}
READS = {
    "orders": "/api/history/v3/orders",
    "executions": "/api/history/v3/executions",
    "positions": "/api/history/v3/positions",
    "account log": "/api/history/v3/account-log",
}


@dataclass(frozen=True)
class Numbered:
    """A journal event of any kind that carries a number."""

    kind: str
    n: int


def test_the_journal_keeps_the_latest_entries_of_each_kind() -> None:
    journal = Journal(kept=3)
    for number in range(10):
        journal.append(START + timedelta(milliseconds=number), Numbered(kinds.ORDER_PLACED, number))
        if number % 2:
            journal.append(START + timedelta(milliseconds=number), Numbered(kinds.EXECUTION, number))
    assert [entry.event.n for entry in journal.entries(kinds.ORDER_PLACED)] == [7, 8, 9]
    assert [entry.event.n for entry in journal.entries(kinds.EXECUTION)] == [5, 7, 9]
    assert journal.last_seq == 15
    assert len(journal) == 6
    assert journal.forgotten(kinds.ORDER_PLACED).count == 7
    assert journal.forgotten(kinds.EXECUTION).count == 2
    assert journal.forgotten(kinds.LEDGER).count == 0


def test_entries_of_several_kinds_start_after_the_newest_one_forgotten() -> None:
    journal = Journal(kept=3)
    for number in range(10):
        journal.append(START, Numbered(kinds.ORDER_PLACED, number))
        if number % 2:
            journal.append(START, Numbered(kinds.EXECUTION, number))
    both = journal.entries(kinds.ORDER_PLACED, kinds.EXECUTION)
    assert [(entry.kind, entry.event.n) for entry in both] == [
        (kinds.ORDER_PLACED, 7),
        (kinds.EXECUTION, 7),
        (kinds.ORDER_PLACED, 8),
        (kinds.ORDER_PLACED, 9),
        (kinds.EXECUTION, 9),
    ]
    assert [entry.seq for entry in both] == sorted(entry.seq for entry in both)
    assert journal.entries() == both


def test_a_long_run_keeps_the_documented_number_of_entries() -> None:
    journal = Journal()
    for number in range(KEPT_PER_KIND + 10):
        journal.append(START, Numbered(kinds.LEDGER, number))
    assert len(journal.entries(kinds.LEDGER)) == KEPT_PER_KIND
    assert journal.entries(kinds.LEDGER)[0].event.n == 10


@dataclass(frozen=True)
class Moment:
    """Something that happened at a time."""

    time: datetime


def test_recent_items_are_forgotten_once_older_than_the_memory() -> None:
    recent: Recent[Moment] = Recent(timedelta(seconds=5))
    for second in (0, 1, 2, 8):
        recent[f"order-{second}"] = Moment(START + timedelta(seconds=second))
    assert list(recent) == ["order-8"]  # 0, 1 and 2 are more than 5 s older than the newest
    recent["order-9"] = Moment(START + timedelta(seconds=9))
    assert list(recent) == ["order-8", "order-9"]
    assert "order-8" in recent


def test_latest_items_keep_a_count() -> None:
    latest: Latest[int] = Latest(2)
    for number in range(5):
        latest[str(number)] = number
    assert (list(latest), latest.get("4"), latest.get("0")) == (["3", "4"], 4, None)


@pytest.fixture
def pair() -> Iterator[tuple[Simulator, Simulator]]:
    """Two deterministic simulators alike but for their memory: one keeps 4 entries of each kind."""
    with (
        Simulator(seed=SEED, clock=CLOCK, rate_limits=False) as small,
        Simulator(seed=SEED, clock=CLOCK, rate_limits=False) as full,
    ):
        small.exchange.journal.kept = 4
        small.exchange.office.wallets.kept = 4
        small.exchange.filled.kept = 4
        yield small, full


def trade_and_read(simulator: Simulator) -> dict[str, Any]:
    """Place, cancel, fill and transfer a few times, then read every history the journal feeds."""
    client = Client(simulator.base_url)
    for number in range(7):
        placed = client.send(**FAR)["sendStatus"]
        assert client.cancel(order_id=placed["order_id"])["cancelStatus"]["status"] == "cancelled"
        client.send(**{**FILLED, "side": "buy" if number % 2 else "sell"})
        assert client.post("transfer", TRANSFER).json()["result"] == "success"
    read = {name: get(client, path, {"sort": "asc"}).json() for name, path in READS.items()}
    read["fills"] = client.private("fills")["fills"]
    client.http.close()
    return read


def test_a_simulator_that_keeps_little_answers_like_one_that_keeps_everything(
    pair: tuple[Simulator, Simulator],
) -> None:
    small, full = (trade_and_read(simulator) for simulator in pair)
    for name in ("orders", "executions", "positions"):
        kept, every = small[name]["elements"], full[name]["elements"]
        assert 0 < len(kept) < len(every), name
        assert kept == every[-len(kept) :], name
    kept_log, every_log = small["account log"]["logs"], full["account log"]["logs"]
    assert 0 < len(kept_log) < len(every_log)
    assert kept_log == every_log[-len(kept_log) :]  # the same lines with the same numbers
    assert [line["id"] for line in every_log] == list(range(1, len(every_log) + 1))
    assert small["fills"] == full["fills"][: len(small["fills"])]
    assert len(small["fills"]) == 4


def test_cancelling_an_order_filled_long_ago_finds_nothing(pair: tuple[Simulator, Simulator]) -> None:
    small, _ = pair
    client = Client(small.base_url)
    first = client.send(**FILLED)["sendStatus"]["order_id"]
    for _ in range(4):
        client.send(**FILLED)
    last = client.send(**FILLED)["sendStatus"]["order_id"]
    assert client.cancel(order_id=last)["cancelStatus"]["status"] == "filled"
    assert client.cancel(order_id=first)["cancelStatus"]["status"] == "notFound"
