"""Load on the simulator: N threads send M signed requests each; print throughput and a reconciliation.

Usage: python benchmarks/simulator_load.py [--threads 8] [--processes 1] [--requests 200] [--rounds 2]
                                           [--rate-limits] [--only keep-alive|baseline] [--lean]

The simulator runs in its own process, as it does for users of its command line. The clients are
threads of this process, or of ``--processes`` processes (forked; ``--threads`` each). Every
client shares one API key (and so one nonce sequence, as xdist workers do). Clients are
``KrakenFuturesSession`` (requests) sessions, or with ``--lean`` a minimal signed client on
``http.client``, whose smaller cost per request leaves more of the machine to the simulator. Each places
limit orders away from the market, cancels some of them and sends small market orders that
fill. At the end every accepted order must be exactly one of: still open, cancelled, or filled;
an order lost or counted twice is reported and the exit status is 1.

Two client modes run in turn, each against a fresh simulator, ``--rounds`` times (A B A B):

* ``keep-alive``: each thread keeps one HTTP/1.1 connection; nonces from ``NonceSource``.
* ``baseline``: the client behaviour before keep-alive: ``Connection: close`` on every request
  (a new TCP connection each) and nonces from ``LockedNonceSource`` below, the former source
  that took a file lock per nonce.

Each mode prints its throughput, latencies, reconciliation and the CPU time per request of the
client (this process) and of the simulator; then the ratio of the two modes' throughputs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import requests
from filelock import FileLock

from pytest_krakenfutures import KrakenFuturesSession
from pytest_krakenfutures.environments import DUMMY_API_KEY as KEY
from pytest_krakenfutures.environments import DUMMY_API_SECRET as SECRET
from pytest_krakenfutures.nonces import NonceSource
from pytest_krakenfutures.signing import compute_authent

MODES = ("keep-alive", "baseline")


class LockedNonceSource:
    """The former nonce source: a thread lock and a file lock around a counter in a file, per nonce."""

    def __init__(self, state_file: str) -> None:
        self._lock = threading.Lock()
        self._file_lock = FileLock(state_file + ".lock")
        self._fd = os.open(state_file, os.O_RDWR | os.O_CREAT, 0o600)

    def __call__(self) -> str:
        """Return the next nonce: at least the time in microseconds, above the last one in the file."""
        with self._lock, self._file_lock:
            text = os.pread(self._fd, 21, 0).decode("ascii").strip()
            value = max(time.time_ns() // 1000, int(text or 0) + 1)
            os.pwrite(self._fd, f"{value:020d}".encode("ascii"), 0)
        return str(value)


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


class SignedClient(Protocol):
    """What the load needs of a client: signed calls of v3 endpoints whose answers decode as JSON."""

    def post(self, url: str, data: Any = ...) -> Any:
        """Send a signed form POST to an endpoint."""

    def get(self, url: str) -> Any:
        """Send a signed GET to an endpoint."""

    def close(self) -> None:
        """Close the client's connections."""


@dataclass(frozen=True)
class Answer:
    """The body of an answer, decoded on request (as a requests response is)."""

    body: bytes

    def json(self) -> Any:
        """Return the decoded JSON body."""
        return json.loads(self.body)


class LeanClient:
    """A minimal signed client on ``http.client``: one connection, Kraken's signing headers, nothing else."""

    def __init__(self, base_url: str, nonce: Callable[[], str], keep_alive: bool) -> None:
        parts = urlsplit(base_url)
        self._address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._nonce = nonce
        self._keep_alive = keep_alive
        self._connection: HTTPConnection | None = None

    def post(self, url: str, data: Any = None) -> Answer:
        """Send a signed form POST to an endpoint."""
        return self._send("POST", url, urlencode(data or {}))

    def get(self, url: str) -> Answer:
        """Send a signed GET to an endpoint."""
        return self._send("GET", url, "")

    def _send(self, method: str, endpoint: str, body: str) -> Answer:
        """Sign and send one request, on the kept connection when there is one."""
        path = f"/derivatives/api/v3/{endpoint}"
        nonce = self._nonce()
        headers = {"APIKey": KEY, "Nonce": nonce, "Authent": compute_authent(SECRET, path, body, nonce)}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if not self._keep_alive:
            headers["Connection"] = "close"
        connection = self._connection or HTTPConnection(*self._address, timeout=30)
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        answer = Answer(response.read())
        if self._keep_alive and not response.will_close:
            self._connection = connection
        else:
            connection.close()
            self._connection = None
        return answer

    def close(self) -> None:
        """Close the kept connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def session_for(base_url: str, nonce: Callable[[], str], keep_alive: bool, lean: bool = False) -> SignedClient:
    """Return a signed client; without keep-alive every request asks for its connection to close.

    A ``KrakenFuturesSession`` (requests) unless ``lean``. The session ignores proxy settings of
    the environment (``trust_env``): they do not apply to a loopback server, and looking them up
    costs requests a pass over ``os.environ`` per request.
    """
    if lean:
        return LeanClient(base_url, nonce, keep_alive)
    session = KrakenFuturesSession(base_url, KEY, SECRET, nonce=nonce)
    session.trust_env = False
    if not keep_alive:
        session.headers["Connection"] = "close"
    return session


def worker(session: SignedClient, requests_per_thread: int, number: int, tally: Tally) -> None:
    """Send this thread's share of requests: limit orders, cancels of seven in eight, market orders."""
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


def open_orders(session: SignedClient) -> list[dict[str, Any]]:
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


def children_cpu() -> float:
    """Return the CPU seconds used so far by this process's finished children (the simulators)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Outcome:
    """One mode's run: requests per second, and whether every order reconciled."""

    throughput: float
    consistent: bool


