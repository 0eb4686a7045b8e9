"""Observations: tolerated surprises in passing responses are counted and summarised at the end of a run."""

from __future__ import annotations

import json

import pytest
import yaml

TESTS = """
def test_tickers(kf_session, kf_contract):
    kf_contract(kf_session.get("tickers"))

def test_ticker(kf_session, kf_contract):
    kf_contract(kf_session.get("tickers/PF_XBTUSD"))
"""


@pytest.fixture
def drifted(pytester: pytest.Pytester) -> pytest.Pytester:
    """A recorded suite whose cassettes then gained a field, a string number and a new tag value."""
    pytester.makepyfile(test_market=TESTS)
    pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=sim").assert_outcomes(passed=2)
    path = pytester.path / "cassettes" / "test_market" / "test_tickers.yaml"
    document = yaml.safe_load(path.read_text())
    tickers = document["interactions"][0]["response"]["body"]["json"]["tickers"]
    for ticker in tickers:
        ticker["riskLimit"] = 5
    tickers[0]["markPrice"] = str(tickers[0]["markPrice"])
    tickers[0]["tag"] = "weekly"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return pytester


def test_a_passing_run_ends_with_a_count_of_observations(drifted: pytest.Pytester) -> None:
    result = drifted.runpytest_subprocess()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures observations (tolerated, not failures) =*",
            "3 observations on 1 endpoint (-v lists them)",
        ]
    )
    assert "riskLimit" not in result.stdout.str()


def test_verbose_lists_every_observation(drifted: pytest.Pytester) -> None:
    result = drifted.runpytest_subprocess("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures observations (tolerated, not failures) =*",
            "getTickers: 3 observations",
            "  number as string at $.tickers[[]*[]].markPrice (in 1 response)",
            "  undeclared field at $.tickers[[]*[]].riskLimit: 'riskLimit' (in 1 response)",
            "  undocumented value at $.tickers[[]*[]].tag: 'weekly' (in 1 response)",
        ]
    )
    assert "getTicker:" not in result.stdout.str()


def test_observations_of_xdist_workers_reach_the_summary(drifted: pytest.Pytester) -> None:
    result = drifted.runpytest_subprocess("-n", "2", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*krakenfutures observations*", "getTickers: * observations", "*riskLimit*"])


def test_a_clean_run_prints_no_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_market=TESTS)
    result = pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=sim")
    result.assert_outcomes(passed=2)
    assert "krakenfutures observations" not in result.stdout.str()


def test_proposed_schemas_fold_the_observations_in(drifted: pytest.Pytester) -> None:
    result = drifted.runpytest_subprocess("--kf-propose-schemas=proposed")
    result.assert_outcomes(passed=2)
    proposed = drifted.path / "proposed" / "getTickers.json"
    result.stdout.fnmatch_lines([f"proposed schema written: {proposed}"])
    document = json.loads(proposed.read_text())
    overlay = document["allOf"][-1]
    ticker = overlay["properties"]["tickers"]["items"]["properties"]
    assert ticker["tag"]["x-known"] == ["weekly"]
    assert ticker["markPrice"]["x-sent-as-string"] is True
    assert ticker["riskLimit"]["$comment"].startswith("proposed: a field the schema did not declare")
    drifted.makeini("[pytest]\nkf_schema_dir = proposed\n")
    again = drifted.runpytest_subprocess()
    again.assert_outcomes(passed=2)
    assert "krakenfutures observations" not in again.stdout.str()
