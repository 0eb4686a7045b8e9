"""The HTML report opened in a real headless browser: one self-contained page with the coverage and the drift."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_html_report_renders_with_its_coverage_matrix_and_drift(tmp_path: Path) -> None:
    old = ROOT / "cassettes" / "tests" / "contracts"
    new = tmp_path / "new"
    shutil.copytree(old, new)
    tickers = new / "test_market_data" / "test_tickers.yaml"
    document = yaml.safe_load(tickers.read_text())
    for ticker in document["interactions"][0]["response"]["body"]["json"]["tickers"]:
        ticker.pop("suspended", None)
    tickers.write_text(yaml.safe_dump(document, sort_keys=False))
    report = tmp_path / "report.html"
    compared = subprocess.run(
        [sys.executable, "-m", "pytest_krakenfutures.drift", str(old), str(new), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compared.returncode == 1, compared.stderr
    page = report.read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page), "the page loads something"
    assert "<script" not in page
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    browser = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*browser, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    rows = re.findall(r"<tr>(.*?)</tr>", dom.split('id="coverage"', 1)[1].split("</table>", 1)[0], re.S)
    assert len(rows) == 75  # the header and the 74 catalogued endpoints
    assert '<td class="covered">getTickers</td>' in dom
    assert "<h3>getTickers</h3>" in dom
    assert '<td class="breaking">breaking</td>' in dom
    assert "$.tickers[*].suspended" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*browser, "--window-size=1280,1400", f"--screenshot={shot}", report.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000
