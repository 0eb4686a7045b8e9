"""What a set of cassettes covers: every catalogued endpoint, and which of its documented outcomes were recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import catalog
from .drift.compare import Answer
from .drift.recordings import read_cassette
from .outcome import classify
from .schemas import load


def documented_statuses(target: catalog.Endpoint, schema_dir: str | None = None) -> list[str]:
    """Return the inner statuses an order operation's schema documents (empty for other endpoints)."""
    key = catalog.ORDER_STATUS_KEYS.get(target.id)
    if key is None:
        return []
    node: Any = load(target.schema, schema_dir).get("properties", {}).get(key, {})
    if isinstance(node, dict) and (node.get("type") == "array" or "items" in node):
        node = node.get("items", {})
    if isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = load(target.schema, schema_dir).get("$defs", {}).get(node["$ref"][len("#/$defs/") :], {})
    status = node.get("properties", {}).get("status", {}) if isinstance(node, dict) else {}
    return [str(item) for item in status.get("x-known", status.get("enum", []))]


def outcomes_of(answer: Answer, target: catalog.Endpoint) -> list[str]:
    """Return the outcomes one answer shows: ``success`` or ``error:<code>``, or an order operation's statuses."""
    found = classify(answer.body if answer.is_json else str(answer.body), target, answer.status)
    if found.result == "error":
        return [f"error:{found.code}" if found.code else "error"]
    if found.statuses:
        return list(found.statuses)
    return [found.result]


def coverage_of(cassettes: Iterable[Path], schema_dir: str | None = None) -> dict[str, Any]:
    """Return the endpoint-by-outcome coverage of some cassettes against the whole catalog."""
    calls: Counter[str] = Counter()
    outcomes: dict[str, Counter[str]] = {item.id: Counter() for item in catalog.endpoints()}
    for path in cassettes:
        try:
            interactions = read_cassette(path)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for interaction in interactions:
            target = catalog.resolve(interaction.method, interaction.path)
            if target is None:
                continue
            calls[target.id] += 1
            outcomes[target.id].update(outcomes_of(Answer.of(interaction.response), target))
    rows = []
    for item in catalog.endpoints():
        documented = documented_statuses(item, schema_dir) or ["success"]
        rows.append(
            {
                "id": item.id,
                "method": item.method,
                "path": item.full_path,
                "calls": calls[item.id],
                "outcomes": dict(sorted(outcomes[item.id].items())),
                "documented": documented,
                "missing": [name for name in documented if name not in outcomes[item.id]],
            }
        )
    return {"covered": sum(1 for row in rows if row["calls"]), "total": len(rows), "endpoints": rows}
