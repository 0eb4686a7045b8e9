"""Market analytics of the charts API: deterministic statistics per time bucket, per analytics type."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..account.identity import unit_interval
from .market import Contract
from .tape import Tape

ANALYTICS_TYPES = (
    "open-interest",
    "aggressor-differential",
    "trade-volume",
    "trade-count",
    "liquidation-volume",
    "rolling-volatility",
    "long-short-ratio",
    "long-short-info",
    "cvd",
    "top-traders",
    "orderbook",
    "spreads",
    "liquidity",
    "slippage",
    "future-basis",
)
#: Bucket lengths (seconds) the analytics endpoints accept.
INTERVALS = (60, 300, 900, 1800, 3600, 14400, 43200, 86400, 604800)
#: The most buckets one answer holds.
MAX_BUCKETS = 2000
#: The USD value of the liquidity pool before any noise.
POOL_USD = Decimal("31250000")

#: Order-book depth bands by name (their share of the book's depth) and slippage order sizes by name (slippage).
_LIQUIDITY = {"005": "0.05", "01": "0.1", "025": "0.25", "05": "0.5", "10": "1", "100": "10"}
_SLIPPAGE = {"1k": "0.002", "10k": "0.008", "100k": "0.03", "1m": "0.12"}

#: One value per bucket.
Series = tuple[Decimal, ...]


@dataclass(frozen=True)
class Values:
    """One statistic per bucket (traded, liquidated or aggressor volume, volatility)."""

    values: Series


@dataclass(frozen=True)
class Counts:
    """A whole-number statistic per bucket (trades)."""

    counts: tuple[int, ...]


@dataclass(frozen=True)
class OpenInterestBar:
    """The open interest of one bucket: at its start, highest, lowest and at its end."""

    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal


@dataclass(frozen=True)
class OpenInterest:
    """The open interest of each bucket."""

    bars: tuple[OpenInterestBar, ...]


@dataclass(frozen=True)
class LongShort:
    """Long and short accounts per bucket: their counts, their shares (percent) and the long/short ratio."""

    long_count: tuple[int, ...]
    short_count: tuple[int, ...]
    long_percent: Series
    short_percent: Series
    ratio: Series


@dataclass(frozen=True)
class TopTraders:
    """The long and short accounts of the top 20 percent of traders per bucket, and their open interest."""

    long_short: LongShort
    open_interest: Series


@dataclass(frozen=True)
class VolumeDelta:
    """Buy and sell volume per bucket and the running (cumulative) difference of the two."""

    buy_volume: Series
    sell_volume: Series
    cvd: Series


@dataclass(frozen=True)
class Basis:
    """The future's basis to its index per bucket (percent)."""

    basis: Series


@dataclass(frozen=True)
class BookSide:
    """One side's order-book statistics per bucket: slippage by order size, best price, depth by band.

    Each holds what its kind asks for; the others are empty (``best_price`` ``None``).
    """

    slippage: tuple[tuple[str, Series], ...]
    best_price: Series | None
    liquidity: tuple[tuple[str, Series], ...]


@dataclass(frozen=True)
class BookStats:
    """Both sides' order-book statistics of one kind: spreads, liquidity, slippage or all (orderbook)."""

    kind: str
    bid: BookSide
    ask: BookSide


@dataclass(frozen=True)
class PoolValue:
    """The liquidity pool's USD value per bucket."""

    usd_value: Series


#: The data of one analytics answer.
MarketData = Values | Counts | OpenInterest | LongShort | TopTraders | VolumeDelta | Basis | BookStats


