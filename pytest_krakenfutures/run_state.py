"""What a run collects across its processes (findings and observations): cleared, handed over by workers, merged."""

from __future__ import annotations

import sys
from typing import Any

from .findings import findings

_OBSERVATIONS = "pytest_krakenfutures.observations"


def clear() -> None:
    """Start a run with nothing found or observed (an earlier in-process run may have left some)."""
    findings.clear()
    observations = sys.modules.get(_OBSERVATIONS)
    if observations is not None:
        observations.collector.clear()


def export(workeroutput: dict[str, Any]) -> None:
    """Put this worker's findings, and its observations if any contract was checked, into its output."""
    workeroutput["kf_findings"] = findings.export()
    observations = sys.modules.get(_OBSERVATIONS)
    if observations is not None:
        workeroutput["kf_observations"] = observations.collector.export()


def merge(output: dict[str, Any]) -> None:
    """On the controller, add what a finished worker handed over to the run's findings and observations."""
    if output.get("kf_findings"):
        findings.merge(output["kf_findings"])
    if output.get("kf_observations"):
        from .observations import collector  # the schemas' machinery: imported only by a run that checked a contract

        collector.merge(output["kf_observations"])


def observed() -> bool:
    """Whether this process counted any observation (without importing the observations for a run that had none)."""
    observations = sys.modules.get(_OBSERVATIONS)
    return observations is not None and bool(observations.collector.counts())
