"""Reports of a run: the terminal summary, and JSON, Markdown and HTML files a person can read.

A report holds the drift (per endpoint, per severity), the endpoint-by-outcome coverage of the
run's cassettes, the observations, orphaned and stale cassettes, and each test's cassette with
its provenance. The JSON form is checked against ``report_schema.json``; the HTML is one file
that needs no network.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cassette_format import write_atomically
from .drift.compare import BREAKING, SEVERITIES
from .drift.recordings import Drift


@dataclass
class DriftReport:
    """What a run (or a comparison of two cassette trees) found, ready to print or to write."""

    drift: list[Drift] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    observations: list[dict[str, Any]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    tests: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return how many drifts there are of each severity."""
        found = Counter(item.severity for item in self.drift)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    def summary(self, verbose: bool = False) -> list[str]:
        """Return the terminal lines: the counts, every breaking drift, and with ``verbose`` all of them."""
        if not self.drift:
            return ["drift: none"]
        counts = self.counts()
        tests = len({item.test for item in self.drift})
        said = ", ".join(f"{counts[severity]} {severity}" for severity in SEVERITIES)
        lines = [f"drift: {said} (in {tests} test{'s' if tests != 1 else ''})"]
        shown = self.drift if verbose else [item for item in self.drift if item.severity == BREAKING]
        lines += [f"  {item.line()}" for item in sorted(shown, key=_order)]
        hidden = len(self.drift) - len(shown)
        if hidden:
            lines.append(f"  ({hidden} warning and info drifts not listed; -v lists them)")
        return lines

    def document(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (the top-level keys of the JSON report)."""
        return {
            "summary": {"drift": self.counts(), "tests": len(self.tests), "orphans": len(self.orphans)},
            "drift": [item.to_dict() for item in sorted(self.drift, key=_order)],
            "coverage": self.coverage,
            "observations": self.observations,
            "orphans": sorted(self.orphans),
            "stale": self.stale,
            "tests": self.tests,
        }


def _order(item: Drift) -> tuple[int, str, str, str, str]:
    """Sort drifts most severe first, then by endpoint, test and place."""
    return (SEVERITIES.index(item.severity), item.endpoint, item.test, item.path, item.kind)


def write_report(path: Path, document: dict[str, Any]) -> None:
    """Write a report in the format its extension names (``.json``, ``.md``, ``.html``)."""
    writers = {".json": to_json, ".md": to_markdown, ".html": to_html}
    writer = writers.get(path.suffix)
    if writer is None:
        raise ValueError(f"{path}: a report is .json, .md or .html")
    write_atomically(path, writer(document))


def to_json(document: dict[str, Any]) -> str:
    """Return the JSON report."""
    return json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"


def _value(value: Any) -> str:
    """Show an old or new value of a drift in a table cell."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def to_markdown(document: dict[str, Any]) -> str:
    """Return the Markdown report: summary, drift by endpoint, coverage, observations, orphans, stale."""
    counts = document["summary"]["drift"]
    lines = ["# pytest-krakenfutures report", ""]
    lines.append(", ".join(f"{counts[severity]} {severity}" for severity in SEVERITIES) + " drift")
    lines += ["", "## Drift", ""]
    if not document["drift"]:
        lines.append("No drift.")
    for endpoint, items in _by_endpoint(document["drift"]).items():
        lines += [
            f"### {endpoint}",
            "",
            "| severity | test | path | kind | old | new |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {item['severity']} | {item['test']} | `{item['path']}` | {item['kind']} | {_md(_value(item['old']))} "
            f"| {_md(_value(item['new']))} |"
            for item in items
        ]
        lines.append("")
    coverage = document.get("coverage") or {}
    if coverage:
        lines += ["## Coverage", "", f"{coverage['covered']} of {coverage['total']} endpoints recorded.", ""]
        lines += [
            "| endpoint | calls | outcomes recorded | documented outcomes not recorded |",
            "| --- | --- | --- | --- |",
        ]
        for row in coverage["endpoints"]:
            outcomes = ", ".join(f"{name} ({count})" for name, count in row["outcomes"].items())
            lines.append(f"| {row['id']} | {row['calls']} | {_md(outcomes)} | {_md(', '.join(row['missing']))} |")
        lines.append("")
    lines += ["## Observations", ""]
    lines += [
        f"- {item['endpoint']}: {item['kind']} at `{item['path']}`"
        + (f" ({_md(str(item['detail']))})" if item.get("detail") else "")
        + f", in {item.get('count', 1)} responses"
        for item in document["observations"]
    ] or ["None."]
    lines += ["", "## Orphaned cassettes", ""]
    lines += [f"- {path}" for path in document["orphans"]] or ["None."]
    lines += ["", "## Stale cassettes", ""]
    lines += [f"- {item['cassette']}: recorded {item['recorded_at']}" for item in document["stale"]] or ["None."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Escape a table cell for Markdown."""
    return text.replace("|", "\\|").replace("\n", " ")


def _by_endpoint(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group drift items by endpoint, keeping their order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        grouped.setdefault(item["endpoint"], []).append(item)
    return grouped


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2330; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #c8cdd6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.breaking { background: #f8d7da; } td.warning { background: #fff3cd; } td.info { background: #e7f1ff; }
td.covered, span.covered { background: #d1e7dd; } td.missing, span.missing { background: #f8d7da; }
span.outcome { display: inline-block; margin: 0.1rem; padding: 0 0.3rem; border-radius: 0.2rem; }
code { font-size: 0.9em; }
"""


def to_html(document: dict[str, Any]) -> str:
    """Return the HTML report: one file, no scripts, no network."""
    esc = html.escape
    counts = document["summary"]["drift"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>pytest-krakenfutures report</title>',
        f"<style>{_STYLE}</style></head><body>",
        "<h1>pytest-krakenfutures report</h1>",
        '<p id="summary">' + esc(", ".join(f"{counts[s]} {s}" for s in SEVERITIES)) + " drift</p>",
        '<h2>Drift</h2><div id="drift">',
    ]
    if not document["drift"]:
        parts.append("<p>No drift.</p>")
    for endpoint, items in _by_endpoint(document["drift"]).items():
        parts.append(f'<h3>{esc(endpoint)}</h3><table class="drift"><tr>')
        parts.append(
            "".join(f"<th>{name}</th>" for name in ("severity", "test", "path", "kind", "old", "new")) + "</tr>"
        )
        for item in items:
            parts.append(
                f'<tr><td class="{esc(item["severity"])}">{esc(item["severity"])}</td><td>{esc(item["test"])}</td>'
                f"<td><code>{esc(item['path'])}</code></td><td>{esc(item['kind'])}</td>"
                f"<td>{esc(_value(item['old']))}</td><td>{esc(_value(item['new']))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>")
    coverage = document.get("coverage") or {}
    if coverage:
        parts.append(f"<h2>Coverage</h2><p>{coverage['covered']} of {coverage['total']} endpoints recorded.</p>")
        parts.append('<table id="coverage"><tr><th>endpoint</th><th>calls</th><th>outcomes recorded</th>')
        parts.append("<th>documented outcomes not recorded</th></tr>")
        for row in coverage["endpoints"]:
            status = "covered" if row["calls"] else "missing"
            recorded = " ".join(
                f'<span class="outcome covered">{esc(name)} ({count})</span>' for name, count in row["outcomes"].items()
            )
            missing = " ".join(f'<span class="outcome missing">{esc(name)}</span>' for name in row["missing"])
            parts.append(
                f'<tr><td class="{status}">{esc(row["id"])}</td><td>{row["calls"]}</td><td>{recorded}</td>'
                f"<td>{missing}</td></tr>"
            )
        parts.append("</table>")
    parts.append('<h2>Observations</h2><ul id="observations">')
    parts += [
        f"<li>{esc(item['endpoint'])}: {esc(item['kind'])} at <code>{esc(item['path'])}</code>"
        + (f" ({esc(str(item['detail']))})" if item.get("detail") else "")
        + "</li>"
        for item in document["observations"]
    ]
    parts.append('</ul><h2>Orphaned cassettes</h2><ul id="orphans">')
    parts += [f"<li>{esc(path)}</li>" for path in document["orphans"]]
    parts.append('</ul><h2>Stale cassettes</h2><ul id="stale">')
    parts += [
        f"<li>{esc(item['cassette'])}: recorded {esc(str(item['recorded_at']))}</li>" for item in document["stale"]
    ]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"
