"""Recording N interactions into one cassette: time per interaction at each size, and the save against libyaml.

Usage: python benchmarks/recording_size.py [--sizes 100 1000] [--rounds 3]

Each round records ``size`` signed GETs (each its own query) from the bundled simulator into a
new cassette through this plugin (record mode ``once``), as a test does, and times the whole
recording and the save alone. The same run dumps the saved document with PyYAML's libyaml
emitter (``CSafeDumper``) as the floor of a save. Printed: seconds per interaction at each size
(linear means the same figure at every size), and the save's ratio to the libyaml dump.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests
import yaml

from pytest_krakenfutures import KrakenFuturesSession
from pytest_krakenfutures.cassette import KfCassette
from pytest_krakenfutures.context import CassetteContext
from pytest_krakenfutures.recording import use_cassette
from pytest_krakenfutures.scrub import Scrubber
from pytest_krakenfutures.simulator import Simulator


def record(simulator: Simulator, path: Path, size: int) -> tuple[float, float]:
    """Record ``size`` interactions into a new cassette; return (whole recording, save) in seconds."""
    context = CassetteContext(path=path, record_mode="once", env="sim", test_id="bench::record")
    saved: list[float] = []
    original = KfCassette._save

    def timed_save(cassette: KfCassette, force: bool = False) -> None:
        """Time the save of the cassette being benchmarked."""
        start = time.perf_counter()
        original(cassette, force)
        saved.append(time.perf_counter() - start)

    KfCassette._save = timed_save  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        scrubber = Scrubber(credentials=(simulator.api_key, simulator.api_secret))
        with use_cassette(context, {}, scrubber):
            session = KrakenFuturesSession(simulator.base_url, simulator.api_key, simulator.api_secret)
            for number in range(size):
                session.get("openorders", params={"page": str(number)})
        return time.perf_counter() - start, saved[0]
    finally:
        KfCassette._save = original  # type: ignore[method-assign]


def main() -> None:
    """Record at each size in turn, round after round, and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, Simulator(rate_limits=False) as simulator:
        requests.get(simulator.base_url + "/derivatives/api/v3/tickers", timeout=5)
        first: float | None = None
        for size in options.sizes:
            totals, saves, dumps = [], [], []
            for round_number in range(options.rounds):
                path = Path(temporary) / f"{size}-{round_number}.yaml"
                total, save = record(simulator, path, size)
                document = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
                start = time.perf_counter()
                yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=110)
                dumps.append(time.perf_counter() - start)
                totals.append(total)
                saves.append(save)
            per = statistics.median(totals) / size
            first = first or per
            save, dump = statistics.median(saves), statistics.median(dumps)
            print(
                f"{size} interactions: {statistics.median(totals):.2f} s, {per * 1000:.2f} ms each "
                f"(x{per / first:.2f} of {options.sizes[0]}); save {save:.3f} s, libyaml dump {dump:.3f} s, "
                f"save / dump x{save / dump:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
