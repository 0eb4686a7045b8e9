"""The endpoint catalog: what each Kraken Futures REST operation is, and how to find it from a URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

#: URL path of each API base, as served by futures.kraken.com.
BASES: dict[str, str] = {
    "v3": "/derivatives/api/v3",
    "v4": "/derivatives/api/v4",
    "history": "/api/history/v3",
    "history-v2": "/api/history/v2",
    "charts": "/api/charts/v1",
    "auth": "/api/auth/v1",
    "stats": "/api/stats/v1",
}

PUBLIC = "public"
READ_ONLY = "read-only"
FULL = "full"
WITHDRAWAL = "withdrawal"

#: Order operations and the inner status that says whether they were performed.
ORDER_STATUS_KEYS: dict[str, str] = {
    "sendOrder": "sendStatus",
    "editOrderSpring": "editStatus",
    "cancelOrder": "cancelStatus",
    "cancelAllOrders": "cancelStatus",
}


@dataclass(frozen=True)
class Endpoint:
    """One REST operation: identity, where it lives, who may call it and what it costs."""

    id: str
    method: str
    path: str
    base: str = "v3"
    permission: str = PUBLIC
    mutates: bool = False
    cost: int = 0
    deprecated: str | None = None
    response_key: str | None = None
    in_spec: bool = True
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self.full_path))
        object.__setattr__(self, "_pattern", re.compile(regex + r"/?\Z"))

    @property
    def private(self) -> bool:
        """Whether the operation needs a signed request."""
        return self.permission != PUBLIC

    @property
    def full_path(self) -> str:
        """The path template from the host root, e.g. ``/derivatives/api/v3/tickers/{symbol}``."""
        return BASES[self.base] + self.path

    @property
    def schema(self) -> str:
        """Name of the JSON Schema for the success response (the file name without ``.json``)."""
        return self.id

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and URL path is a call of this operation."""
        return method.upper() == self.method and self._pattern.match(path) is not None

    def __str__(self) -> str:
        return f"{self.method} {self.full_path} ({self.id})"


_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("getInstruments", "GET", "/instruments", response_key="instruments"),
    Endpoint("getTickers", "GET", "/tickers", response_key="tickers"),
    Endpoint("getTicker", "GET", "/tickers/{symbol}", response_key="ticker"),
    Endpoint("getOrderbook", "GET", "/orderbook", response_key="orderBook"),
    Endpoint("getAccounts", "GET", "/accounts", permission=READ_ONLY, cost=2, response_key="accounts"),
    Endpoint("getOpenOrders", "GET", "/openorders", permission=READ_ONLY, cost=2, response_key="openOrders"),
    Endpoint(
        "getOpenPositions",
        "GET",
        "/openpositions",
        permission=READ_ONLY,
        cost=2,
        response_key="openPositions",
    ),
    Endpoint("sendOrder", "POST", "/sendorder", permission=FULL, mutates=True, cost=10, response_key="sendStatus"),
    Endpoint(
        "cancelOrder",
        "POST",
        "/cancelorder",
        permission=FULL,
        mutates=True,
        cost=10,
        response_key="cancelStatus",
    ),
)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Endpoint]:
    return {e.id: e for e in _ENDPOINTS}


def endpoints() -> Iterator[Endpoint]:
    """Iterate over every catalogued endpoint."""
    return iter(_ENDPOINTS)


def endpoint(id: str) -> Endpoint:
    """Return the endpoint with this operation id; an unknown id raises ``KeyError``."""
    try:
        return _by_id()[id]
    except KeyError:
        raise KeyError(f"no Kraken Futures endpoint with id {id!r}; known ids: {', '.join(sorted(_by_id()))}") from None


def resolve(method: str, path: str) -> Endpoint | None:
    """Return the endpoint a request with this method and URL path calls, or ``None``."""
    for candidate in _ENDPOINTS:
        if candidate.matches(method, path):
            return candidate
    return None
