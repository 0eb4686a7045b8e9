"""assert_contract on a 1000-element history body (about 860 KB) against a cached jsonschema validator.

Usage: python benchmarks/contract_validation.py [--rounds 15] [--tests 0] [--before TREE]

The body is the public execution history of the bundled cassette
``cassettes/tests/contracts/test_history/test_market_history[v3].yaml``; the verdict and the walk
are also timed on one ticker answer (``test_ticker_by_symbol.yaml``), where the walk's cost per
call shows more than its cost per value. Rounds alternate the
two sides (baseline, then ``assert_contract``, then baseline...), so that a machine busy with
something else slows both alike; the medians and their ratio are printed, with the parts of the
passing path (the jsonschema-rs verdict, the observations walk). ``--tests N`` also runs the
bundled market-history contract tests N times in a pytest subprocess and prints the median
duration of each test's call; with ``--before TREE`` (a checkout of another commit) the runs
alternate between that tree and this one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from pytest_krakenfutures import assert_contract, catalog
from pytest_krakenfutures.observations import observe
from pytest_krakenfutures.schemas import load, registry
from pytest_krakenfutures.validators import fast_validator

ROOT = Path(__file__).resolve().parents[1]
CASSETTE = ROOT / "cassettes" / "tests" / "contracts" / "test_history" / "test_market_history[v3].yaml"
PATH = "/api/history/v3/market/PF_XBTUSD/executions"
TICKER_CASSETTE = ROOT / "cassettes" / "tests" / "contracts" / "test_market_data" / "test_ticker_by_symbol.yaml"
TICKER_PATH = "/derivatives/api/v3/tickers/"
TESTS = "tests/contracts/test_history.py"
DURATION = re.compile(r"^([0-9.]+)s call\s+\S+::(test_market_history\[\w+\])$", re.MULTILINE)


def recorded_body(cassette: Path, path: str) -> tuple[str, bytes]:
    """Return the path and the answer of the first recorded request to a path containing ``path``, as bytes."""
    document = yaml.load(cassette.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for interaction in document["interactions"]:
        uri = interaction["request"]["uri"]
        if path in uri:
            body = interaction["response"]["body"]
            decoded = body["json"] if "json" in body else json.loads(body["string"])
            return urlsplit(uri).path, json.dumps(decoded, separators=(",", ":")).encode()
    raise SystemExit(f"no {path} answer in {cassette}")


def history_body() -> bytes:
    """Return the recorded answer of the market execution history, as the bytes a response carries."""
    return recorded_body(CASSETTE, PATH)[1]


def small_body(rounds: int) -> None:
    """Time the verdict and the observations walk on one ticker answer (many calls per round), and print them."""
    path, raw = recorded_body(TICKER_CASSETTE, TICKER_PATH)
    body = json.loads(raw)
    target = catalog.resolve("GET", path)
    fast = fast_validator(target.schema) if target is not None else None
    if target is None or fast is None or not fast.passes(body):
        raise SystemExit(f"{path}: no endpoint, no compiled schema, or a recorded answer that does not pass it")
    calls = 2000
    medians = paired(
        {
            "verdict": lambda: [fast.passes(body) for _ in range(calls)],
            "walk": lambda: [observe(body, target) for _ in range(calls)],
        },
        rounds,
    )
    verdict, walk = (medians[name] / calls * 1e6 for name in ("verdict", "walk"))
    print(f"one ticker answer ({len(raw)} bytes): verdict {verdict:.1f} us, walk {walk:.1f} us, x{walk / verdict:.1f}")


def seconds(call: Callable[[], Any]) -> float:
    """Return how long one call takes."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def paired(sides: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Time each side once per round, the sides in turn; return each side's median in seconds."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, call in sides.items():
            times[name].append(seconds(call))
    return {name: statistics.median(values) for name, values in times.items()}


def in_process(rounds: int) -> None:
    """Time the passing path against a cached jsonschema validator on the history body, and print the figures."""
    raw = history_body()
    body = json.loads(raw)
    target = catalog.resolve("GET", PATH)
    fast = fast_validator(target.schema) if target is not None else None
    if target is None or fast is None:
        raise SystemExit(f"{PATH}: no endpoint, or a schema jsonschema-rs cannot compile")
    schema = load(target.schema)
    cached = validator_for(schema)(schema, registry=registry(), format_checker=FormatChecker())
    if list(cached.iter_errors(body)) or not fast.passes(body):
        raise SystemExit(f"the recorded {PATH} answer does not pass schema {target.schema}")
    assert_contract(body, target.id)
    print(f"body: {len(body['elements'])} elements, {len(raw) / 1000:.0f} KB, schema {target.schema}")
    medians = paired(
        {
            "cached jsonschema validator": lambda: list(cached.iter_errors(body)),
            "assert_contract (decoded body)": lambda: assert_contract(body, target.id),
            "assert_contract (bytes)": lambda: assert_contract(raw, target.id),
            "  verdict (jsonschema-rs)": lambda: fast.passes(body),
            "  observations walk": lambda: observe(body, target),
        },
        rounds,
    )
    baseline = medians["cached jsonschema validator"]
    for name, median in medians.items():
        print(f"{name:32} {median * 1000:9.2f} ms  x{median / baseline:.4f}")
    walk = medians["  observations walk"]
    verdict = medians["  verdict (jsonschema-rs)"]
    print(f"observations walk: x{walk / verdict:.2f} of the verdict, x{walk / baseline:.4f} of the cached validator")
    small_body(rounds)


def test_calls(tree: Path) -> dict[str, float]:
    """Run the bundled market-history tests once with the package of ``tree``; return each call's duration."""
    command = [sys.executable, "-m", "pytest", TESTS, "-k", "market_history", "-n", "0", "-p", "no:cacheprovider"]
    command += ["-q", "--durations=0", "--durations-min=0"]
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True, check=False)
    found = {name: float(value) for value, name in DURATION.findall(result.stdout)}
    if result.returncode != 0 or len(found) != 2:
        raise SystemExit(f"pytest in {tree} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return found


def contract_tests(runs: int, before: Path | None) -> None:
    """Time the bundled market-history tests (alternating with ``before`` when given) and print the medians."""
    trees = {"before": before, "after": ROOT} if before is not None else {"after": ROOT}
    durations: dict[str, dict[str, list[float]]] = {side: {} for side in trees}
    for _ in range(runs):
        for side, tree in trees.items():
            for name, value in test_calls(tree).items():
                durations[side].setdefault(name, []).append(value)
    for side, tree in trees.items():
        for name, values in sorted(durations[side].items()):
            print(f"{side:6} {name:28} call median {statistics.median(values):6.2f} s over {len(values)} runs ({tree})")


def main(argv: list[str]) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the in-process timings")
    parser.add_argument("--tests", type=int, default=0, help="runs of the bundled market-history tests")
    parser.add_argument("--before", type=Path, help="a checkout of another commit, for the tests' before figure")
    options = parser.parse_args(argv)
    in_process(options.rounds)
    if options.tests:
        contract_tests(options.tests, options.before)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
