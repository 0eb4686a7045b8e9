"""The bundled contract suite re-recorded from the simulator gives the committed cassettes, byte for byte."""

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


def test_rerecording_the_contract_suite_is_byte_identical(pytester: pytest.Pytester) -> None:
    copy_suite(pytester)
    result = pytester.runpytest_subprocess(
        "tests/contracts", "--kf-record-mode=rewrite", "--kf-env=sim", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=len(list(COMMITTED.rglob("*.yaml"))))
    recorded = pytester.path / "cassettes" / "tests" / "contracts"
    committed = {path.relative_to(COMMITTED): path.read_bytes() for path in COMMITTED.rglob("*.yaml")}
    fresh = {path.relative_to(recorded): path.read_bytes() for path in recorded.rglob("*.yaml")}
    assert sorted(fresh) == sorted(committed)
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


def test_recording_every_bundled_endpoint_with_real_keys_writes_no_secret_and_no_identity(
    pytester: pytest.Pytester, production_keys: tuple[str, str], simulator_identities: set[str]
) -> None:
    copy_suite(pytester)
    result = pytester.runpytest_subprocess(
        "tests/contracts", "--kf-record-mode=rewrite", "--kf-env=sim", "-n", "2", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=len(list(COMMITTED.rglob("*.yaml"))))
    cassettes = sorted((pytester.path / "cassettes").rglob("*"))
    assert len([path for path in cassettes if path.suffix == ".yaml"]) == len(list(COMMITTED.rglob("*.yaml")))
    found = {}
    for path in cassettes:
        if path.is_file():
            text = path.read_text()
            hits = [value for value in (*production_keys, *simulator_identities) if value in text]
            found[path] = hits + AUTHENT.findall(text)
    assert not {path: hits for path, hits in found.items() if hits}
