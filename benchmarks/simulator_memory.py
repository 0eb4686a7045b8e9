"""Memory of a realistic-mode simulator under a long mixed load: does it stay flat after warm-up?

Usage: python benchmarks/simulator_memory.py [--requests 100000] [--warmup 60000] [--tracemalloc]

The simulator runs on the real clock with no seed (prices wander), without rate limits, and
its WSGI application is called directly (the HTTP layer keeps nothing per request). The load
repeats a cycle of public reads, limit orders and their cancels, market orders that fill,
stop orders and their cancels, wallet transfers and, every 1,000 requests, a history read. After
the warm-up and at the end it prints
the resident set size and Python's allocated memory blocks (with ``--tracemalloc`` also the
traced bytes), the growth per request in between, and the end figure as a ratio of the
warm-up one. Exit status 1 if a request failed.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import json
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pytest_krakenfutures.signing import compute_authent
from pytest_krakenfutures.simulator import Simulator

V3 = "/derivatives/api/v3"
HISTORY = "/api/history/v3"
LIMIT = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.001", "limitPrice": "20000"}
MARKET = {"orderType": "mkt", "symbol": "PF_ETHUSD", "side": "buy", "size": "0.01"}
STOP = {"orderType": "stp", "symbol": "PF_XBTUSD", "side": "sell", "size": "0.001", "stopPrice": "20000"}
#: Cycles (of 20 requests) between two history reads, and the reads, in turn.
HISTORY_EVERY = 50
READS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("GET", f"{HISTORY}/orders", {"count": "100"}),
    ("GET", f"{HISTORY}/executions", {"count": "100"}),
    ("GET", f"{HISTORY}/triggers", {"count": "100"}),
    ("GET", f"{HISTORY}/positions", {"count": "100"}),
    ("GET", f"{HISTORY}/account-log", {"count": "100"}),
    ("GET", f"{HISTORY}/market/PF_ETHUSD/executions", {"count": "100"}),
    ("GET", f"{HISTORY}/market/PF_XBTUSD/orders", {"count": "100"}),
    ("GET", f"{V3}/fills", {}),
    ("GET", "/api/charts/v1/trade/PF_ETHUSD/1m", {"count": "60"}),
)


class Driver:
    """Calls the simulator's WSGI application with signed requests and counts the answers."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.nonces = itertools.count(time.time_ns() // 1000)
        self.answers: Counter[str] = Counter()
        self.sent = 0

    def call(self, method: str, path: str, fields: dict[str, str] | None = None) -> Any:
        """Send one request (private paths signed) and return its decoded body."""
        query = urlencode(fields or {}) if method == "GET" else ""
        body = urlencode(fields or {}) if method == "POST" else ""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body.encode()),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        }
        if not path.startswith(("/api/charts", f"{V3}/tickers")) and "/market/" not in path:
            nonce = str(next(self.nonces))
            environ["HTTP_APIKEY"] = self.simulator.api_key
            environ["HTTP_NONCE"] = nonce
            environ["HTTP_AUTHENT"] = compute_authent(self.simulator.api_secret, path, query + body, nonce)
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            status.append(line)
            return lambda data: None

        chunks = self.simulator.app(environ, start_response)
        data = b"".join(chunks)
        self.sent += 1
        answer = json.loads(data) if data[:1] in (b"{", b"[") else {}
        word = answer.get("error") or answer.get("result") or status[0] if isinstance(answer, dict) else status[0]
        self.answers[str(word)] += 1
        return answer

    def cycle(self, number: int) -> None:
        """One cycle of 20 requests: reads, orders and cancels, fills, stop orders, transfers, statuses.

        Every ``HISTORY_EVERY`` cycles one of its public reads is a history read instead (a history
        read is a pass over the kept history, and the load is about what stays in memory).
        """
        reads = [f"{V3}/tickers", f"{V3}/tickers/PF_XBTUSD", f"{V3}/accounts", f"{V3}/openpositions"]
        history = number % HISTORY_EVERY == 0
        for path in reads[:3] if history else reads:
            self.call("GET", path)
        if history:
            method, path, fields = READS[number // HISTORY_EVERY % len(READS)]
            self.call(method, path, fields)
        for side in ("buy", "sell"):
            placed = self.call("POST", f"{V3}/sendorder", LIMIT)
            self.call("POST", f"{V3}/cancelorder", {"order_id": _order_id(placed)})
            self.call("POST", f"{V3}/sendorder", {**MARKET, "side": side})
            stop = self.call("POST", f"{V3}/sendorder", STOP)
            self.call("POST", f"{V3}/cancelorder", {"order_id": _order_id(stop)})
        for source, target in (("flex", "cash"), ("cash", "flex")):
            self.call(
                "POST", f"{V3}/transfer", {"fromAccount": source, "toAccount": target, "unit": "usd", "amount": "1"}
            )
        self.call("GET", f"{V3}/orders/status")
        self.call("GET", f"{V3}/orderbook", {"symbol": "PF_XBTUSD"})
        self.call("GET", f"{V3}/openorders")


def _order_id(answer: Any) -> str:
    """Return the order id of a sendorder answer (``none`` when it was refused)."""
    return str(answer.get("sendStatus", {}).get("order_id") or "none")


def resident_bytes() -> int:
    """Return the process's resident set size in bytes (Linux ``/proc``; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096
    except OSError:
        return 0


@dataclass(frozen=True)
class Figures:
    """Memory at one moment: resident bytes, Python's allocated blocks, and traced bytes (0 untraced)."""

    resident: int
    blocks: int
    traced: int

    @classmethod
    def now(cls) -> Figures:
        """Measure now, after a full garbage collection."""
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        return cls(resident_bytes(), sys.getallocatedblocks(), traced)


def growth(name: str, unit: str, warm: int, end: int, requests: int, scale: float, per: str) -> str:
    """Return one line: a figure after warm-up and at the end, its growth per request and the ratio."""
    return (
        f"{name}: after warm-up {warm / scale:.1f} {unit}, at the end {end / scale:.1f} {unit}; "
        f"growth {(end - warm) / requests:+.2f} {per} per request; end / warm-up {end / warm:.3f}"
    )


def run(driver: Driver, until: int, report: Callable[[], None] | None = None) -> None:
    """Send cycles until ``until`` requests were sent."""
    number = driver.sent // 20
    while driver.sent < until:
        driver.cycle(number)
        number += 1
        if report is not None and number % 500 == 0:
            report()


def main(argv: list[str]) -> int:
    """Warm up, measure, run the rest, measure again, and print the growth."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests measured after the warm-up")
    parser.add_argument("--warmup", type=int, default=60_000, help="requests before the first measurement")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (several times slower)"
    )
    args = parser.parse_args(argv)
    if args.tracemalloc:
        tracemalloc.start()
    simulator = Simulator(rate_limits=False)  # realistic mode: no seed, no clock
    driver = Driver(simulator)
    started = time.perf_counter()
    run(driver, args.warmup)
    warm, warm_sent, warm_time = Figures.now(), driver.sent, time.perf_counter() - started
    run(driver, args.warmup + args.requests)
    end, elapsed = Figures.now(), time.perf_counter() - started
    measured = driver.sent - warm_sent
    print(f"{driver.sent} requests in {elapsed:.0f} s ({warm_sent} warm-up in {warm_time:.0f} s, then {measured})")
    if warm.resident:
        print(growth("resident set", "MB", warm.resident, end.resident, measured, 1e6, "bytes"))
    print(growth("Python memory blocks", "thousand", warm.blocks, end.blocks, measured, 1e3, "blocks"))
    if args.tracemalloc:
        print(growth("traced memory", "MB", warm.traced, end.traced, measured, 1e6, "bytes"))
    print(f"journal entries kept: {len(simulator.exchange.journal)}")
    print(f"answers: {dict(driver.answers.most_common())}")
    failed = {word: n for word, n in driver.answers.items() if word not in ("success", "200 OK")}
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
