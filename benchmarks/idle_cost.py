"""What the plugin costs a project that does not use it: ``pytest --co`` with it and without it, in one run.

Usage: python benchmarks/idle_cost.py [--tests 2000] [--rounds 7]

A suite of plain tests is collected with the plugin loaded (as it is once installed) and with
``-p no:krakenfutures``, in turn, round after round; printed are the medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def collect(folder: Path, *args: str) -> float:
    """Collect the suite and return the wall time."""
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *args]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"collection failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    """Collect with and without the plugin in turn and print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "pytest.ini").write_text("[pytest]\n")
        for module in range(10):
            tests = "".join(f"def test_{n}():\n    pass\n\n" for n in range(options.tests // 10))
            (folder / f"test_idle_{module}.py").write_text(tests)
        loaded, unloaded = [], []
        for _ in range(options.rounds):
            loaded.append(collect(folder))
            unloaded.append(collect(folder, "-p", "no:krakenfutures"))
        with_plugin, without = statistics.median(loaded), statistics.median(unloaded)
        print(
            f"pytest --co of {options.tests} tests: with the plugin {with_plugin:.3f} s, without {without:.3f} s, "
            f"x{with_plugin / without:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
