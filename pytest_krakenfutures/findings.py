"""What a run found, per process, as plain data: drift, each test's cassette, and the cassettes tests own.

Each xdist worker exports its findings when it finishes; the controller merges them and reports.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any


class Findings:
    """Drift items, tests with their cassettes and provenance, and the cassette files collected tests own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.drift: list[dict[str, Any]] = []
        self.tests: dict[str, dict[str, Any]] = {}
        self.owned: set[str] = set()
        self.folders: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.drift or self.tests or self.owned)

    def __repr__(self) -> str:
        return f"<Findings {len(self.drift)} drift, {len(self.tests)} tests, {len(self.owned)} cassettes owned>"

    def add_drift(self, items: Iterable[dict[str, Any]]) -> None:
        """Add drift items (``Drift.to_dict()``)."""
        with self._lock:
            self.drift.extend(items)

    def add_test(self, test: str, cassette: str, provenance: dict[str, Any]) -> None:
        """Note a test's cassette and its provenance."""
        with self._lock:
            self.tests[test] = {"test": test, "cassette": cassette, "provenance": provenance}

    def add_owned(self, cassettes: Iterable[str], folders: Iterable[str]) -> None:
        """Note the cassette files collected tests own, and the folders of their modules."""
        with self._lock:
            self.owned.update(cassettes)
            self.folders.update(folders)

    def export(self) -> dict[str, Any]:
        """Return everything as plain data (what a worker sends to the controller)."""
        with self._lock:
            return {
                "drift": list(self.drift),
                "tests": list(self.tests.values()),
                "owned": sorted(self.owned),
                "folders": sorted(self.folders),
            }

    def merge(self, exported: dict[str, Any]) -> None:
        """Add what another process exported."""
        self.add_drift(exported.get("drift", ()))
        for entry in exported.get("tests", ()):
            self.add_test(entry["test"], entry["cassette"], entry.get("provenance") or {})
        self.add_owned(exported.get("owned", ()), exported.get("folders", ()))

    def clear(self) -> None:
        """Forget everything (a new run in the same process)."""
        with self._lock:
            self.drift.clear()
            self.tests.clear()
            self.owned.clear()
            self.folders.clear()


#: The findings of this process.
findings = Findings()
