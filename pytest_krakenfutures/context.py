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
    #: The record mode as messages name it, with where it came from (``--kf-record-mode=none``).
    mode_text: str = ""
    #: The command that records this test's cassette.
    record_command: str = ""

    def __post_init__(self) -> None:
        if not self.mode_text:
            self.mode_text = f"--kf-record-mode={self.record_mode}"
        if not self.record_command:
            self.record_command = f"pytest --kf-record-mode=once --kf-env={self.env} {self.test_id}"
