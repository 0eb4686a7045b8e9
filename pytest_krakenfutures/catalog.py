"""The endpoint catalog: what each Kraken Futures REST operation is, and how to find it from a URL."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .errors import UnknownEndpoint

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

#: Rate-limit pools: the derivatives budget (500 per 10 s) and the separate history budget.
DERIVATIVES_POOL = "derivatives"
HISTORY_POOL = "history"

FEE_SCHEDULES_DEPRECATED = (
    "deprecated on 2026-06-22: the values no longer reflect the fees charged; use Kraken Spot GetTradeVolume"
)
DEMO_ONLY = "demo only: served by the demo environment, which Kraken retired on 14 July 2026"

#: Order operations and the key of the inner status that says whether they were performed.
ORDER_STATUS_KEYS: dict[str, str] = {
    "sendOrder": "sendStatus",
    "editOrderSpring": "editStatus",
    "cancelOrder": "cancelStatus",
    "cancelAllOrders": "cancelStatus",
    "sendBatchOrder": "batchStatus",
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
    #: Whether a call moves funds out of or between accounts (withdrawals, transfers).
    moves_funds: bool = False
    cost: int = 0
    deprecated: str | None = None
    response_key: str | None = None
    in_spec: bool = True
    schema_name: str | None = None
    body_format: str = "json"
    #: Other methods real clients use for the same operation (ccxt sends ``orders/status`` as GET).
    also: tuple[str, ...] = ()
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self.full_path.rstrip("/")))
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
        return self.schema_name or self.id

    @property
    def envelope(self) -> bool:
        """Whether answers carry Kraken's ``result``/``serverTime`` envelope (the derivatives bases do)."""
        return self.base in ("v3", "v4") and self.body_format == "json"

    @property
    def pool(self) -> str | None:
        """The rate-limit budget a call draws on, or ``None`` for calls that cost nothing."""
        if self.cost == 0:
            return None
        return HISTORY_POOL if self.base.startswith("history") else DERIVATIVES_POOL

    @property
    def specificity(self) -> tuple[int, int]:
        """Sort key preferring literal path segments over placeholders when resolving a URL."""
        segments = self.full_path.strip("/").split("/")
        placeholders = sum(1 for part in segments if part.startswith("{"))
        return (-(len(segments) - placeholders), placeholders)

    @property
    def methods(self) -> tuple[str, ...]:
        """Every method the operation is answered for: the documented one first."""
        return (self.method, *self.also)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and URL path is a call of this operation."""
        return method.upper() in self.methods and self.serves_path(path)

    def serves_path(self, path: str) -> bool:
        """Whether a URL path is this operation's path, whatever the method."""
        return self._pattern.match(path) is not None

    def __str__(self) -> str:
        return f"{self.method} {self.full_path} ({self.id})"


def _get(id: str, path: str, key: str | None = None, **fields: Any) -> Endpoint:
    return Endpoint(id, "GET", path, response_key=key, **fields)


def _private_get(id: str, path: str, key: str | None = None, cost: int = 0, **fields: Any) -> Endpoint:
    return Endpoint(id, "GET", path, permission=READ_ONLY, cost=cost, response_key=key, **fields)


def _change(id: str, method: str, path: str, key: str | None = None, cost: int = 0, **fields: Any) -> Endpoint:
    fields.setdefault("permission", FULL)
    return Endpoint(id, method, path, mutates=True, cost=cost, response_key=key, **fields)


