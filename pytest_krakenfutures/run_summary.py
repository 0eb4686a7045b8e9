"""The end of a run: the findings of every process made into one report, its summary, its files, the exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ._options import Settings
from .cassette_format import provenance_of
from .coverage import coverage_of
from .drift.compare import BREAKING, WARNING
from .drift.recordings import Drift
from .findings import Findings
from .observations import collector
from .proposals import propose
from .report import DriftReport, write_report

#: Which severities fail a drift check, per ``kf_drift_fail``.
FAILING = {"breaking": {BREAKING}, "warning": {BREAKING, WARNING}, "never": set()}


def build_report(settings: Settings, found: Findings) -> DriftReport:
    """Return the run's report: drift, coverage of the tests' cassettes, observations, orphans and stale files."""
    owned = sorted(Path(path) for path in found.owned)
    existing = [path for path in owned if path.is_file()]
    return DriftReport(
        drift=[Drift(**item) for item in found.drift],
        coverage=coverage_of(existing, settings.schema_dir) if settings.reports else {},
        observations=collector.export(),
        orphans=orphans(found),
        stale=stale(existing, settings.max_age_days),
        tests=sorted(found.tests.values(), key=lambda entry: str(entry["test"])),
    )


def orphans(found: Findings) -> list[str]:
    """Return the cassettes in the folders of collected modules that no collected test owns."""
    lost = []
    for folder in sorted(found.folders):
        for path in sorted(Path(folder).glob("*.yaml")):
            if str(path) not in found.owned:
                lost.append(str(path))
    return lost


def stale(cassettes: list[Path], max_age_days: float | None) -> list[dict[str, Any]]:
    """Return the cassettes recorded longer ago than ``max_age_days`` (none when no age is set)."""
    if max_age_days is None:
        return []
    now = datetime.now(timezone.utc)
    old = []
    for path in cassettes:
        recorded = str(provenance_of(path).get("recorded_at") or "")
        try:
            moment = datetime.fromisoformat(recorded.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        age = (now - moment).total_seconds() / 86400
        if age > max_age_days:
            old.append({"cassette": str(path), "recorded_at": recorded, "age_days": round(age, 1)})
    return old


def write_reports(settings: Settings, report: DriftReport) -> list[str]:
    """Write every ``--kf-report`` file; return a line for each, saying where it went or why it did not."""
    lines = []
    document = report.document()
    for path in settings.reports:
        try:
            write_report(path, document)
        except OSError as exc:
            lines.append(f"report {path} could not be written: {exc.strerror or exc}")
            continue
        lines.append(f"report written: {path}")
    return lines


def drift_fails(settings: Settings, report: DriftReport) -> bool:
    """Whether a drift check's drift makes the run fail, per ``kf_drift_fail``."""
    failing = FAILING[settings.drift_fail]
    return settings.drift_check and any(item.severity in failing for item in report.drift)


def summary(settings: Settings, report: DriftReport, verbose: bool) -> list[tuple[str, list[str]]]:
    """Return the sections of the end-of-run summary: drift, observations, orphaned and stale cassettes."""
    sections: list[tuple[str, list[str]]] = []
    if settings.drift_check or report.drift:
        title = "krakenfutures drift" + (f" (kf_drift_fail = {settings.drift_fail})" if settings.drift_check else "")
        sections.append((title, report.summary(verbose)))
    if report.observations:
        lines = collector.summary() if verbose else [_observation_count(report.observations)]
        sections.append(("krakenfutures observations (tolerated, not failures)", lines))
    files = []
    if report.orphans:
        count = len(report.orphans)
        many = count != 1
        files.append(
            f"{count} orphaned cassette{'s' if many else ''} (no collected test owns {'them' if many else 'it'})"
        )
        files += [f"  {path}" for path in report.orphans] if verbose else []
    if report.stale:
        count = len(report.stale)
        files.append(f"{count} cassette{'s' if count != 1 else ''} older than {settings.max_age_days:g} days")
        files += [f"  {item['cassette']} ({item['age_days']} days)" for item in report.stale] if verbose else []
    if files:
        if not verbose:
            files.append("(-v lists them)")
        sections.append(("krakenfutures cassettes", files))
    return sections


def _observation_count(observations: list[dict[str, Any]]) -> str:
    """Say how many observations the run made, on how many endpoints."""
    endpoints = len({item["endpoint"] for item in observations})
    return (
        f"{len(observations)} observation{'s' if len(observations) != 1 else ''} on {endpoints} "
        f"endpoint{'s' if endpoints != 1 else ''} (-v lists them)"
    )


@dataclass
class Finished:
    """A finished run's report, the files written, and whether its drift fails it."""

    settings: Settings
    report: DriftReport
    written: list[str] = field(default_factory=list)
    fails: bool = False

    def sections(self, verbose: bool) -> list[tuple[str, list[str]]]:
        """Return the summary sections, with the files written last."""
        return [*summary(self.settings, self.report, verbose), ("krakenfutures reports", self.written)]


def finish(settings: Settings, found: Findings) -> Finished:
    """Build the run's report, write its files and proposed schemas, and decide whether drift fails the run."""
    report = build_report(settings, found)
    written = write_reports(settings, report)
    if settings.propose_dir is not None:
        observed = collector.export()
        written += [
            f"proposed schema written: {path}" for path in propose(observed, settings.propose_dir, settings.schema_dir)
        ]
    return Finished(settings, report, written, drift_fails(settings, report))
