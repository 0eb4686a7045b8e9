"""``python -m pytest_krakenfutures.drift OLD NEW``: two cassette trees compared, reports written and checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

TESTS = """
def test_tickers(kf_session, kf_contract):
    kf_contract(kf_session.get("tickers"))

def test_order(kf_session, kf_contract):
    kf_contract(kf_session.post("sendorder", data={
        "orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}))
"""


def drift(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_krakenfutures.drift", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def trees(pytester: pytest.Pytester) -> tuple[Path, Path]:
    """Cassettes recorded from the simulator, and a copy of them whose answers then changed."""
    pytester.makepyfile(test_market=TESTS)
    pytester.runpytest_subprocess("--kf-record-mode=once", "--kf-env=sim").assert_outcomes(passed=2)
    old, new = pytester.path / "cassettes", pytester.path / "new"
    shutil.copytree(old, new)
    tickers_file = new / "test_market" / "test_tickers.yaml"
    document = yaml.safe_load(tickers_file.read_text())
    tickers = document["interactions"][0]["response"]["body"]["json"]["tickers"]
    for ticker in tickers:
        ticker.pop("suspended", None)
        ticker["riskLimit"] = 5
    tickers[0]["markPrice"] = str(tickers[0]["markPrice"])
    tickers[0]["tag"] = "weekly"
    tickers_file.write_text(yaml.safe_dump(document, sort_keys=False))
    order_file = new / "test_market" / "test_order.yaml"
    document = yaml.safe_load(order_file.read_text())
    status = document["interactions"][0]["response"]["body"]["json"]["sendStatus"]
    status["status"] = "insufficientAvailableFunds"
    status["orderEvents"] = []
    order_file.write_text(yaml.safe_dump(document, sort_keys=False))
    return old, new


def test_two_trees_show_every_change_graded_and_exit_1_on_breaking(trees: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = trees
    reports = [tmp_path / "drift.json", tmp_path / "drift.md", tmp_path / "drift.html"]
    result = drift(str(old), str(new), *[arg for path in reports for arg in ("--report", str(path))])
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "drift: 2 breaking, 2 warning, 1 info (in 2 tests)"
    assert (
        "  BREAKING getTickers $.tickers[*].suspended: field-removed boolean -> (none) (test_market/test_tickers)"
        in lines
    )
    assert any(line.startswith("  BREAKING sendOrder $: outcome-changed success:placed (PLACE)") for line in lines)
    assert any(line.startswith("  WARNING getTickers $.tickers[*].tag: new-value [") for line in lines)
    assert any(line.endswith("-> weekly (test_market/test_tickers)") for line in lines)
    document = json.loads(reports[0].read_text())
    schema = json.loads((resources.files("pytest_krakenfutures") / "report_schema.json").read_text())
    jsonschema.validate(document, schema)
    assert {(item["endpoint"], item["path"], item["kind"], item["severity"]) for item in document["drift"]} == {
        ("getTickers", "$.tickers[*].suspended", "field-removed", "breaking"),
        ("getTickers", "$.tickers[*].markPrice", "number-as-string", "warning"),
        ("getTickers", "$.tickers[*].tag", "new-value", "warning"),
        ("getTickers", "$.tickers[*].riskLimit", "field-added", "info"),
        ("sendOrder", "$", "outcome-changed", "breaking"),
    }
    assert document["coverage"]["covered"] == 2
    markdown = reports[1].read_text()
    assert markdown.startswith("# pytest-krakenfutures report\n\n2 breaking, 2 warning, 1 info drift\n")
    assert "| breaking | test_market/test_tickers | `$.tickers[*].suspended` | field-removed | boolean |  |" in markdown
    cells = _table_cells(reports[2].read_text())
    assert ["breaking", "test_market/test_tickers", "$.tickers[*].suspended", "field-removed", "boolean", ""] in cells


def test_identical_trees_have_no_drift(trees: tuple[Path, Path]) -> None:
    old, _ = trees
    result = drift(str(old), str(old))
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "drift: none")


def test_bad_arguments_and_unreadable_cassettes_are_named(trees: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = trees
    missing = drift(str(old), str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nowhere'} is not a directory of cassettes" in missing.stderr
    wrong = drift(str(old), str(new), "--report", str(tmp_path / "drift.txt"))
    assert wrong.returncode == 2
    assert "the format comes from the extension: .json, .md or .html" in wrong.stderr
    broken = new / "test_market" / "test_order.yaml"
    broken.write_text("interactions: [unclosed\n")
    unreadable = drift(str(old), str(new))
    assert unreadable.returncode == 2
    assert f"error: cassette {broken} cannot be read: while parsing" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _table_cells(text: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(text)
    return parser.rows
