"""The outcome model: what a Kraken Futures response says happened, beyond its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import ORDER_STATUS_KEYS, Endpoint

#: Inner statuses meaning the order operation was carried out, per operation.
PERFORMED: dict[str, frozenset[str]] = {
    "sendOrder": frozenset({"placed", "partiallyFilled", "filled"}),
    "editOrderSpring": frozenset({"edited"}),
    "cancelOrder": frozenset({"cancelled"}),
    "cancelAllOrders": frozenset({"cancelled", "noOrdersToCancel"}),
}

_VERBS = {
    "sendOrder": "placed",
    "editOrderSpring": "edited",
    "cancelOrder": "cancelled",
    "cancelAllOrders": "cancelled",
}


@dataclass(frozen=True)
class Outcome:
    """A classified response: ``success`` or ``error`` with its code, and an order operation's status."""

    result: str
    code: str | None = None
    status: str | None = None
    codes: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.result == "error":
            return f"error:{self.code}" if self.code else "error"
        return f"success:{self.status}" if self.status else "success"

    def matches(self, expected: str) -> bool:
        """Whether this outcome is what a test stated (``success``, ``error``, ``error:<code>`` or a status)."""
        if expected == "success":
            return self.result == "success"
        if expected == "error":
            return self.result == "error"
        if expected.startswith("error:"):
            return self.result == "error" and expected[len("error:") :] in self.codes
        if self.result == "error":
            return expected in self.codes
        return self.status == expected


def classify(body: Any, endpoint: Endpoint | None = None, http_status: int | None = None) -> Outcome:
    """Classify a decoded response body (and its HTTP status) into an ``Outcome``."""
    if isinstance(body, dict) and body.get("result") == "error":
        codes = _error_codes(body)
        return Outcome("error", codes[0] if codes else None, codes=codes)
    if not isinstance(body, dict) or "result" not in body:
        if http_status is not None and http_status >= 400:
            code = f"HTTP {http_status}"
            return Outcome("error", code, codes=(code, str(http_status)))
        return Outcome("success")
    status = None
    if endpoint is not None and endpoint.id in ORDER_STATUS_KEYS:
        inner = body.get(ORDER_STATUS_KEYS[endpoint.id])
        if isinstance(inner, dict) and isinstance(inner.get("status"), str):
            status = inner["status"]
    return Outcome(str(body.get("result")), status=status)


def performed(outcome: Outcome, endpoint: Endpoint | None) -> bool:
    """Whether a success envelope also means the order operation was carried out."""
    if endpoint is None or endpoint.id not in PERFORMED or outcome.status is None:
        return True
    return outcome.status in PERFORMED[endpoint.id]


def describe_not_performed(outcome: Outcome, endpoint: Endpoint) -> str:
    """Say in words that an order operation was not carried out, e.g. ``order not placed: x``."""
    return f"order not {_VERBS.get(endpoint.id, 'performed')}: {outcome.status}"


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
