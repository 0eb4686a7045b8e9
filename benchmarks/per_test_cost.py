"""The fixed cost of a cassette per test: tests that only open their cassette, against plain tests, in one run.

Usage: python benchmarks/per_test_cost.py [--tests 500] [--rounds 5]

Three suites of ``--tests`` tests that send nothing: plain tests (the floor), tests marked
``@pytest.mark.kf_cassette`` whose cassette holds one interaction (replayed: loaded, patched,
saved, unplayed), and the same under pytest-recording's ``@pytest.mark.vcr``. Each runs once
untimed (pytest's cache plugin stays on, as users have it), then they run in turn, round after
round; printed are the medians and the cost per test above the floor, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASSETTE_PLUGIN = """provenance:
  recorded_at: '2026-01-01T00:00:00Z'
  environment: sim
version: 1
interactions:
- request:
    body: null
    headers: {}
    method: GET
    uri: https://futures.kraken.com/derivatives/api/v3/tickers
  response:
    status: {code: 200, message: OK}
    headers:
      Content-Type: [application/json]
    body:
      json: {result: success}
"""
CASSETTE_VCRPY = """interactions:
- request:
    body: null
    headers: {}
    method: GET
    uri: https://futures.kraken.com/derivatives/api/v3/tickers
  response:
    status: {code: 200, message: OK}
    headers:
      Content-Type: [application/json]
    body:
      string: '{"result":"success"}'
version: 1
"""


def write(root: Path, tests: int) -> None:
    """Write the three suites, each test's cassette included."""
    suites = {"floor": "", "plugin": "@pytest.mark.kf_cassette\n", "recording": "@pytest.mark.vcr\n"}
    for suite, marker in suites.items():
        folder = root / suite
        folder.mkdir()
        (folder / "pytest.ini").write_text("[pytest]\n")
        body = "import pytest\n" + "".join(f"\n{marker}def test_{n}():\n    pass\n" for n in range(tests))
        (folder / "test_cost.py").write_text(body)
        text = {"plugin": CASSETTE_PLUGIN, "recording": CASSETTE_VCRPY}.get(suite)
        if text is None:
            continue
        (folder / "cassettes" / "test_cost").mkdir(parents=True)
        for n in range(tests):
            (folder / "cassettes" / "test_cost" / f"test_{n}.yaml").write_text(text)


def run(folder: Path) -> float:
    """Run a suite serially and return its wall time (every test must pass)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "--record-mode=none"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{folder.name} failed:\n{result.stdout[-3000:]}")
    return elapsed


def main() -> None:
    """Run the suites in turn and print the per-test cost above the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        write(root, options.tests)
        times: dict[str, list[float]] = {"floor": [], "plugin": [], "recording": []}
        for suite in times:
            run(root / suite)  # untimed: fills pytest's cache folder as a user's first run does
        for _ in range(options.rounds):
            for suite, values in times.items():
                values.append(run(root / suite))
        median = {suite: statistics.median(values) for suite, values in times.items()}
        per = {suite: (median[suite] - median["floor"]) / options.tests * 1000 for suite in ("plugin", "recording")}
        print(
            f"{options.tests} tests: floor {median['floor']:.2f} s, kf_cassette {median['plugin']:.2f} s "
            f"({per['plugin']:.2f} ms per test above the floor), pytest-recording vcr {median['recording']:.2f} s "
            f"({per['recording']:.2f} ms per test); plugin / pytest-recording x{per['plugin'] / per['recording']:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
