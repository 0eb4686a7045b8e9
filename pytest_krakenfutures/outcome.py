"""The outcome model: what a Kraken Futures response says happened, beyond its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import ORDER_STATUS_KEYS, Endpoint

#: The two values of the envelope's ``result``.
RESULTS = ("success", "error")
#: Inner statuses meaning the order operation was carried out, per operation. An edit that makes
#: the order trade is answered ``filled`` or ``partiallyFilled`` (live answers, May 2025).
PERFORMED: dict[str, frozenset[str]] = {
    "sendOrder": frozenset({"placed", "partiallyFilled", "filled"}),
    "editOrderSpring": frozenset({"edited", "partiallyFilled", "filled"}),
    "cancelOrder": frozenset({"cancelled"}),
    "cancelAllOrders": frozenset({"cancelled", "noOrdersToCancel"}),
    "sendBatchOrder": frozenset({"placed", "edited", "cancelled", "partiallyFilled", "filled"}),
}

_VERBS = {
    "sendOrder": "placed",
    "editOrderSpring": "edited",
    "cancelOrder": "cancelled",
    "cancelAllOrders": "cancelled",
}

#: An order event saying the engine refused the order even though the status looked fine.
REJECT = "REJECT"


@dataclass(frozen=True)
class Outcome:
    """A classified response: ``success`` or ``error`` with its codes, and an order operation's statuses.

    ``statuses`` holds one status per instruction of a batch (one for the other order
    operations), ``events`` the types of the order events, in order, and ``reasons`` the reasons
    of REJECT events.
    """

    result: str
    code: str | None = None
    status: str | None = None
    codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.result == "error":
            return f"error:{self.code}" if self.code else "error"
        said = ",".join(self.statuses) or self.status
        return f"success:{said}" if said else "success"

    def matches(self, expected: str) -> bool:
        """Whether this outcome is what a test stated.

        ``success``, ``error``, ``error:<code>``, an order status (for a batch: every instruction
        has it), or a batch's statuses in order, comma-separated (``"placed,cancelled"``).
        """
        if expected == "success":
            return self.result == "success"
        if expected == "error":
            return self.result == "error"
        if expected.startswith("error:"):
            return self.result == "error" and expected[len("error:") :] in self.codes
        if self.result == "error":
            return expected in self.codes
        if "," in expected:
            return tuple(part.strip() for part in expected.split(",")) == self.statuses
        if len(self.statuses) > 1:
            return all(status == expected for status in self.statuses)
        return self.status == expected


def classify(body: Any, endpoint: Endpoint | None = None, http_status: int | None = None) -> Outcome:
    """Classify a decoded response body (and its HTTP status) into an ``Outcome``."""
    if isinstance(body, dict) and body.get("result") == "error":
        codes = _error_codes(body)
        return Outcome("error", codes[0] if codes else None, codes=codes)
    if not isinstance(body, dict) or not isinstance(body.get("result"), str):
        if http_status is not None and http_status >= 400:
            code = f"HTTP {http_status}"
            return Outcome("error", code, codes=(code, str(http_status)))
        return Outcome("success")
    if endpoint is None or endpoint.id not in ORDER_STATUS_KEYS:
        return Outcome(str(body.get("result")))
    inner = body.get(ORDER_STATUS_KEYS[endpoint.id])
    items = inner if isinstance(inner, list) else [inner]
    statuses = tuple(item["status"] for item in items if isinstance(item, dict) and isinstance(item.get("status"), str))
    events: list[str] = []
    reasons: list[str] = []
    for item in items:
        for event in (item.get("orderEvents") if isinstance(item, dict) else None) or ():
            if isinstance(event, dict) and isinstance(event.get("type"), str):
                events.append(event["type"])
                if event["type"] == REJECT and event.get("reason") is not None:
                    reasons.append(str(event["reason"]))
    status = statuses[0] if len(set(statuses)) == 1 else None
    return Outcome(
        str(body.get("result")), status=status, statuses=statuses, events=tuple(events), reasons=tuple(reasons)
    )


def performed(outcome: Outcome, endpoint: Endpoint | None) -> bool:
    """Whether a success envelope also means the order operation was carried out (every instruction)."""
    if endpoint is None or endpoint.id not in PERFORMED or not outcome.statuses:
        return True
    if REJECT in outcome.events:
        return False
    return all(status in PERFORMED[endpoint.id] for status in outcome.statuses)


def describe_not_performed(outcome: Outcome, endpoint: Endpoint, body: Any = None) -> str:
    """Say in words that an order operation was not carried out, e.g. ``order not placed: x``."""
    done = PERFORMED.get(endpoint.id, frozenset())
    if endpoint.id == "sendBatchOrder":
        items = body.get("batchStatus") if isinstance(body, dict) else None
        items = items if isinstance(items, list) else []
        failed = []
        for number, status in enumerate(outcome.statuses, start=1):
            if status in done:
                continue
            item = items[number - 1] if number <= len(items) and isinstance(items[number - 1], dict) else {}
            tag = item.get("order_tag")
            named = f"instruction {number}" + (f" (order_tag {tag!r})" if tag is not None else "")
            failed.append(f"{named}: {status}")
        if not failed:
            failed.append("an order event was " + _rejection(outcome))
        return f"batch not fully performed: {'; '.join(failed)}"
    verb = _VERBS.get(endpoint.id, "performed")
    if outcome.status in done and REJECT in outcome.events:
        return f"order not {verb}: status {outcome.status} but the order was {_rejection(outcome)}"
    return f"order not {verb}: {outcome.status}"


def _rejection(outcome: Outcome) -> str:
    reasons = ", ".join(outcome.reasons)
    return "rejected (REJECT event" + (f", reason {reasons})" if reasons else ")")


def _error_codes(body: dict[str, Any]) -> tuple[str, ...]:
    codes: list[str] = []
    if isinstance(body.get("error"), str):
        codes.append(body["error"])
    for item in body.get("errors") or ():
        if isinstance(item, str):
            codes.append(item)
        elif isinstance(item, dict):
            for key in ("message", "code"):
                if item.get(key) is not None:
                    codes.append(str(item[key]))
    if isinstance(body.get("status"), str):
        codes.append(body["status"])
    return tuple(dict.fromkeys(codes))
