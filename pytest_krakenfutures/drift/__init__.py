"""Drift: what changed between a recorded answer and a new one, graded breaking, warning or info.

``python -m pytest_krakenfutures.drift OLD_DIR NEW_DIR [--report PATH]`` compares two cassette trees.
"""

from __future__ import annotations

from .compare import BREAKING, INFO, SEVERITIES, WARNING, Answer, Difference, compare_answers
from .recordings import Drift, Interaction, compare_recordings, read_cassette

__all__ = [
    "BREAKING",
    "INFO",
    "SEVERITIES",
    "WARNING",
    "Answer",
    "Difference",
    "Drift",
    "Interaction",
    "compare_answers",
    "compare_recordings",
    "read_cassette",
]