_ENDPOINTS: tuple[Endpoint, ...] = (
    # Instruments and market data (public).
    _get("getInstruments", "/instruments", "instruments"),
    _get("instrumentsStatus", "/instruments/status", "instrumentStatus"),
    _get("instrumentStatus", "/instruments/{symbol}/status", "tradeable"),
    _get("getTickers", "/tickers", "tickers"),
    _get("getTicker", "/tickers/{symbol}", "ticker"),
    _get("getOrderbook", "/orderbook", "orderBook"),
    _get("getHistory", "/history", "history"),
    _get("getFeeSchedulesV3", "/feeschedules", "feeSchedules", deprecated=FEE_SCHEDULES_DEPRECATED),
    _get(
        "historicalFundingRates",
        "/historical-funding-rates",
        "rates",
        deprecated="answers 404 on futures.kraken.com; use GET /derivatives/api/v4/historicalfundingrates",
    ),
    _get("historicalFundingRatesV4", "/historicalfundingrates", "rates", base="v4", in_spec=False),
    # Account information (read-only keys).
    _private_get("getAccounts", "/accounts", "accounts", cost=2),
    _private_get("getOpenPositions", "/openpositions", "openPositions", cost=2),
    _private_get("getOpenOrders", "/openorders", "openOrders", cost=2),
    _private_get("getFills", "/fills", "fills", cost=2),
    _private_get("getNotifications", "/notifications", "notifications"),
    _private_get("getUnwindQueue", "/unwindqueue", "queue", cost=200),
    _private_get(
        "getUserFeeScheduleVolumesV3",
        "/feeschedules/volumes",
        "volumesByFeeSchedule",
        deprecated=FEE_SCHEDULES_DEPRECATED,
    ),
    _private_get(
        "getMaxOrderSize",
        "/initialmargin/maxordersize",
        deprecated="removed by Kraken in July 2025",
        in_spec=False,
    ),
    _private_get("getLeverageSetting", "/leveragepreferences", "leveragePreferences", cost=2),
    _change("setLeverageSetting", "PUT", "/leveragepreferences", cost=10),
    _private_get("getPnlCurrencyPreference", "/pnlpreferences", "preferences", cost=2),
    _change("setPnlCurrencyPreference", "PUT", "/pnlpreferences", cost=10),
    _private_get("getSelfTradeStrategy", "/self-trade-strategy", "strategy", cost=2),
    _change("setSelfTradeStrategy", "PUT", "/self-trade-strategy", "strategy", cost=2),
    _private_get("getPortfolioMarginingParameters", "/portfolio-margining/parameters", deprecated=DEMO_ONLY),
    Endpoint(
        "simulatePortfolio",
        "POST",
        "/portfolio-margining/simulate",
        permission=READ_ONLY,
        deprecated=DEMO_ONLY,
    ),
    # Order management (full keys).
    _change("sendOrder", "POST", "/sendorder", "sendStatus", cost=10),
    _change("editOrderSpring", "POST", "/editorder", "editStatus", cost=10),
    _change("cancelOrder", "POST", "/cancelorder", "cancelStatus", cost=10),
    _change("sendBatchOrder", "POST", "/batchorder", "batchStatus", cost=9),
    _change("cancelAllOrders", "POST", "/cancelallorders", "cancelStatus", cost=25),
    _change("cancelAllOrdersAfter", "POST", "/cancelallordersafter", "status", cost=25),
    Endpoint("getOrderStatus", "POST", "/orders/status", permission=FULL, cost=1, response_key="orders", also=("GET",)),
    # Transfers and subaccounts.
    _change("transfer", "POST", "/transfer", cost=10, moves_funds=True),
    _change("subAccountTransfer", "POST", "/transfer/subaccount", cost=10, moves_funds=True),
    _change("withdrawal", "POST", "/withdrawal", "uid", cost=100, permission=WITHDRAWAL, moves_funds=True),
    _private_get("listSubaccounts", "/subaccounts", "subaccounts"),
    Endpoint(
        "getSubaccountTradingCapability",
        "GET",
        "/subaccount/{subaccountUid}/trading-enabled",
        permission=FULL,
        cost=2,
        response_key="tradingEnabled",
    ),
    _change(
        "updateSubaccountTradingCapability",
        "PUT",
        "/subaccount/{subaccountUid}/trading-enabled",
        "tradingEnabled",
        cost=2,
    ),
    # Assignment program (the spec lists read-only keys even for the changes).
    _private_get("getAssignmentProgramCurrent", "/assignmentprogram/current", "participants"),
    _change("addAssignmentProgram", "POST", "/assignmentprogram/add", "participant", permission=READ_ONLY),
    _change("deleteAssignmentProgram", "POST", "/assignmentprogram/delete", "participant", permission=READ_ONLY),
    _private_get("getAssignmentProgramHistory", "/assignmentprogram/history", "participants"),
    # RFQs (demo only).
    _get("getAllOpenRfqs", "/rfqs", "rfqs", deprecated=DEMO_ONLY),
    _get("getSingleOpenRfq", "/rfqs/{rfqUid}", "rfq", deprecated=DEMO_ONLY),
    _private_get("getOpenRfqOffers", "/rfqs/open-offers", "openOffers", deprecated=DEMO_ONLY),
    _change(
        "placeRfqOffer", "POST", "/rfqs/{rfqUid}/place-offer", "offerUid", permission=READ_ONLY, deprecated=DEMO_ONLY
    ),
    _change("replaceRfqOffer", "PUT", "/rfqs/{rfqUid}/replace-offer", permission=READ_ONLY, deprecated=DEMO_ONLY),
    _change("cancelRfqOffer", "DELETE", "/rfqs/{rfqUid}/cancel-offer", permission=READ_ONLY, deprecated=DEMO_ONLY),
    # History (v3 per the spec; clients also use v2 for the account history).
    _get("getPublicExecutionEvents", "/market/{tradeable}/executions", "elements", base="history"),
    _get("getPublicOrderEvents", "/market/{tradeable}/orders", "elements", base="history"),
    _get("getPublicPriceEvents", "/market/{tradeable}/price", "elements", base="history"),
    _private_get("getExecutionEvents", "/executions", "elements", cost=1, base="history"),
    _private_get("getOrderEvents", "/orders", "elements", cost=1, base="history"),
    _private_get("getTriggerEvents", "/triggers", "elements", cost=1, base="history"),
    _private_get("getPositionEvents", "/positions", "elements", cost=1, base="history"),
    _private_get("accountLog", "/account-log", "logs", cost=2, base="history"),
    _private_get("accountLogCsv", "/accountlogcsv", cost=6, base="history", body_format="csv"),
    _get(
        "getPublicExecutionEventsV2",
        "/market/{tradeable}/executions",
        "elements",
        base="history-v2",
        in_spec=False,
        schema_name="getPublicExecutionEvents",
    ),
    _get(
        "getPublicOrderEventsV2",
        "/market/{tradeable}/orders",
        "elements",
        base="history-v2",
        in_spec=False,
        schema_name="getPublicOrderEvents",
    ),
    _get(
        "getPublicPriceEventsV2",
        "/market/{tradeable}/price",
        "elements",
        base="history-v2",
        in_spec=False,
        schema_name="getPublicPriceEvents",
    ),
    _private_get(
        "getExecutionEventsV2",
        "/executions",
        "elements",
        cost=1,
        base="history-v2",
        in_spec=False,
        schema_name="getExecutionEvents",
    ),
    _private_get(
        "getOrderEventsV2",
        "/orders",
        "elements",
        cost=1,
        base="history-v2",
        in_spec=False,
        schema_name="getOrderEvents",
    ),
    _private_get(
        "getTriggerEventsV2",
        "/triggers",
        "elements",
        cost=1,
        base="history-v2",
        in_spec=False,
        schema_name="getTriggerEvents",
    ),
    _private_get(
        "accountLogV2", "/account-log", "logs", cost=2, base="history-v2", in_spec=False, schema_name="accountLog"
    ),
    _private_get(
        "accountLogCsvV2",
        "/accountlogcsv",
        cost=6,
        base="history-v2",
        in_spec=False,
        body_format="csv",
        schema_name="accountLogCsv",
    ),
    # Charts (public, no envelope).
    _get("tickTypes", "/", base="charts"),
    _get("symbols", "/{tick_type}", base="charts"),
    _get("resolutions", "/{tick_type}/{symbol}", base="charts"),
    _get("candles", "/{tick_type}/{symbol}/{resolution}", "candles", base="charts"),
    _get("marketAnalytics", "/analytics/{symbol}/{analytics_type}", "result", base="charts"),
    _get("liquidityPoolStats", "/analytics/liquidity-pool", "result", base="charts"),
    # API key check and statistics.
    Endpoint("checkV3ApiKey", "GET", "/api-keys/v3/check", base="auth", permission=READ_ONLY, response_key="apiKey"),
    Endpoint(
        "rebates::get_self_market_share",
        "GET",
        "/rebates/self-market-share",
        base="stats",
        permission=READ_ONLY,
        response_key="contracts",
        schema_name="getSelfMarketShare",
    ),
)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Endpoint]:
    return {e.id: e for e in _ENDPOINTS}


