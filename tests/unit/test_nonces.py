"""The nonce source: unique and increasing across threads, forks and processes, and what a server sees."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.nonces import SLOTS, NonceSource, default_nonce_file
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.http.authentication import MAX_NONCE

#: A process taking nonces from a state file in threads; prints each thread's nonces as JSON.
TAKER = """
import json, sys, threading
from pytest_krakenfutures.nonces import NonceSource

state, threads, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
source = NonceSource(state)
taken = [[] for _ in range(threads)]

def take(index):
    taken[index] = [int(source()) for _ in range(count)]

workers = [threading.Thread(target=take, args=(i,)) for i in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
last = int(source())
print(json.dumps({"threads": taken, "last": last}))
"""

#: A process sending signed requests from threads, after taking ``burst`` nonces it never sends; with a
#: lock file, one request at a time across every process (a nonce is taken only after the previous
#: request was answered). Prints the answers.
SENDER = """
import json, sys, threading
import requests
from filelock import FileLock
from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.nonces import NonceSource

state, url, key, secret, threads, count, lock_path, burst = sys.argv[1:9]
source = NonceSource(state)
for _ in range(int(burst)):  # nonces taken faster than the clock runs, and never sent
    source()
auth = KrakenFuturesAuth(key, secret, nonce=source)
turn = FileLock(lock_path) if lock_path else None
answers = []

def send():
    with requests.Session() as session:
        for _ in range(int(count)):
            if turn is not None:
                with turn:
                    body = session.get(url, auth=auth, timeout=30).json()
            else:
                body = session.get(url, auth=auth, timeout=30).json()
            answers.append(body.get("error") or body["result"])

workers = [threading.Thread(target=send) for _ in range(int(threads))]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(json.dumps(answers))
"""


def run_all(scripts: list[list[str]]) -> list[str]:
    """Start every command at once and return their outputs (each must succeed)."""
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for command in scripts]
    outputs = [process.communicate(timeout=180)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * len(processes)
    return outputs


def test_nonces_unique_and_increasing_across_threads(tmp_path: Path) -> None:
    source = NonceSource(str(tmp_path / "nonce"))
    results: dict[int, list[int]] = {}

    def work(index: int) -> None:
        results[index] = [int(source()) for _ in range(250)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [value for values in results.values() for value in values]
    assert len(set(every)) == len(every) == 2000
    for values in results.values():
        assert values == sorted(values)
        assert len(set(values)) == len(values)


def test_nonces_unique_across_processes(tmp_path: Path) -> None:
    state = tmp_path / "nonce"
    script = (
        "import sys\nfrom pytest_krakenfutures.nonces import NonceSource\n"
        "s = NonceSource(sys.argv[1])\nprint('\\n'.join(s() for _ in range(300)))\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(state)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=60)[0].split() for process in processes]
    every = [int(value) for output in outputs for value in output]
    assert len(every) == 900
    assert len(set(every)) == 900
    for output in outputs:
        values = [int(value) for value in output]
        assert values == sorted(values)
    assert NonceSource(str(state)).highest() == max(every)


def test_thousands_of_nonces_from_processes_and_threads_are_unique_and_increase_per_process(
    tmp_path: Path,
) -> None:
    state = str(tmp_path / "nonces")
    before = time.time_ns() // 1000
    outputs = run_all([[sys.executable, "-c", TAKER, state, "4", "2500"] for _ in range(4)])
    results = [json.loads(output) for output in outputs]
    every = [value for result in results for values in result["threads"] for value in values]
    assert len(every) == 4 * 4 * 2500
    assert len(set(every)) == len(every)
    assert all(before <= value <= MAX_NONCE and len(str(value)) == len(str(before)) for value in every)
    for result in results:
        mine = [value for values in result["threads"] for value in values]
        assert len({value % SLOTS for value in [*mine, result["last"]]}) == 1  # one slot per process
        assert result["last"] > max(mine)
        for values in result["threads"]:
            assert all(earlier < later for earlier, later in itertools.pairwise(values))


def take_in_child(state: str, count: int, together: Any, queue: multiprocessing.Queue[list[int]]) -> None:
    """Take nonces in a forked child of a process that already took some, all children alive at once."""
    source = NonceSource(state)
    first = int(source())
    together.wait(timeout=60)
    queue.put([first, *(int(source()) for _ in range(count))])


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
def test_a_forked_child_takes_its_own_slot(tmp_path: Path) -> None:
    state = str(tmp_path / "nonces")
    parent = NonceSource(state)
    first = int(parent())
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[int]] = context.Queue()
    together = context.Barrier(3)
    children = [context.Process(target=take_in_child, args=(state, 1000, together, queue)) for _ in range(3)]
    for child in children:
        child.start()
    taken = [queue.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
    mine = [int(parent()) for _ in range(1000)]
    every = [first, *mine, *(value for values in taken for value in values)]
    assert len(set(every)) == len(every)
    assert len({values[0] % SLOTS for values in taken} | {first % SLOTS}) == 4  # four slots held at once
    for values in [mine, *taken]:
        assert all(earlier < later for earlier, later in itertools.pairwise(values))
        assert len({value % SLOTS for value in values}) == 1
    assert mine[0] > first


def test_one_nonce_is_the_time_in_microseconds_rounded_up_to_the_slot(tmp_path: Path) -> None:
    source = NonceSource(str(tmp_path / "nonces"))
    before = time.time_ns() // 1000
    value = int(source())
    after = time.time_ns() // 1000
    assert before <= value < after + SLOTS


def test_a_file_that_is_no_state_file_is_started_afresh(tmp_path: Path) -> None:
    state = tmp_path / "nonce"
    state.write_text(f"{2**62:020d}")  # what the earlier format held: a decimal counter
    before = time.time_ns() // 1000
    value = int(NonceSource(str(state))())
    assert before <= value < 2**62


def test_the_default_state_file_is_per_user_and_in_the_temporary_directory() -> None:
    assert default_nonce_file().endswith(".nonces")
    assert "pytest-krakenfutures-" in default_nonce_file()


def senders(
    simulator: Simulator, state: str, lock: str, processes: int, threads: int, count: int, burst: int = 0
) -> Counter[str]:
    """Send signed requests from several processes and threads at once; count the answers."""
    url = simulator.base_url + "/derivatives/api/v3/accounts"
    command = [sys.executable, "-c", SENDER, state, url, DUMMY_API_KEY, DUMMY_API_SECRET, str(threads), str(count)]
    outputs = run_all([[*command, lock, str(burst)] for _ in range(processes)])
    return Counter(answer for output in outputs for answer in json.loads(output))


def test_requests_in_turn_from_processes_and_threads_pass_a_strict_nonce_check(tmp_path: Path) -> None:
    with Simulator(nonce_window=0, rate_limits=False) as simulator:
        answers = senders(simulator, str(tmp_path / "nonces"), str(tmp_path / "turn.lock"), 3, 3, 40)
    assert answers == Counter({"success": 3 * 3 * 40})


def test_a_process_that_ran_ahead_of_the_clock_takes_the_next_process_along(tmp_path: Path) -> None:
    state = str(tmp_path / "nonces")
    with Simulator(nonce_window=0, rate_limits=False) as simulator:
        ahead = senders(simulator, state, "", 1, 1, 5, burst=20_000)  # some 2.5 s ahead of the clock
        after = senders(simulator, state, "", 1, 1, 5)
    assert (ahead, after) == (Counter({"success": 5}), Counter({"success": 5}))


def test_overlapping_requests_from_processes_and_threads_never_repeat_a_nonce(tmp_path: Path) -> None:
    with Simulator(rate_limits=False) as simulator:
        answers = senders(simulator, str(tmp_path / "nonces"), "", 3, 3, 40)
    assert sum(answers.values()) == 3 * 3 * 40
    assert set(answers) <= {"success", "nonceBelowThreshold"}  # overtaking requests: the window decides


def test_the_default_source_signs_requests() -> None:
    with Simulator(nonce_window=0) as simulator:
        auth = KrakenFuturesAuth(simulator.api_key, simulator.api_secret)
        with requests.Session() as session:
            for _ in range(5):
                answer = session.get(simulator.base_url + "/derivatives/api/v3/accounts", auth=auth, timeout=10)
                assert answer.json()["result"] == "success"
