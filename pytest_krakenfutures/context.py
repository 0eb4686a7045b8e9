"""What a test's cassette knows about itself: its file, mode, test and guard, and what became of the test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .guard import RequestGuard


@dataclass
class CassetteContext:
    """What a test's cassette needs to explain itself and to save: its file, mode, test, guard and outcome."""

    path: Path
    record_mode: str
    env: str
    test_id: str
    guard: RequestGuard | None = None
    #: ``passed``, ``failed`` or ``interrupted``: where the recording goes when the cassette is saved.
    verdict: str = "passed"
