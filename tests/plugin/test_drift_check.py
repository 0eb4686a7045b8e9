"""--kf-drift-check: every test's requests sent again, the new answers compared with its cassette, nothing written."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

V3 = "/derivatives/api/v3"
INI = "[pytest]\nkf_simulator_seed = 1\nkf_simulator_clock = 2026-11-02T09:30:00Z\n"
TESTS = """
def test_tickers(kf_session, kf_contract):
    kf_contract(kf_session.get("tickers"))

def test_instruments(kf_session, kf_contract):
    kf_contract(kf_session.get("instruments"))

def test_accounts(kf_session, kf_contract):
    kf_contract(kf_session.get("accounts"))

def test_history(kf_session, kf_contract):
    kf_contract(kf_session.get("history", params={"symbol": "PF_XBTUSD"}))

def test_order(kf_session, kf_contract):
    kf_contract(kf_session.post("sendorder", data={
        "orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}))
"""


NAMES = ("tickers", "instruments", "accounts", "history", "order")


def answer(body: Any, status: int = 200, kind: str = "application/json") -> tuple[int, str, bytes]:
    return status, kind, json.dumps(body, separators=(",", ":")).encode()


def tickers_changed(body: dict[str, Any]) -> tuple[int, str, bytes]:
    for ticker in body["tickers"]:
        ticker.pop("suspended", None)
        ticker["riskLimit"] = 5
        if "last" in ticker:
            ticker["last"] = None
    body["tickers"][0]["markPrice"] = str(body["tickers"][0]["markPrice"])
    body["tickers"][0]["tag"] = "weekly"
    return answer(body)


def order_refused(body: dict[str, Any]) -> tuple[int, str, bytes]:
    body["sendStatus"] = {"status": "insufficientAvailableFunds", "receivedTime": body["serverTime"], "orderEvents": []}
    return answer(body)


def history_changed(body: dict[str, Any]) -> tuple[int, str, bytes]:
    for trade in body["history"]:
        trade["price"] = {"value": trade["price"]}
    return answer(body)


RULES = {
    f"{V3}/tickers": tickers_changed,
    f"{V3}/history": history_changed,
    f"{V3}/instruments": lambda body: answer({"result": "error", "serverTime": body["serverTime"], "error": "x"}, 503),
    f"{V3}/accounts": lambda body: (200, "text/html", b"<html>maintenance</html>"),
    f"{V3}/sendorder": order_refused,
}


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makepyfile(test_market=TESTS)
    pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=sim").assert_outcomes(passed=5)
    return pytester


def cassettes(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in (root / "cassettes").rglob("*") if path.is_file()}


def test_a_drift_check_against_the_same_simulator_finds_nothing(
    recorded: pytest.Pytester, production_keys: tuple[str, str]
) -> None:
    before = cassettes(recorded.path)
    result = recorded.runpytest_subprocess("--kf-drift-check", "--kf-env=sim", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*= krakenfutures drift (kf_drift_fail = breaking) =*", "drift: none"])
    assert cassettes(recorded.path) == before


@pytest.mark.parametrize("workers", ["0", "2"])
def test_every_kind_of_change_is_graded_and_breaking_drift_fails_the_run(
    recorded: pytest.Pytester, production_keys: tuple[str, str], altered: Any, workers: str
) -> None:
    server = altered(RULES)
    before = cassettes(recorded.path)
    report = recorded.path / "drift.json"
    result = recorded.runpytest_subprocess(
        "-n",
        workers,
        "--kf-drift-check",
        f"--kf-env={server.url}",
        "--kf-allow-trading",
        f"--kf-report={report}",
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert cassettes(recorded.path) == before
    document = json.loads(report.read_text())
    schema = json.loads((resources.files("pytest_krakenfutures") / "report_schema.json").read_text())
    jsonschema.validate(document, schema)
    found = {(item["endpoint"], item["path"], item["kind"], item["severity"]) for item in document["drift"]}
    assert {
        ("getTickers", "$.tickers[*].suspended", "field-removed", "breaking"),
        ("getTickers", "$.tickers[*].riskLimit", "field-added", "info"),
        ("getTickers", "$.tickers[*].markPrice", "number-as-string", "warning"),
        ("getTickers", "$.tickers[*].last", "now-null", "warning"),
        ("getTickers", "$.tickers[*].tag", "new-value", "warning"),
        ("getInstruments", "$", "status-changed", "breaking"),
        ("getInstruments", "$", "outcome-changed", "breaking"),
        ("getAccounts", "$", "content-type-changed", "breaking"),
        ("getAccounts", "$", "body-format-changed", "breaking"),
        ("sendOrder", "$", "outcome-changed", "breaking"),
        ("getHistory", "$.history[*].price", "type-changed", "breaking"),
    } <= found
    assert ("getHistory", "$", "status-changed", "breaking") not in found
    assert {entry["test"] for entry in document["tests"]} == {f"test_market.py::test_{name}" for name in NAMES}
    item = next(item for item in document["drift"] if item["kind"] == "number-as-string")
    assert item["test"] == "test_market.py::test_tickers"
    assert item["cassette"].endswith("cassettes/test_market/test_tickers.yaml")
    assert (item["old"], item["new"]) == ("number", "number or string")
    output = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures drift (kf_drift_fail = breaking) =*",
            "drift: 8 breaking, 4 warning, 2 info (in 5 tests)",
            "  BREAKING getAccounts $: body-format-changed JSON -> text (text/html) (test_market.py::test_accounts)",
        ]
    )
    assert "number-as-string" not in output
    assert "FAILED test_market.py::test_tickers - pytest_krakenfutures.errors.ContractVio" in output
    if workers == "2":
        return
    verbose = recorded.runpytest_subprocess(
        "--kf-drift-check", f"--kf-env={server.url}", "--kf-allow-trading", "-v", "-p", "no:cacheprovider"
    )
    verbose.stdout.fnmatch_lines(["  WARNING getTickers $.tickers[[]*[]].markPrice: number-as-string number -> *"])


@pytest.mark.parametrize(("fail", "code"), [("never", 0), ("warning", 1)])
def test_kf_drift_fail_decides_what_fails_the_run(
    recorded: pytest.Pytester, production_keys: tuple[str, str], altered: Any, fail: str, code: int
) -> None:
    def string_prices(body: dict[str, Any]) -> tuple[int, str, bytes]:
        for instrument in body["instruments"]:
            instrument["newField"] = 1
        body["instruments"][0]["tickSize"] = str(body["instruments"][0]["tickSize"])
        return answer(body)

    server = altered({f"{V3}/instruments": string_prices})
    recorded.makeini(INI + f"kf_drift_fail = {fail}\n")
    result = recorded.runpytest_subprocess(
        "--kf-drift-check", f"--kf-env={server.url}", "-k", "instruments", "-p", "no:cacheprovider"
    )
    assert result.ret == code, result.stdout.str()
    result.stdout.fnmatch_lines([f"*krakenfutures drift (kf_drift_fail = {fail})*", "drift: 0 breaking, 1 warning, *"])


def test_a_test_without_a_cassette_is_skipped_and_options_that_write_are_refused(
    pytester: pytest.Pytester, production_keys: tuple[str, str]
) -> None:
    pytester.makepyfile(test_market=TESTS)
    result = pytester.runpytest_subprocess("--kf-drift-check", "--kf-env=sim", "-rs")
    result.assert_outcomes(skipped=5)
    result.stdout.fnmatch_lines(["*no cassette *test_tickers.yaml to compare with: record it first*"])
    refused = pytester.runpytest_subprocess("--kf-drift-check", "--kf-record-mode=rewrite")
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    refused.stderr.fnmatch_lines(["*--kf-drift-check compares new answers with the cassettes and overwrites nothing*"])


def test_re_recording_says_what_it_replaced(recorded: pytest.Pytester) -> None:
    path = recorded.path / "cassettes" / "test_market" / "test_tickers.yaml"
    document = yaml.safe_load(path.read_text())
    for ticker in document["interactions"][0]["response"]["body"]["json"]["tickers"]:
        ticker["oldField"] = "x"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    result = recorded.runpytest_subprocess("--kf-record-mode=rewrite", "--kf-env=sim", "-k", "tickers", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures drift =*",
            "drift: 0 breaking, 1 warning, 0 info (in 1 test)",
            "  WARNING getTickers $.tickers[[]*[]].oldField: field-removed string -> (none) *",
        ]
    )
    assert "oldField" not in path.read_text()


def test_a_read_only_drift_check_leaves_out_the_tests_that_change_state(
    recorded: pytest.Pytester, production_keys: tuple[str, str], altered: Any
) -> None:
    server = altered({})
    result = recorded.runpytest_subprocess(
        "--kf-drift-check", f"--kf-env={server.url}", "-rs", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=4, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "drift: none",
            "SKIPPED [[]1[]] test_market.py:*: not drift-checked: refused before sending: POST "
            "/derivatives/api/v3/sendorder (sendOrder) changes state on *; recording it needs --kf-allow-trading*",
        ]
    )


def test_the_summary_and_the_report_name_orphaned_and_stale_cassettes(
    recorded: pytest.Pytester, production_keys: tuple[str, str]
) -> None:
    folder = recorded.path / "cassettes" / "test_market"
    orphan = folder / "test_removed_long_ago.yaml"
    orphan.write_text((folder / "test_tickers.yaml").read_text())
    recorded.makeini(INI + "kf_max_age = 7\n")
    report = recorded.path / "report.json"
    result = recorded.runpytest_subprocess(f"--kf-report={report}", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*= krakenfutures cassettes =*",
            "1 orphaned cassette (no collected test owns it)",
            "5 cassettes older than 7 days",
            "(-v lists them)",
            "*= krakenfutures reports =*",
            f"report written: {report}",
        ]
    )
    document = json.loads(report.read_text())
    assert document["orphans"] == [str(orphan)]
    assert len(document["stale"]) == 5
    assert all(item["recorded_at"] == "2026-11-02T09:30:00Z" and item["age_days"] > 7 for item in document["stale"])
    assert [entry["provenance"]["environment"] for entry in document["tests"]] == ["sim"] * 5
    assert document["coverage"]["covered"] == 5
    only = recorded.runpytest_subprocess(f"--kf-report={report}", "-k", "tickers", "-p", "no:cacheprovider")
    only.assert_outcomes(passed=1, deselected=4)
    assert json.loads(report.read_text())["orphans"] == [str(orphan)]
