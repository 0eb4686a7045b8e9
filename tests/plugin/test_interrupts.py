"""Nothing recorded is lost: interrupted and failing tests never replace a cassette; one cassette per test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

SIM = ("--kf-record-mode=once", "--kf-env=sim", "-p", "no:cacheprovider")

MARKET = """
import os
import pathlib
import time


def test_market(kf_session, kf_contract):
    kf_contract(kf_session.get("tickers"))
    if os.environ.get("KF_TEST_HANG"):
        kf_contract(kf_session.get("instruments"))
        pathlib.Path(os.environ["KF_TEST_HANG"]).write_text("recorded two calls")
        time.sleep(120)
    if os.environ.get("KF_TEST_FAIL"):
        kf_contract(kf_session.get("instruments"))
        assert False, "the bot got it wrong"
"""


def cassette(root: Path) -> Path:
    return root / "cassettes" / "test_market" / "test_market.yaml"


def uris(path: Path) -> list[str]:
    return [item["request"]["uri"].rsplit("/", 1)[-1] for item in yaml.safe_load(path.read_text())["interactions"]]


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> Path:
    pytester.makepyfile(test_market=MARKET)
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=1)
    assert uris(cassette(pytester.path)) == ["tickers"]
    return cassette(pytester.path)


@pytest.mark.parametrize(
    ("sig", "workers"),
    [(signal.SIGINT, "0"), (signal.SIGTERM, "0"), (signal.SIGINT, "2"), (signal.SIGTERM, "2")],
    ids=["SIGINT", "SIGTERM", "SIGINT-n2", "SIGTERM-n2"],
)
def test_a_signal_during_rewrite_keeps_the_cassette(
    pytester: pytest.Pytester, recorded: Path, sig: signal.Signals, workers: str
) -> None:
    before = recorded.read_bytes()
    marker = pytester.path / "recording"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            workers,
            "--kf-record-mode=rewrite",
            "--kf-env=sim",
            "-p",
            "no:cacheprovider",
        ],
        cwd=pytester.path,
        env={**os.environ, "KF_TEST_HANG": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the test never started recording"
        time.sleep(0.05)
    # As a terminal does for Ctrl-C, and a supervisor for a stop: the whole process group.
    os.killpg(process.pid, sig)
    output = process.communicate(timeout=60)[0]
    assert process.returncode != 0, output
    assert recorded.read_bytes() == before, output
    kept = recorded.with_name(recorded.name + ".interrupted")
    if workers == "0":
        assert uris(kept) == ["tickers", "instruments"], output
        assert yaml.safe_load(kept.read_text())["provenance"]["kept_beside"] == {
            "test": "test_market.py::test_market",
            "because": "the test interrupted",
        }
        assert "recordings kept beside their cassettes" in output
        assert f"cassette {recorded} left as it was; its new recording is {kept}" in output
    assert not [p for p in recorded.parent.iterdir() if p.name.endswith(".tmp")]
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_test_failing_in_rewrite_keeps_the_cassette_and_its_recording_beside(
    pytester: pytest.Pytester, recorded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = recorded.read_bytes()
    monkeypatch.setenv("KF_TEST_FAIL", "1")
    result = pytester.runpytest_subprocess("--kf-record-mode=rewrite", "--kf-env=sim", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    kept = recorded.with_name(recorded.name + ".failed")
    assert recorded.read_bytes() == before
    assert uris(kept) == ["tickers", "instruments"]
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures: recordings kept beside their cassettes =*",
            f"test_market.py::test_market: the test failed; cassette {recorded} left as it was; its new recording is "
            f"{kept} (review it; rename it to the cassette to keep it)",
        ]
    )
    monkeypatch.delenv("KF_TEST_FAIL")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    pytester.runpytest_subprocess("--kf-record-mode=rewrite", "--kf-env=sim").assert_outcomes(passed=1)
    assert not kept.exists()


def test_a_failing_first_recording_writes_no_cassette(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_market=MARKET)
    monkeypatch.setenv("KF_TEST_FAIL", "1")
    result = pytester.runpytest_subprocess(*SIM)
    result.assert_outcomes(failed=1)
    path = cassette(pytester.path)
    kept = path.with_name(path.name + ".failed")
    assert not path.exists()
    assert uris(kept) == ["tickers", "instruments"]
    result.stdout.fnmatch_lines([f"*cassette {path} not written; its new recording is {kept}*"])
    monkeypatch.delenv("KF_TEST_FAIL")
    replay = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    replay.assert_outcomes(failed=1)
    replay.stdout.fnmatch_lines([f"*a recording an earlier run did not keep is in {kept}*"])


def test_tests_named_alike_in_different_classes_have_cassettes_of_their_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_classes="""
        class TestA:
            def test_get(self, kf_session):
                assert kf_session.get("tickers/PF_XBTUSD").json()["ticker"]["symbol"] == "PF_XBTUSD"

        class TestB:
            def test_get(self, kf_session):
                assert kf_session.get("tickers/PF_ETHUSD").json()["ticker"]["symbol"] == "PF_ETHUSD"

            class TestInner:
                def test_get(self, kf_session):
                    assert kf_session.get("instruments").json()["result"] == "success"
        """
    )
    pytester.runpytest_subprocess(*SIM).assert_outcomes(passed=3)
    folder = pytester.path / "cassettes" / "test_classes"
    assert sorted(p.name for p in folder.iterdir()) == [
        "TestA.test_get.yaml",
        "TestB.TestInner.test_get.yaml",
        "TestB.test_get.yaml",
    ]
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=3)


@pytest.mark.parametrize("workers", ["0", "2"])
def test_two_tests_that_would_share_a_cassette_fail_before_recording(pytester: pytest.Pytester, workers: str) -> None:
    pytester.makepyfile(
        test_ids="""
        import pytest

        @pytest.mark.parametrize("path", ["a/b", "a:b"])
        def test_path(kf_session, path):
            kf_session.get("tickers")

        def test_alone(kf_session):
            kf_session.get("tickers")
        """
    )
    result = pytester.runpytest_subprocess("-n", workers, *SIM)
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ConfigurationError: test_ids.py::test_path[[]a/b[]] and test_ids.py::test_path[[]a:b[]] would share "
            "the cassette *test_path[[]a_b[]].yaml: their names differ only in characters a file name cannot hold*"
        ]
    )
    assert sorted(p.name for p in (pytester.path / "cassettes" / "test_ids").iterdir()) == ["test_alone.yaml"]
