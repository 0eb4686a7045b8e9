"""Market analytics of the charts API: deterministic statistics per time bucket, per analytics type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..account.identity import decimal_string, unit_interval
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

#: Order-book depth bands (percent from the best price) and slippage order sizes (percent of price).
_LIQUIDITY = {"005": "0.05", "01": "0.1", "025": "0.25", "05": "0.5", "10": "1", "100": "10"}
_SLIPPAGE = {"1k": "0.002", "10k": "0.008", "100k": "0.03", "1m": "0.12"}


def buckets(since: int, until: int, interval: int) -> tuple[list[int], bool]:
    """Return the bucket starts (epoch seconds) in ``[since, until]`` and whether more were cut off."""
    first = -(-since // interval) * interval
    starts = range(first, until + 1, interval)
    return list(starts[:MAX_BUCKETS]), len(starts) > MAX_BUCKETS


def _noise(contract: Contract, kind: str, start: int, spread: float = 0.4) -> Decimal:
    """Return a deterministic factor around 1 for one bucket."""
    return Decimal(repr(1 - spread / 2 + spread * unit_interval(contract.symbol, kind, start)))


def _text(value: Decimal, places: str = "0.0001") -> str:
    """Return a decimal rounded to ``places`` as a plain string."""
    return decimal_string(value.quantize(Decimal(places)))


def market_data(tape: Tape, kind: str, starts: list[int], interval: int) -> Any:
    """Return the ``data`` of one analytics type for the given buckets."""
    contract = tape.contract
    scale = Decimal(interval) / 86_400

    def series(name: str, base: Decimal, places: str = "0.0001", spread: float = 0.4) -> list[str]:
        """Return one value per bucket around ``base``."""
        return [_text(base * _noise(contract, name, s, spread), places) for s in starts]

    def volume(name: str) -> list[str]:
        """Return one traded volume per bucket, around the day's volume scaled to the bucket."""
        return series(name, contract.vol24h * scale)

    if kind == "open-interest":
        rows = []
        for s in starts:
            values = [float(contract.open_interest * _noise(contract, f"oi{i}", s, 0.02)) for i in range(4)]
            rows.append([values[0], max(values), min(values), values[3]])
        return rows
    if kind in ("trade-volume", "liquidation-volume", "aggressor-differential", "rolling-volatility"):
        if kind == "rolling-volatility":
            return series(kind, Decimal("0.42"), "0.000001", 0.3)
        if kind == "aggressor-differential":
            return [_text(contract.vol24h * scale * (_noise(contract, kind, s, 0.4) - 1)) for s in starts]
        return volume(kind) if kind == "trade-volume" else series(kind, contract.vol24h * scale / 200)
    if kind == "trade-count":
        return [int(Decimal(interval) / 41 * _noise(contract, kind, s)) for s in starts]
    if kind in ("long-short-ratio", "long-short-info"):
        return _long_short(contract, kind, starts)
    if kind == "top-traders":
        data = _long_short(contract, kind, starts)
        data["openInterest"] = series("top-oi", contract.open_interest / 5)
        return {"top20Percent": data}
    if kind == "cvd":
        buys = [contract.vol24h * scale / 2 * _noise(contract, "buy", s) for s in starts]
        sells = [contract.vol24h * scale / 2 * _noise(contract, "sell", s) for s in starts]
        running, cvd = Decimal(0), []
        for buy, sell in zip(buys, sells, strict=True):
            running += buy - sell
            cvd.append(_text(running))
        return {"buyVolume": [_text(b) for b in buys], "sellVolume": [_text(s) for s in sells], "cvd": cvd}
    if kind == "future-basis":
        index = tape.price_at(tape.start, "spot")
        basis = (tape.price_at(tape.start, "mark") - index) / index * 100
        return {"basis": series("basis", basis, "0.000001", 0.2)}
    return {"bid": _book_side(tape, kind, starts, "bid"), "ask": _book_side(tape, kind, starts, "ask")}


def _long_short(contract: Contract, kind: str, starts: list[int]) -> dict[str, Any]:
    """Return the counts, shares and ratio of long and short accounts per bucket."""
    longs = [int(1800 * _noise(contract, kind + "long", s)) for s in starts]
    shorts = [int(1500 * _noise(contract, kind + "short", s)) for s in starts]
    totals = [Decimal(long + short) for long, short in zip(longs, shorts, strict=True)]
    return {
        "longCount": longs,
        "shortCount": shorts,
        "longPercent": [_text(Decimal(long) / t * 100) for long, t in zip(longs, totals, strict=True)],
        "shortPercent": [_text(Decimal(short) / t * 100) for short, t in zip(shorts, totals, strict=True)],
        "ratio": [_text(Decimal(long) / Decimal(short)) for long, short in zip(longs, shorts, strict=True)],
    }


def _book_side(tape: Tape, kind: str, starts: list[int], side: str) -> dict[str, list[str | None]]:
    """Return one side's order-book statistics (spreads, liquidity, slippage or all of them)."""
    contract = tape.contract
    depth = contract.level_size * 20 * (1 if contract.inverse else tape.last_price)
    best = tape.last_price + (contract.tick_size if side == "ask" else -contract.tick_size)

    def column(name: str, base: Decimal, places: str = "0.01", spread: float = 0.3) -> list[str | None]:
        """Return one value of this side per bucket around ``base``."""
        return [_text(base * _noise(contract, side + name, s, spread), places) for s in starts]

    def liquidity(band: str) -> list[str | None]:
        """Return the depth within one band of the best price per bucket."""
        return column("liq" + band, depth * Decimal(_LIQUIDITY[band]))

    def slippage(size: str) -> list[str | None]:
        """Return the slippage of one order size per bucket."""
        return column("slip" + size, Decimal(_SLIPPAGE[size]), "0.0001")

    def best_price() -> list[str | None]:
        """Return the best price of this side per bucket."""
        return column("best", best, str(contract.tick_size), 0.0004)

    if kind == "spreads":
        return {"best_price": best_price()}
    if kind == "liquidity":
        return {f"liquidity_{band}": liquidity(band) for band in _LIQUIDITY}
    if kind == "slippage":
        return {f"slippage_{size}": slippage(size) for size in _SLIPPAGE}
    data = {f"slippage{size}": slippage(size) for size in _SLIPPAGE}
    data["bestPrice"] = best_price()
    data.update({f"liquidity{band}": liquidity(band) for band in _LIQUIDITY})
    return data


def pool_data(starts: list[int]) -> dict[str, list[str]]:
    """Return the liquidity pool's USD value per bucket."""
    values = [POOL_USD * Decimal(repr(0.97 + 0.06 * unit_interval("liquidity pool", s))) for s in starts]
    return {"usdValue": [_text(value, "0.01") for value in values]}
