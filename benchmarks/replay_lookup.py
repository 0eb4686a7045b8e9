"""Replay cost per request at 10 and at 1000 interactions: this plugin's cassette against bare vcrpy, in one run.

Usage: python benchmarks/replay_lookup.py [--sizes 10 100 1000] [--requests 200] [--rounds 5]

For each size a cassette of that many recorded GETs (each its own query) is written twice: in
this plugin's format and in vcrpy's own. ``requests`` then replays ``--requests`` of them, in a
shuffled order with repeats, through each (record mode ``none``, matching on method, path, query and
body, answers replayable),
round after round; the medians per request are printed, with the plugin's ratio to bare vcrpy
at each size and to its own figure at the smallest size.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import vcr
from vcr.request import Request
from vcr.serialize import serialize
from vcr.serializers import yamlserializer

from pytest_krakenfutures.cassette_format import CassetteSerializer
from pytest_krakenfutures.context import CassetteContext
from pytest_krakenfutures.recording import use_cassette
from pytest_krakenfutures.scrub import Scrubber
from pytest_krakenfutures.vcr_options import VcrOptions

ORIGIN = "https://futures.kraken.com"
PATH = "/derivatives/api/v3/tickers"


def interactions(size: int) -> dict[str, list[Any]]:
    """Return ``size`` recorded GETs with small JSON answers, as vcrpy's cassette dictionary."""
    recorded_requests, responses = [], []
    for number in range(size):
        recorded_requests.append(Request("GET", f"{ORIGIN}{PATH}?page={number}", None, {}))
        body = json.dumps({"result": "success", "page": number}, separators=(",", ":"))
        responses.append(
            {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Type": ["application/json"]},
                "body": {"string": body},
            }
        )
    return {"requests": recorded_requests, "responses": responses}


def plugin_round(path: Path, urls: list[str]) -> float:
    """Replay the URLs through this plugin's cassette; return seconds per request."""
    context = CassetteContext(path=path, record_mode="none", env="sim", test_id="bench::lookup")
    repeats = VcrOptions(allow_playback_repeats=True)
    with use_cassette(context, {}, Scrubber(), options=repeats), requests.Session() as session:
        start = time.perf_counter()
        for url in urls:
            session.get(url)
        return (time.perf_counter() - start) / len(urls)


def vcrpy_round(path: Path, urls: list[str]) -> float:
    """Replay the URLs through bare vcrpy; return seconds per request."""
    recorder = vcr.VCR(record_mode="none", match_on=("method", "path", "query", "body"))
    with recorder.use_cassette(str(path), allow_playback_repeats=True), requests.Session() as session:
        start = time.perf_counter()
        for url in urls:
            session.get(url)
        return (time.perf_counter() - start) / len(urls)


def main() -> None:
    """Write the cassettes, replay through both in turn, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    shuffle = random.Random(1)
    smallest: float | None = None
    with tempfile.TemporaryDirectory() as temporary:
        for size in options.sizes:
            cassette = interactions(size)
            ours = Path(temporary) / f"plugin-{size}.yaml"
            ours.write_text(serialize(cassette, CassetteSerializer({})))
            bare = Path(temporary) / f"vcrpy-{size}.yaml"
            bare.write_text(serialize(cassette, yamlserializer))
            pages = [shuffle.randrange(size) for _ in range(options.requests)]
            urls = [f"http://simulator.invalid{PATH}?page={page}" for page in pages]
            plugin_times, vcrpy_times = [], []
            for _ in range(options.rounds):
                plugin_times.append(plugin_round(ours, urls))
                vcrpy_times.append(vcrpy_round(bare, urls))
            plugin, bare_vcrpy = statistics.median(plugin_times), statistics.median(vcrpy_times)
            smallest = smallest or plugin
            print(
                f"{size} interactions: plugin {plugin * 1000:.3f} ms per request (x{plugin / smallest:.2f} of "
                f"{options.sizes[0]}), bare vcrpy {bare_vcrpy * 1000:.3f} ms; "
                f"plugin / vcrpy x{plugin / bare_vcrpy:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
