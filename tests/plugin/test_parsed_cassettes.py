"""Replays read parsed cassettes from pytest's cache folder, and an edited cassette is read anew."""

from __future__ import annotations

import pytest

# Imported here so that in-process runs share one PyYAML (its C loader does not survive a re-import).
import pytest_krakenfutures.cassette_format  # noqa: F401


def test_replays_read_the_cache_and_see_an_edited_cassette(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_cached="""
        import pytest

        @pytest.mark.kf_cassette
        def test_ticker(kf_session):
            print("last", kf_session.get("tickers/PF_XBTUSD").json()["ticker"]["last"])
        """
    )
    pytester.runpytest_inprocess("--kf-record-mode=once", "--kf-env=sim").assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "test_cached" / "test_ticker.yaml"
    first = pytester.runpytest_inprocess("-s")
    first.assert_outcomes(passed=1)
    entries = list((pytester.path / ".pytest_cache" / "d" / "kf-cassettes").iterdir())
    assert len(entries) == 1
    recorded = cassette.read_text()
    last = recorded.split("last: ", 1)[1].split("\n", 1)[0]
    cassette.write_text(recorded.replace(f"last: {last}\n", "last: 12345.5\n", 1))
    edited = pytester.runpytest_inprocess("-s")
    edited.assert_outcomes(passed=1)
    edited.stdout.fnmatch_lines(["*last 12345.5*"])
    assert len(list((pytester.path / ".pytest_cache" / "d" / "kf-cassettes").iterdir())) == 2
    off = pytester.runpytest_inprocess("-s", "-p", "no:cacheprovider")
    off.stdout.fnmatch_lines(["*last 12345.5*"])


def test_a_run_without_cassettes_makes_no_folder_for_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    pytester.runpytest_inprocess().assert_outcomes(passed=1)
    assert (pytester.path / ".pytest_cache").is_dir()
    assert not (pytester.path / ".pytest_cache" / "d" / "kf-cassettes").exists()
