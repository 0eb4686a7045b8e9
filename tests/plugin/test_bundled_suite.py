"""The bundled contract suite re-recorded from the simulator with real keys: the committed bytes, no secret."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "contracts"
COMMITTED = ROOT / "cassettes" / "tests" / "contracts"


INI = """
[pytest]
kf_cassette_dir = cassettes
kf_simulator_seed = 1
kf_simulator_clock = 2026-11-02T09:30:00Z
"""
AUTHENT = re.compile(r"[A-Za-z0-9+/]{86}==")


def copy_suite(pytester: pytest.Pytester) -> None:
    shutil.copytree(SUITE, pytester.path / "tests" / "contracts", ignore=shutil.ignore_patterns("__pycache__"))
    pytester.makeini(INI)


def test_rerecording_the_contract_suite_with_real_keys_is_byte_identical_and_holds_no_secret(
    pytester: pytest.Pytester, production_keys: tuple[str, str], simulator_identities: set[str]
) -> None:
    copy_suite(pytester)
    result = pytester.runpytest_subprocess(
        "tests/contracts", "--kf-record-mode=rewrite", "--kf-env=sim", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=len(list(COMMITTED.rglob("*.yaml"))))
    recorded = pytester.path / "cassettes" / "tests" / "contracts"
    files = sorted(path for path in (pytester.path / "cassettes").rglob("*") if path.is_file())
    leaks = {}
    for path in files:
        text = path.read_text()
        found = [value for value in (*production_keys, *simulator_identities) if value in text] + AUTHENT.findall(text)
        if found:
            leaks[path] = found
    assert not leaks
    committed = {path.relative_to(COMMITTED): path.read_bytes() for path in COMMITTED.rglob("*.yaml")}
    fresh = {path.relative_to(recorded): path.read_bytes() for path in recorded.rglob("*.yaml")}
    assert sorted(fresh) == sorted(committed)
    assert len(files) == len(committed)
    differing = [name for name in sorted(committed) if fresh[name] != committed[name]]
    if differing:
        first = differing[0]
        diff = difflib.unified_diff(
            committed[first].decode().splitlines(),
            fresh[first].decode().splitlines(),
            f"committed/{first}",
            f"re-recorded/{first}",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(f"{len(differing)} re-recorded cassettes differ: {[str(n) for n in differing]}\n{shown}")
    check = pytester.runpytest_subprocess(
        "tests/contracts", "--kf-drift-check", "--kf-env=sim", "-p", "no:cacheprovider"
    )
    check.assert_outcomes(passed=len(committed))
    check.stdout.fnmatch_lines(["*= krakenfutures drift (kf_drift_fail = breaking) =*", "drift: none"])
    fresh_after = {path.relative_to(recorded): path.read_bytes() for path in recorded.rglob("*.yaml")}
    assert fresh_after == fresh