def nonce_source(mode: str, state: str) -> Callable[[], str]:
    """Return the nonce source of a client mode, on a state file of its own."""
    return NonceSource(state) if mode == "keep-alive" else LockedNonceSource(state)


def client_process(
    base_url: str, mode: str, state: str, args: argparse.Namespace, first: int, go: Any, results: Any
) -> None:
    """A client process: its threads (numbered from ``first``) send their requests once told to go."""
    nonce = nonce_source(mode, state)
    tallies = [Tally() for _ in range(args.threads)]
    sessions = [session_for(base_url, nonce, mode == "keep-alive", args.lean) for _ in range(args.threads)]
    threads = [
        threading.Thread(target=worker, args=(sessions[n], args.requests, first + n, tallies[n]))
        for n in range(args.threads)
    ]
    go.wait()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((tallies, time.process_time()))


def run_clients(base_url: str, mode: str, state: str, args: argparse.Namespace) -> tuple[list[Tally], float, float]:
    """Run every client (threads here, or in ``--processes`` processes); return tallies, seconds and CPU."""
    if args.processes == 1:
        nonce = nonce_source(mode, state)
        tallies = [Tally() for _ in range(args.threads)]
        sessions = [session_for(base_url, nonce, mode == "keep-alive", args.lean) for _ in range(args.threads)]
        threads = [
            threading.Thread(target=worker, args=(sessions[n], args.requests, n, tallies[n]))
            for n in range(args.threads)
        ]
        cpu = time.process_time()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return tallies, time.perf_counter() - started, time.process_time() - cpu
    context = multiprocessing.get_context("fork")
    go, results = context.Event(), context.Queue()
    processes = [
        context.Process(target=client_process, args=(base_url, mode, state, args, n * args.threads, go, results))
        for n in range(args.processes)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)  # every client process is ready and waits for the start
    started = time.perf_counter()
    go.set()
    reports = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(timeout=60)
    return [tally for tallies, _ in reports for tally in tallies], elapsed, sum(cpu for _, cpu in reports)


def run_mode(mode: str, args: argparse.Namespace, state_dir: str, round_number: int) -> Outcome:
    """Run the load once in one client mode against a fresh simulator and print its figures."""
    state = os.path.join(state_dir, f"{mode}-{round_number}.nonce")
    children = children_cpu()
    with served(args.rate_limits) as base_url:
        tallies, elapsed, client_cpu = run_clients(base_url, mode, state, args)
        session = session_for(base_url, nonce_source(mode, state), mode == "keep-alive")
        open_ids = [o["order_id"] for o in open_orders(session)]
        session.close()
    # The simulator's start-up included; client processes are children too, so their own report is taken off.
    server_cpu = children_cpu() - children - (client_cpu if args.processes > 1 else 0)
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
    throughput = len(latencies) / elapsed
    print(f"[{mode}, round {round_number}]")
    clients = (
        f"{args.processes} processes x {args.threads} threads" if args.processes > 1 else f"{args.threads} threads"
    )
    print(f"{clients} x {args.requests} signed requests = {len(latencies)} requests in {elapsed:.2f} s")
    print(
        f"throughput: {throughput:.0f} requests/s; latency p50 {quantiles[49] * 1000:.1f} ms, "
        f"p95 {quantiles[94] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    print(
        f"cpu per request: client {client_cpu / len(latencies) * 1e6:.0f} us, "
        f"simulator {server_cpu / len(latencies) * 1e6:.0f} us (with its start-up)"
    )
    print(f"sendorder statuses: {dict(sorted(statuses.items()))}")
    print(
        f"reconciliation: accepted {accepted} = open {len(open_ids)} + cancelled {len(cancelled)} + "
        f"filled {len(filled)}; lost {len(lost)}, counted twice {twice}, unknown open {len(unknown)}"
    )
    consistent = accepted == len(open_ids) + len(cancelled) + len(filled) and not (lost or twice or unknown)
    print("reconciled" if consistent else "NOT RECONCILED", flush=True)
    return Outcome(throughput, consistent)


def main(argv: list[str]) -> int:
    """Run each client mode in turn, reconcile every run, and print the throughput ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8, help="client threads (per process with --processes)")
    parser.add_argument("--processes", type=int, default=1, help="client processes, as xdist workers are")
    parser.add_argument("--requests", type=int, default=200, help="signed requests per thread")
    parser.add_argument("--rounds", type=int, default=2, help="times each mode runs, in turn")
    parser.add_argument("--only", choices=MODES, help="run one mode only")
    parser.add_argument("--lean", action="store_true", help="clients on http.client instead of requests")
    parser.add_argument("--rate-limits", action="store_true", help="keep Kraken's rate-limit budgets on")
    args = parser.parse_args(argv)
    modes = (args.only,) if args.only else MODES
    outcomes: dict[str, list[Outcome]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory() as state_dir:
        for round_number in range(1, args.rounds + 1):
            for mode in modes:
                outcomes[mode].append(run_mode(mode, args, state_dir, round_number))
    if len(modes) == 2:
        pairs = zip(outcomes["keep-alive"], outcomes["baseline"], strict=True)
        ratios = [new.throughput / old.throughput for new, old in pairs]
        print(
            "keep-alive / baseline throughput: "
            + ", ".join(f"{ratio:.2f}" for ratio in ratios)
            + f" (median {statistics.median(ratios):.2f})"
        )
    return 0 if all(o.consistent for runs in outcomes.values() for o in runs) else 1


if __name__ == "__main__":
    requests.packages.urllib3.disable_warnings()  # type: ignore[attr-defined]
    raise SystemExit(main(sys.argv[1:]))
