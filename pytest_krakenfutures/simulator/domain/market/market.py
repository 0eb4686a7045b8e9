"""Static reference data of the simulated market: contracts, indices and the shape of their books."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

FLEXIBLE = "flexible_futures"
INVERSE = "futures_inverse"
VANILLA = "futures_vanilla"
CONTRACT_TYPES = (INVERSE, VANILLA, FLEXIBLE)

#: How many price levels the resting book holds on each side, and their relative sizes.
BOOK_DEPTH = 10
_BID_SIZES = ("1.2", "0.8", "2.5", "1.0", "3.1", "0.6", "4.0", "2.2", "5.0", "1.5")
_ASK_SIZES = ("0.9", "1.6", "0.7", "2.8", "1.1", "3.5", "0.5", "2.4", "4.5", "1.8")

#: The fee schedules: multi-collateral (flexible and vanilla) futures, and inverse futures.
FLEX_FEE_SCHEDULE = "5b755fea-c5b0-4307-a66e-b392cd5bd931"
INVERSE_FEE_SCHEDULE = "eef90775-995b-4596-9257-0917f6134766"


@dataclass(frozen=True)
class MarginLevel:
    """One tier of a contract's margin schedule."""

    threshold: int
    initial: Decimal
    maintenance: Decimal


_LINEAR_LEVELS = (
    MarginLevel(0, Decimal("0.02"), Decimal("0.01")),
    MarginLevel(500000, Decimal("0.04"), Decimal("0.02")),
    MarginLevel(2000000, Decimal("0.1"), Decimal("0.05")),
    MarginLevel(5000000, Decimal("0.2"), Decimal("0.1")),
)
_INVERSE_LEVELS = (
    MarginLevel(0, Decimal("0.02"), Decimal("0.01")),
    MarginLevel(500000, Decimal("0.04"), Decimal("0.02")),
    MarginLevel(1000000, Decimal("0.06"), Decimal("0.03")),
    MarginLevel(3000000, Decimal("0.1"), Decimal("0.05")),
)


@dataclass(frozen=True)
class Contract:
    """A tradeable futures contract: its specification and its reference market statistics."""

    symbol: str
    type: str
    base: str
    isin: str
    tick_size: Decimal
    precision: int
    mark_price: Decimal
    index_symbol: str
    level_size: Decimal
    level_ticks: int
    vol24h: Decimal
    open_interest: Decimal
    open24h: Decimal
    high24h: Decimal
    low24h: Decimal
    last_size: Decimal
    category: str = "Layer 1"
    contract_size: Decimal = Decimal(1)
    margin_levels: tuple[MarginLevel, ...] = _LINEAR_LEVELS
    max_position_size: int = 1000000
    opening_date: str = "2022-03-22T13:15:36Z"
    underlying: str | None = None
    last_trading_time: str | None = None
    funding_rate: Decimal | None = None
    funding_rate_prediction: Decimal | None = None
    mtf: bool = False

    @property
    def quote(self) -> str:
        """The quote currency."""
        return "USD"

    @property
    def pair(self) -> str:
        """The ``BASE:QUOTE`` pair name."""
        return f"{self.base}:{self.quote}"

    @property
    def perpetual(self) -> bool:
        """Whether the contract has no expiry."""
        return self.last_trading_time is None

    @property
    def inverse(self) -> bool:
        """Whether the contract is inverse (margined and settled in the base currency)."""
        return self.type == INVERSE

    @property
    def tag(self) -> str:
        """The ticker tag: ``perpetual`` or the expiry cycle."""
        return "perpetual" if self.perpetual else "quarter"

    @property
    def size_step(self) -> Decimal:
        """The smallest size increment allowed by ``contractValueTradePrecision``."""
        return Decimal(1).scaleb(-self.precision)

    @property
    def initial_margin_rate(self) -> Decimal:
        """Initial margin as a fraction of notional (first tier; its inverse is the max leverage)."""
        return self.margin_levels[0].initial

    @property
    def maintenance_margin_rate(self) -> Decimal:
        """Maintenance margin as a fraction of notional (first tier)."""
        return self.margin_levels[0].maintenance

    def reference_mid(self) -> Decimal:
        """The mark price rounded down to the tick: the centre of the resting book."""
        return round_to_tick(self.mark_price, self.tick_size, ROUND_FLOOR)

    @property
    def fee_schedule_uid(self) -> str:
        """The uid of the fee schedule the contract trades under."""
        return INVERSE_FEE_SCHEDULE if self.inverse else FLEX_FEE_SCHEDULE


