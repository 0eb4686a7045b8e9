"""1000 replayed one-call contract tests: this plugin against a no-HTTP floor and pytest-recording, in one run.

Usage: python benchmarks/replay_suite.py [--modules 10] [--tests 100] [--rounds 3] [--workers 0 2] [--before TREE]

Three suites of the same tests, generated in a temporary directory, each test checking the
contract of one ticker answer with ``assert_contract``:

- floor: the answer is a constant in the test module; no HTTP, no cassette;
- plugin: ``kf_session.get(...)`` replayed from the test's cassette (``--kf-record-mode=none``);
- pytest-recording: ``requests.get(...)`` under ``@pytest.mark.vcr``, replayed (``--record-mode=none``).

The cassettes are recorded first, from the bundled simulator, and each suite runs once untimed
(so that pytest's cache folder, kept on as users keep it, holds what a second run finds there:
the plugin's parsed cassettes among it). The suites then run in turn,
round after round (floor, plugin, pytest-recording, floor, ...), serially and with xdist, and
the medians are printed with the ratios to the floor and to pytest-recording of the same run:
of wall time, and of CPU time (user and system, of pytest and its xdist workers), which other
work on a shared machine disturbs less. With ``--before TREE`` (a checkout of another commit),
that tree's plugin replays the same cassettes in each round too, after this one's, for a
before/after comparison in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from pytest_krakenfutures.simulator import Simulator

PATH = "/derivatives/api/v3/tickers/PF_XBTUSD"
PLUGIN_TEST = """
def test_{n}(kf_session):
    assert_contract(kf_session.get("tickers/PF_XBTUSD"))
"""
RECORDING_TEST = """
@pytest.mark.vcr
def test_{n}():
    assert_contract(requests.get(BASE + "{path}", timeout=5))
"""
FLOOR_TEST = """
def test_{n}():
    assert_contract(BODY, "getTicker")
"""


def write_suites(root: Path, modules: int, tests: int, body: str) -> None:
    """Write the three suites' modules (and an ini file each) under ``root``."""
    heads = {
        "floor": f"import json\nfrom pytest_krakenfutures import assert_contract\n\nBODY = json.loads({body!r})\n",
        "plugin": "from pytest_krakenfutures import assert_contract\n",
        "recording": "import os\nimport pytest\nimport requests\nfrom pytest_krakenfutures import assert_contract\n\n"
        "BASE = os.environ['BENCH_BASE']\n",
    }
    bodies = {"floor": FLOOR_TEST, "plugin": PLUGIN_TEST, "recording": RECORDING_TEST}
    for suite, head in heads.items():
        folder = root / suite
        folder.mkdir()
        ini = "[pytest]\nkf_simulator_seed = 1\nkf_simulator_clock = 2026-01-01T00:00:00Z\n"
        (folder / "pytest.ini").write_text(ini)
        for module in range(modules):
            text = head + "".join(bodies[suite].format(n=n, path=PATH) for n in range(tests))
            (folder / f"test_m{module}.py").write_text(text)


def pytest_run(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run pytest in a suite's folder; return its wall time and CPU time (its processes', user and system).

    Fail loudly unless every test passed.
    """
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{folder.name} {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu


def report(label: str, total: int, times: dict[str, list[float]], unit: str) -> None:
    """Print the medians of one measure (wall or CPU seconds) of the suites, with their ratios."""
    median = {suite: statistics.median(values) for suite, values in times.items()}
    print(
        f"{total} tests, {label}, {unit}: floor {median['floor']:.2f} s, plugin {median['plugin']:.2f} s "
        f"(x{median['plugin'] / median['floor']:.2f} of the floor), pytest-recording "
        f"{median['recording']:.2f} s (x{median['recording'] / median['floor']:.2f}); "
        f"plugin / pytest-recording x{median['plugin'] / median['recording']:.2f}",
        flush=True,
    )
    if "before" in median:
        print(
            f"  the plugin of the --before tree: {median['before']:.2f} s (x{median['before'] / median['floor']:.2f} "
            f"of the floor); plugin / before x{median['plugin'] / median['before']:.2f}",
            flush=True,
        )


def main() -> None:
    """Record the cassettes, run the suites in turn and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--tests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--before", type=Path, help="a checkout of another commit: its plugin replays the suite too")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, Simulator(seed=1, clock="2026-01-01T00:00:00Z") as simulator:
        root = Path(temporary)
        body = json.dumps(requests.get(simulator.base_url + PATH, timeout=5).json())
        write_suites(root, options.modules, options.tests, body)
        env = {**os.environ, "BENCH_BASE": simulator.base_url}
        before_env = {**os.environ, "PYTHONPATH": str(options.before.resolve())} if options.before else None
        print(f"recording {options.modules * options.tests} cassettes per suite ...", flush=True)
        pytest_run(root / "plugin", "-n", "2", "--kf-record-mode=once", "--kf-env=sim")
        pytest_run(root / "recording", "-n", "2", "--record-mode=once", env=env)
        suites: list[tuple[str, str, tuple[str, ...], dict[str, str] | None]] = [
            ("floor", "floor", (), None),
            ("plugin", "plugin", (), None),
            ("recording", "recording", ("--record-mode=none",), env),
        ]
        if before_env is not None:
            suites.insert(2, ("before", "plugin", (), before_env))
        for _, folder, suite_args, suite_env in suites:
            pytest_run(root / folder, *suite_args, "-p", "no:xdist", env=suite_env)
        total = options.modules * options.tests
        for workers in options.workers:
            extra = ("-n", str(workers)) if workers else ("-p", "no:xdist")
            wall: dict[str, list[float]] = {name: [] for name, *_ in suites}
            cpu: dict[str, list[float]] = {name: [] for name, *_ in suites}
            for _ in range(options.rounds):
                for name, folder, suite_args, suite_env in suites:
                    elapsed, used = pytest_run(root / folder, *suite_args, *extra, env=suite_env)
                    wall[name].append(elapsed)
                    cpu[name].append(used)
            label = f"-n {workers}" if workers else "serial"
            report(label, total, wall, "wall time")
            report(label, total, cpu, "CPU time")


if __name__ == "__main__":
    main()
