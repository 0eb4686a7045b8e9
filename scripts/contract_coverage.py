"""Print what the bundled contract suite's cassettes cover: catalogued endpoints and order outcomes.

Usage: python scripts/contract_coverage.py [CASSETTE_DIR]

Reads every cassette under the directory (default: cassettes/tests/contracts), resolves each
request to its catalogued endpoint, and prints the endpoints with no recorded answer and, for
the order endpoints, the documented statuses (the schemas' ``x-known`` lists) never recorded.
Exits 1 when something is uncovered.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pytest_krakenfutures import catalog
from pytest_krakenfutures.schemas import load as load_schema

ROOT = Path(__file__).resolve().parent.parent
#: Order endpoints, the JSON keys of their statuses, and the schema path of their documented list.
ORDER_STATUS = {
    "sendOrder": ("sendStatus", ("properties", "sendStatus", "properties", "status")),
    "editOrderSpring": ("editStatus", ("properties", "editStatus", "properties", "status")),
    "cancelOrder": ("cancelStatus", ("properties", "cancelStatus", "properties", "status")),
    "cancelAllOrders": ("cancelStatus", ("properties", "cancelStatus", "properties", "status")),
    "sendBatchOrder": ("batchStatus", ("$defs", "instructionResult", "properties", "status")),
}
#: Members of Kraken's shared order status enum that no documented sendorder condition produces.
NOT_FROM_SENDORDER = {
    "partiallyFilled": "an order's fill state, reported by openorders",
    "filled": "cancelorder's answer for a filled order",
    "cancelled": "cancelorder's answer",
    "edited": "editorder's answer",
    "notFound": "cancelorder's answer for an unknown order",
    "orderForEditNotAStop": "editorder's answer",
    "orderForEditNotFound": "editorder's answer",
    "cannotEditTriggerPriceOfTrailingStop": "editorder's answer for a trailing stop",
    "cannotEditLimitPriceOfTrailingStop": "editorder's answer for a trailing stop",
    "unknown": "the fallback value Kraken added in May 2026",
}


def documented(endpoint_id: str) -> list[str]:
    """Return the statuses an order endpoint's schema lists as known."""
    node: Any = load_schema(catalog.endpoint(endpoint_id).schema)
    for key in ORDER_STATUS[endpoint_id][1]:
        node = node[key]
    return list(node.get("x-known", []))


def statuses(endpoint_id: str, body: Any) -> list[str]:
    """Return the statuses one recorded answer of an order endpoint carries."""
    value = body.get(ORDER_STATUS[endpoint_id][0]) if isinstance(body, dict) else None
    items = value if isinstance(value, list) else [value]
    return [item["status"] for item in items if isinstance(item, dict) and isinstance(item.get("status"), str)]


def recorded_json(body: Any) -> Any:
    """Return a recorded body as JSON: kept readable (``json``) or byte-exact (``string``)."""
    if isinstance(body, dict) and "json" in body:
        return body["json"]
    if isinstance(body, dict) and isinstance(body.get("string"), str):
        try:
            return json.loads(body["string"])
        except ValueError:
            return None
    return None


def main(argv: list[str]) -> int:
    """Print the coverage report; return 1 when an endpoint or a documented status is uncovered."""
    folder = Path(argv[1]) if len(argv) > 1 else ROOT / "cassettes" / "tests" / "contracts"
    seen: dict[str, int] = defaultdict(int)
    outcomes: dict[str, set[str]] = defaultdict(set)
    files = sorted(folder.rglob("*.yaml"))
    for path in files:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for interaction in document.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            target = catalog.resolve(request["method"], urlsplit(request["uri"]).path)
            if target is None:
                continue
            seen[target.id] += 1
            if target.id in ORDER_STATUS:
                outcomes[target.id].update(statuses(target.id, recorded_json(response.get("body"))))
    every = [item.id for item in catalog.endpoints()]
    missing = [name for name in every if name not in seen]
    print(f"{len(files)} cassettes, {sum(seen.values())} Kraken calls")
    print(f"endpoints answered: {len(every) - len(missing)} of {len(every)}")
    for name in missing:
        print(f"  not covered: {name}")
    uncovered = 0
    for name in ORDER_STATUS:
        known = documented(name)
        if name == "sendOrder":
            for status in known:
                if status in NOT_FROM_SENDORDER and status not in outcomes[name]:
                    print(f"  sendOrder {status}: not produced by sendorder ({NOT_FROM_SENDORDER[status]})")
            known = [status for status in known if status not in NOT_FROM_SENDORDER]
        absent = [status for status in known if status not in outcomes[name]]
        extra = sorted(outcomes[name] - set(known))
        uncovered += len(absent)
        print(f"{name}: {len(known) - len(absent)} of {len(known)} documented statuses recorded")
        if absent:
            print(f"  not recorded: {', '.join(absent)}")
        if extra:
            print(f"  recorded beyond the documented list: {', '.join(extra)}")
    return 1 if missing or uncovered else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
