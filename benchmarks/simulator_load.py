"""Load on the simulator: N threads send M signed requests each; print throughput and a reconciliation.

Usage: python benchmarks/simulator_load.py [--threads 8] [--requests 200] [--rate-limits]

The simulator runs in its own process, as it does for users of its command line. Every thread
shares one API key (and so one nonce sequence, as xdist workers do). Each places
limit orders away from the market, cancels some of them and sends small market orders that
fill. At the end every accepted order must be exactly one of: still open, cancelled, or filled;
an order lost or counted twice is reported and the exit status is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from pytest_krakenfutures import KrakenFuturesSession
from pytest_krakenfutures.environments import DUMMY_API_KEY as KEY
from pytest_krakenfutures.environments import DUMMY_API_SECRET as SECRET


@dataclass
class Tally:
    """What one thread saw: accepted orders by fate, latencies and refusals."""

    resting: set[str] = field(default_factory=set)
    filled: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)


def timed(tally: Tally, call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Make one call, record its latency, and return the decoded body."""
    started = time.perf_counter()
    response = call(*args, **kwargs)
    tally.latencies.append(time.perf_counter() - started)
    body: dict[str, Any] = response.json()
    return body


#: Markets the threads trade (symbol, size, far buy price, far sell price), kept under the open-order limit.
MARKETS = (("PF_XBTUSD", "0.001", "20000", "190000"), ("PF_ETHUSD", "0.01", "1500", "9000"))


def worker(base_url: str, key: str, secret: str, requests_per_thread: int, number: int, tally: Tally) -> None:
    """Send this thread's share of requests: limit orders, cancels of seven in eight, market orders."""
    session = KrakenFuturesSession(base_url, key, secret)
    symbol, size, low, high = MARKETS[number % len(MARKETS)]
    side = "buy" if (number // len(MARKETS)) % 2 == 0 else "sell"
    far = low if side == "buy" else high  # far from the market, above the small-order notional
    sent = 0
    resting = 0
    while sent < requests_per_thread:
        if sent % 10 == 9:
            order = {"orderType": "mkt", "symbol": symbol, "side": side, "size": size}
        else:
            order = {"orderType": "lmt", "symbol": symbol, "side": side, "size": size, "limitPrice": far}
        body = timed(tally, session.post, "sendorder", data=order)
        sent += 1
        status = body.get("sendStatus", {})
        tally.statuses[status.get("status") or body.get("error", "?")] += 1
        if status.get("status") != "placed":
            continue
        events = {event["type"] for event in status.get("orderEvents", [])}
        order_id = status["order_id"]
        if "PLACE" in events:
            tally.resting.add(order_id)
        else:
            tally.filled.add(order_id)
        resting += "PLACE" in events
        if "PLACE" in events and resting % 8 != 0 and sent < requests_per_thread:
            cancel = timed(tally, session.post, "cancelorder", data={"order_id": order_id})
            sent += 1
            if cancel.get("cancelStatus", {}).get("status") == "cancelled":
                tally.resting.discard(order_id)
                tally.cancelled.add(order_id)
    session.close()


def open_orders(session: KrakenFuturesSession) -> list[dict[str, Any]]:
    """Return the open orders, waiting for the rate-limit budget to refill when it is spent."""
    for _ in range(60):
        body = session.get("openorders").json()
        if body.get("error") != "apiLimitExceeded":
            return list(body["openOrders"])
        time.sleep(0.5)
    raise SystemExit("the rate-limit budget never refilled")


@contextlib.contextmanager
def served(rate_limits: bool) -> Iterator[str]:
    """Run the simulator's command line in its own process (its own interpreter lock); yield its URL."""
    command = [sys.executable, "-m", "pytest_krakenfutures.simulator", "--api-key", KEY, "--api-secret", SECRET]
    if not rate_limits:
        command.append("--no-rate-limits")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on " not in line:
            raise SystemExit(f"the simulator did not start: {line!r}")
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str]) -> int:
    """Run the load, then reconcile the orders every thread saw accepted with the simulator's open orders."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="signed requests per thread")
    parser.add_argument("--rate-limits", action="store_true", help="keep Kraken's rate-limit budgets on")
    args = parser.parse_args(argv)
    tallies = [Tally() for _ in range(args.threads)]
    with served(args.rate_limits) as base_url:
        threads = [
            threading.Thread(target=worker, args=(base_url, KEY, SECRET, args.requests, n, tallies[n]))
            for n in range(args.threads)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        session = KrakenFuturesSession(base_url, KEY, SECRET)
        open_ids = [o["order_id"] for o in open_orders(session)]
        session.close()
    latencies = [x for t in tallies for x in t.latencies]
    statuses: Counter[str] = sum((t.statuses for t in tallies), Counter())
    resting = [i for t in tallies for i in t.resting]
    filled = [i for t in tallies for i in t.filled]
    cancelled = [i for t in tallies for i in t.cancelled]
    accepted = len(resting) + len(filled) + len(cancelled)
    every = resting + filled + cancelled
    twice = len(every) - len(set(every))
    lost = set(resting) - set(open_ids)
    unknown = set(open_ids) - set(resting)
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"{args.threads} threads x {args.requests} signed requests = {len(latencies)} requests in {elapsed:.2f} s")
    print(
        f"throughput: {len(latencies) / elapsed:.0f} requests/s; latency p50 {quantiles[49] * 1000:.1f} ms, "
        f"p95 {quantiles[94] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    print(f"sendorder statuses: {dict(sorted(statuses.items()))}")
    print(
        f"reconciliation: accepted {accepted} = open {len(open_ids)} + cancelled {len(cancelled)} + "
        f"filled {len(filled)}; lost {len(lost)}, counted twice {twice}, unknown open {len(unknown)}"
    )
    consistent = accepted == len(open_ids) + len(cancelled) + len(filled) and not (lost or twice or unknown)
    print("reconciled" if consistent else "NOT RECONCILED")
    return 0 if consistent else 1


if __name__ == "__main__":
    requests.packages.urllib3.disable_warnings()  # type: ignore[attr-defined]
    raise SystemExit(main(sys.argv[1:]))