def endpoints() -> Iterator[Endpoint]:
    """Iterate over every catalogued endpoint."""
    return iter(_ENDPOINTS)


def endpoint(id: str) -> Endpoint:
    """Return the endpoint with this operation id; an unknown id raises ``UnknownEndpoint`` (a ``KeyError``)."""
    __tracebackhide__ = True
    found = _by_id().get(id) if isinstance(id, str) else None
    if found is not None:
        return found
    raise UnknownEndpoint(f"no Kraken Futures endpoint with id {id!r}; {closest_ids(str(id))}")


def closest_ids(id: str) -> str:
    """Say which operation ids are closest to a mistyped one (or list them all when none is close)."""
    ids = sorted(_by_id())
    lowered = {item.lower(): item for item in ids}
    close = [lowered[id.lower()]] if id.lower() in lowered else []
    close += [item for item in difflib.get_close_matches(id, ids, n=3, cutoff=0.6) if item not in close]
    if close:
        return f"did you mean {', '.join(close)}?"
    return f"the ids are Kraken's operationIds: {', '.join(ids)}"


@lru_cache(maxsize=1)
def _by_specificity() -> tuple[Endpoint, ...]:
    return tuple(sorted(_ENDPOINTS, key=lambda item: item.specificity))


@lru_cache(maxsize=4096)
def resolve(method: str, path: str) -> Endpoint | None:
    """Return the endpoint a request with this method and URL path calls, or ``None``.

    Literal path segments win over placeholders: ``/api/charts/v1/analytics/liquidity-pool`` is
    ``liquidityPoolStats``, not the candles of a tick type called ``analytics``. The answer for a
    method and path is kept: a suite asks for the same few paths again and again.
    """
    for candidate in _by_specificity():
        if candidate.matches(method, path):
            return candidate
    return None


def at_path(path: str) -> tuple[Endpoint, ...]:
    """Return every endpoint served at a URL path, whatever its method, most specific first."""
    return tuple(candidate for candidate in _by_specificity() if candidate.serves_path(path))