def buckets(since: int, until: int, interval: int) -> tuple[list[int], bool]:
    """Return the bucket starts (epoch seconds) in ``[since, until]`` and whether more were cut off."""
    first = -(-since // interval) * interval
    starts = range(first, until + 1, interval)
    return list(starts[:MAX_BUCKETS]), len(starts) > MAX_BUCKETS


def _noise(contract: Contract, kind: str, start: int, spread: float = 0.4) -> Decimal:
    """Return a deterministic factor around 1 for one bucket."""
    return Decimal(repr(1 - spread / 2 + spread * unit_interval(contract.symbol, kind, start)))


def _round(value: Decimal, places: str = "0.0001") -> Decimal:
    """Return a decimal rounded to ``places``."""
    return value.quantize(Decimal(places))


def market_data(tape: Tape, kind: str, starts: list[int], interval: int) -> MarketData:
    """Return the statistics of one analytics type for the given buckets."""
    contract = tape.contract
    scale = Decimal(interval) / 86_400

    def series(name: str, base: Decimal, places: str = "0.0001", spread: float = 0.4) -> Series:
        """Return one value per bucket around ``base``."""
        return tuple(_round(base * _noise(contract, name, s, spread), places) for s in starts)

    if kind == "open-interest":
        return OpenInterest(tuple(_open_interest(contract, s) for s in starts))
    if kind == "rolling-volatility":
        return Values(series(kind, Decimal("0.42"), "0.000001", 0.3))
    if kind == "aggressor-differential":
        return Values(tuple(_round(contract.vol24h * scale * (_noise(contract, kind, s, 0.4) - 1)) for s in starts))
    if kind == "trade-volume":
        return Values(series(kind, contract.vol24h * scale))
    if kind == "liquidation-volume":
        return Values(series(kind, contract.vol24h * scale / 200))
    if kind == "trade-count":
        return Counts(tuple(int(Decimal(interval) / 41 * _noise(contract, kind, s)) for s in starts))
    if kind in ("long-short-ratio", "long-short-info"):
        return _long_short(contract, kind, starts)
    if kind == "top-traders":
        return TopTraders(_long_short(contract, kind, starts), series("top-oi", contract.open_interest / 5))
    if kind == "cvd":
        return _volume_delta(contract, starts, scale)
    if kind == "future-basis":
        index = tape.price_at(tape.start, "spot")
        basis = (tape.price_at(tape.start, "mark") - index) / index * 100
        return Basis(series("basis", basis, "0.000001", 0.2))
    return BookStats(kind, _book_side(tape, kind, starts, "bid"), _book_side(tape, kind, starts, "ask"))


def _open_interest(contract: Contract, start: int) -> OpenInterestBar:
    """Return the open interest of the bucket starting at ``start``."""
    values = [contract.open_interest * _noise(contract, f"oi{i}", start, 0.02) for i in range(4)]
    return OpenInterestBar(values[0], max(values), min(values), values[3])


def _volume_delta(contract: Contract, starts: list[int], scale: Decimal) -> VolumeDelta:
    """Return the buy and sell volume per bucket and their running difference."""
    buys = [contract.vol24h * scale / 2 * _noise(contract, "buy", s) for s in starts]
    sells = [contract.vol24h * scale / 2 * _noise(contract, "sell", s) for s in starts]
    running, cvd = Decimal(0), []
    for buy, sell in zip(buys, sells, strict=True):
        running += buy - sell
        cvd.append(_round(running))
    return VolumeDelta(tuple(_round(b) for b in buys), tuple(_round(s) for s in sells), tuple(cvd))


def _long_short(contract: Contract, kind: str, starts: list[int]) -> LongShort:
    """Return the counts, shares and ratio of long and short accounts per bucket."""
    longs = tuple(int(1800 * _noise(contract, kind + "long", s)) for s in starts)
    shorts = tuple(int(1500 * _noise(contract, kind + "short", s)) for s in starts)
    totals = [Decimal(long + short) for long, short in zip(longs, shorts, strict=True)]
    return LongShort(
        long_count=longs,
        short_count=shorts,
        long_percent=tuple(_round(Decimal(long) / t * 100) for long, t in zip(longs, totals, strict=True)),
        short_percent=tuple(_round(Decimal(short) / t * 100) for short, t in zip(shorts, totals, strict=True)),
        ratio=tuple(_round(Decimal(long) / Decimal(short)) for long, short in zip(longs, shorts, strict=True)),
    )


def _book_side(tape: Tape, kind: str, starts: list[int], side: str) -> BookSide:
    """Return one side's order-book statistics of ``kind`` (spreads, liquidity, slippage or all of them)."""
    contract = tape.contract
    depth = contract.level_size * 20 * (1 if contract.inverse else tape.last_price)
    best = tape.last_price + (contract.tick_size if side == "ask" else -contract.tick_size)

    def column(name: str, base: Decimal, places: str = "0.01", spread: float = 0.3) -> Series:
        """Return one value of this side per bucket around ``base``."""
        return tuple(_round(base * _noise(contract, side + name, s, spread), places) for s in starts)

    slippage = tuple(
        (size, column("slip" + size, Decimal(share), "0.0001"))
        for size, share in _SLIPPAGE.items()
        if kind in ("slippage", "orderbook")
    )
    best_price = column("best", best, str(contract.tick_size), 0.0004) if kind in ("spreads", "orderbook") else None
    liquidity = tuple(
        (band, column("liq" + band, depth * Decimal(share)))
        for band, share in _LIQUIDITY.items()
        if kind in ("liquidity", "orderbook")
    )
    return BookSide(slippage, best_price, liquidity)


def pool_data(starts: list[int]) -> PoolValue:
    """Return the liquidity pool's USD value per bucket."""
    values = [POOL_USD * Decimal(repr(0.97 + 0.06 * unit_interval("liquidity pool", s))) for s in starts]
    return PoolValue(tuple(_round(value, "0.01") for value in values))
