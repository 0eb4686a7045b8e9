"""The recording persister: one writer per cassette across processes, and files beside the cassette."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from vcr.request import Request

from pytest_krakenfutures.cassette_format import CassetteSerializer
from pytest_krakenfutures.context import CassetteContext
from pytest_krakenfutures.persister import RecordingPersister, beside, lock_for
from pytest_krakenfutures.scrub import Scrubber


def recording() -> dict[str, list[object]]:
    request = Request("GET", "https://futures.kraken.com/derivatives/api/v3/tickers", None, {})
    response = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b'{"result":"success"}'}}
    return {"requests": [request], "responses": [response]}


def persister(path: Path, verdict: str = "passed") -> RecordingPersister:
    context = CassetteContext(path=path, record_mode="once", env="sim", test_id="t.py::test_x", verdict=verdict)
    return RecordingPersister(context, Scrubber())


def test_a_save_waits_for_the_writer_that_holds_the_cassette(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    saver = threading.Thread(target=lambda: persister(path).save_cassette(path, recording(), CassetteSerializer()))
    with lock_for(path):
        saver.start()
        time.sleep(0.3)
        assert not path.exists()
    saver.join(timeout=10)
    assert path.exists()


def test_the_lock_lives_outside_the_cassette_folder(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    persister(path).save_cassette(path, recording(), CassetteSerializer())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]
    assert Path(lock_for(path).lock_file).parent != tmp_path


@pytest.mark.parametrize("verdict", ["failed", "interrupted"])
def test_a_test_that_did_not_pass_writes_beside_its_cassette(tmp_path: Path, verdict: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("interactions: []\nversion: 1\n")
    persister(path, verdict).save_cassette(path, recording(), CassetteSerializer({"environment": "sim"}))
    assert path.read_text() == "interactions: []\nversion: 1\n"
    kept = beside(path, verdict)
    assert kept.name == f"c.yaml.{verdict}"
    assert "kept_beside:" in kept.read_text()
    persister(path).save_cassette(path, recording(), CassetteSerializer())
    assert not kept.exists()
    assert "tickers" in path.read_text()
