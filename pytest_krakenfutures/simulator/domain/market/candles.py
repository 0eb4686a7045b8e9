"""OHLC candles of the charts API, from the market's synthetic past and the simulation's own trades."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..account.identity import epoch_ms, to_ms, unit_interval
from ..records.executions import Fill
from .tape import TRADE_INTERVAL_MS, Tape

TICK_TYPES = ("spot", "mark", "trade")
#: Candle resolutions and their length in seconds.
RESOLUTIONS: dict[str, int] = {
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "30m": 1800,
    "1h": 3600,
    "4h": 14400,
    "12h": 43200,
    "1d": 86400,
    "1w": 604800,
}
#: The most candles one answer holds.
MAX_CANDLES = 2000
#: Weekly candles start on Mondays (1970-01-05T00:00:00Z), the others at multiples of their length.
_MONDAY_MS = 4 * 86_400_000
#: Price samples taken inside one candle of the synthetic past.
_SAMPLES = 24


@dataclass(frozen=True)
class OwnTrade:
    """A trade of the simulation itself: time (ms), price and size."""

    time: int
    price: Decimal
    size: Decimal

    @classmethod
    def of(cls, fill: Fill) -> OwnTrade:
        """Return the trade an account's fill made."""
        return cls(epoch_ms(fill.entry.time), fill.price, fill.quantity)


@dataclass(frozen=True)
class Candle:
    """One candle: its start (ms), open, high, low and close prices, and the volume traded in it."""

    time: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


@dataclass(frozen=True)
class Chart:
    """A market's candles, oldest first, and whether more exist beyond them."""

    candles: tuple[Candle, ...]
    more: bool


def bucket_start(time: int, length: int) -> int:
    """Return the start (ms) of the candle of ``length`` ms holding ``time``."""
    offset = _MONDAY_MS if length == RESOLUTIONS["1w"] * 1000 else 0
    return (time - offset) // length * length + offset


def candle_starts(
    length: int, now: int, since: int | None, until: int | None, count: int | None, opening: int
) -> tuple[list[int], bool]:
    """Return the starts (ms) of the candles an answer holds, oldest first, and whether more exist.

    With ``since`` the candles run forward from it; without it they end at ``until`` (default
    now). At most ``count`` (capped at ``MAX_CANDLES``) are returned; none start before the
    contract's opening or after now.
    """
    limit = MAX_CANDLES if count is None else min(count, MAX_CANDLES)
    last = bucket_start(min(until if until is not None else now, now), length)
    first_open = bucket_start(opening + length - 1, length)
    if since is not None:
        first = max(bucket_start(since + length - 1, length), first_open)
        starts = range(first, last + 1, length)
        return list(starts[:limit]), len(starts) > limit
    first = max(last - (limit - 1) * length, first_open)
    more = last - limit * length >= first_open
    return list(range(first, last + 1, length)), more and limit > 0


def chart(
    tape: Tape,
    kind: str,
    length: int,
    fills: Sequence[Fill],
    now: int,
    since: int | None = None,
    until: int | None = None,
    count: int | None = None,
) -> Chart:
    """Return a contract's candles of ``kind`` and ``length`` ms, oldest first, and whether more exist.

    The range is ``candle_starts``'s; the account's fills of the contract trade in its trade candles.
    """
    opening = to_ms(tape.contract.opening_date, 0) or 0
    starts, more = candle_starts(length, now, since, until, count, opening)
    trades = [OwnTrade.of(fill) for fill in fills if fill.symbol == tape.contract.symbol]
    return Chart(tuple(candle(tape, kind, start, length, trades) for start in starts), more)


def candle(tape: Tape, kind: str, start: int, length: int, trades: Sequence[OwnTrade]) -> Candle:
    """Return the candle of ``kind`` (trade, mark or spot) that starts at ``start`` (ms)."""
    end = start + length
    points: list[tuple[int, Decimal]] = []
    past_end = min(end, tape.start)
    if start < past_end:
        samples = min(_SAMPLES, max(1, (past_end - start) // 10_000))
        step = (past_end - start) / samples
        points += [(int(start + i * step), tape.price_at(int(start + i * step), kind)) for i in range(samples)]
        points.append((past_end - 1, tape.price_at(past_end - 1, kind)))
    own = [trade for trade in trades if start <= trade.time < end] if kind == "trade" else []
    points += [(trade.time, trade.price) for trade in own]
    if not points:
        points = [(start, _price_before(tape, kind, start, trades))]
    points.sort(key=lambda point: point[0])
    prices = [price for _, price in points]
    volume = Decimal(0)
    if kind == "trade":
        volume = _past_volume(tape, start, past_end) + sum((trade.size for trade in own), Decimal(0))
    return Candle(start, prices[0], max(prices), min(prices), prices[-1], volume)


def _price_before(tape: Tape, kind: str, time: int, trades: Sequence[OwnTrade]) -> Decimal:
    """Return the last price known at ``time``: the latest own trade before it, else the path."""
    if kind == "trade":
        earlier = [trade for trade in trades if trade.time < time]
        if earlier:
            return max(earlier, key=lambda trade: trade.time).price
    return tape.price_at(min(time, tape.start), kind)


def _past_volume(tape: Tape, start: int, end: int) -> Decimal:
    """Return the volume traded in ``[start, end)`` before the simulation started."""
    if end <= start:
        return Decimal(0)
    trades = Decimal(end - start) / TRADE_INTERVAL_MS
    noise = Decimal(repr(0.6 + 0.8 * unit_interval(tape.contract.symbol, "volume", start, end)))
    volume = trades * tape.contract.last_size * Decimal("1.7") * noise
    return volume.quantize(tape.contract.size_step)