@dataclass(frozen=True)
class Index:
    """A price index or reference rate quoted in ``/tickers`` (``in_xbtusd``, ``rr_xbtusd``)."""

    symbol: str
    price: Decimal
    age_seconds: int


CONTRACTS: tuple[Contract, ...] = (
    Contract(
        symbol="PF_XBTUSD",
        type=FLEXIBLE,
        base="XBT",
        isin="GB00KFXBTPF9",
        tick_size=Decimal(1),
        precision=4,
        mark_price=Decimal("96010.37"),
        index_symbol="in_xbtusd",
        level_size=Decimal("0.5"),
        level_ticks=5,
        vol24h=Decimal("4521.0318"),
        open_interest=Decimal("2789.4512"),
        open24h=Decimal("94875"),
        high24h=Decimal("96540"),
        low24h=Decimal("94310"),
        last_size=Decimal("0.0125"),
        funding_rate=Decimal("-0.000321548"),
        funding_rate_prediction=Decimal("0.00010521"),
    ),
    Contract(
        symbol="PF_ETHUSD",
        type=FLEXIBLE,
        base="ETH",
        isin="GB00KFETHPF4",
        tick_size=Decimal("0.1"),
        precision=3,
        mark_price=Decimal("3401.27"),
        index_symbol="in_ethusd",
        level_size=Decimal("8"),
        level_ticks=3,
        vol24h=Decimal("61873.425"),
        open_interest=Decimal("40211.318"),
        open24h=Decimal("3362.4"),
        high24h=Decimal("3425.9"),
        low24h=Decimal("3338.1"),
        last_size=Decimal("0.25"),
        funding_rate=Decimal("0.000118734"),
        funding_rate_prediction=Decimal("0.000094512"),
    ),
    Contract(
        symbol="PI_XBTUSD",
        type=INVERSE,
        base="XBT",
        isin="GB00J62YGL67",
        tick_size=Decimal("0.5"),
        precision=0,
        mark_price=Decimal("96012.81"),
        index_symbol="in_xbtusd",
        level_size=Decimal("20000"),
        level_ticks=4,
        vol24h=Decimal("41387215"),
        open_interest=Decimal("28811940"),
        open24h=Decimal("94871.5"),
        high24h=Decimal("96544"),
        low24h=Decimal("94302.5"),
        last_size=Decimal("1500"),
        category="",
        margin_levels=_INVERSE_LEVELS,
        underlying="rr_xbtusd",
        opening_date="2018-08-31T00:00:00Z",
        funding_rate=Decimal("-3.99e-09"),
        funding_rate_prediction=Decimal("1.21e-09"),
        mtf=True,
    ),
    Contract(
        symbol="FF_XBTUSD_261225",
        type=VANILLA,
        base="XBT",
        isin="GB00KFXBTFF7",
        tick_size=Decimal(1),
        precision=4,
        mark_price=Decimal("98421.64"),
        index_symbol="in_xbtusd",
        level_size=Decimal("0.2"),
        level_ticks=10,
        vol24h=Decimal("132.5841"),
        open_interest=Decimal("418.2207"),
        open24h=Decimal("97214"),
        high24h=Decimal("98877"),
        low24h=Decimal("96950"),
        last_size=Decimal("0.05"),
        opening_date="2026-06-26T16:00:00Z",
        last_trading_time="2026-12-25T16:00:00.000Z",
    ),
)

INDICES: tuple[Index, ...] = (
    Index("in_xbtusd", Decimal("96004.12"), 1),
    Index("rr_xbtusd", Decimal("95873"), 3600),
    Index("in_ethusd", Decimal("3400.86"), 1),
    Index("rr_ethusd", Decimal("3391.5"), 3600),
)

INDEX_PRICES: dict[str, Decimal] = {index.symbol: index.price for index in INDICES}


def round_to_tick(price: Decimal, tick: Decimal, rounding: str) -> Decimal:
    """Round a price to a multiple of the tick size in the given direction."""
    return (price / tick).to_integral_value(rounding=rounding) * tick


def book_levels(contract: Contract) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    """Return the resting ``(bids, asks)`` of a fresh book, best price first."""
    mid = contract.reference_mid()
    gap = contract.tick_size * contract.level_ticks
    step = contract.size_step
    bids = [
        (mid - gap * (i + 1), (contract.level_size * Decimal(factor)).quantize(step))
        for i, factor in enumerate(_BID_SIZES[:BOOK_DEPTH])
    ]
    asks = [
        (mid + gap * (i + 1), (contract.level_size * Decimal(factor)).quantize(step))
        for i, factor in enumerate(_ASK_SIZES[:BOOK_DEPTH])
    ]
    return bids, asks
