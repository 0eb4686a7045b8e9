"""Beside pytest-recording: both plugins in one run, its --block-network and --allowed-hosts, its vcr marker."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_recording")

BOTH = """
import pytest, requests

@pytest.mark.kf_cassette
def test_ours(kf_base_url):
    assert requests.get(kf_base_url + "/derivatives/api/v3/tickers").json()["result"] == "success"

@pytest.mark.vcr
def test_theirs(kf_simulator):
    assert requests.get(kf_simulator.base_url + "/derivatives/api/v3/instruments").ok
"""


def test_both_plugins_record_and_replay_their_own_cassettes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_both=BOTH)
    recorded = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kf-record-mode=once", "--record-mode=once")
    recorded.assert_outcomes(passed=2)
    ours = pytester.path / "cassettes" / "test_both" / "test_ours.yaml"
    theirs = pytester.path / "cassettes" / "test_both" / "test_theirs.yaml"  # pytest-recording's default place
    assert ours.is_file()
    assert "provenance:" in ours.read_text()
    assert theirs.is_file()
    assert "provenance:" not in theirs.read_text()
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--block-network", "-k", "ours").assert_outcomes(
        passed=1, deselected=1
    )


def test_block_network_stops_a_recording_before_it_starts_and_allowed_hosts_lets_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_both=BOTH)
    blocked = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--kf-record-mode=once", "--block-network", "-k", "ours"
    )
    blocked.assert_outcomes(errors=1, deselected=1)
    blocked.stdout.fnmatch_lines(
        [
            "ConfigurationError: pytest-recording's --block-network blocks 127.0.0.1, where this test records from "
            "(the bundled simulator); let it through with --allowed-hosts=127.0.0.1*"
        ]
    )
    assert not (pytester.path / "cassettes").exists()
    allowed = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--kf-record-mode=once", "--block-network", "--allowed-hosts=127.0.0.1", "-k", "ours"
    )
    allowed.assert_outcomes(passed=1, deselected=1)
    replayed = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--block-network", "-k", "ours")
    replayed.assert_outcomes(passed=1, deselected=1)


def test_the_block_network_marker_counts_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marked="""
        import pytest

        @pytest.mark.block_network
        def test_t(kf_session):
            kf_session.get("tickers")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kf-record-mode=once")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--block-network blocks 127.0.0.1*"])
