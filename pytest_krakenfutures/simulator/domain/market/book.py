"""One contract's resting book of outside liquidity (price levels that taker orders consume), and a book's view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

#: One price level: its price and the size resting at it.
Level = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class OrderBook:
    """A market's whole book as ``/orderbook`` shows it: bids and asks, best first, own orders included."""

    bids: tuple[Level, ...]
    asks: tuple[Level, ...]


class Book:
    """Bids (best first, descending) and asks (best first, ascending) of other market participants."""

    def __init__(self, bids: Iterable[Level], asks: Iterable[Level]) -> None:
        self._bids: list[list[Decimal]] = [[price, size] for price, size in sorted(bids, reverse=True)]
        self._asks: list[list[Decimal]] = [[price, size] for price, size in sorted(asks)]

    def best(self, side: str) -> Decimal | None:
        """Return the best price on one side of the book (``buy`` = bids, ``sell`` = asks)."""
        levels = self._bids if side == "buy" else self._asks
        return levels[0][0] if levels else None

    def fillable(self, side: str, limit: Decimal) -> list[Level]:
        """Return the levels an order of this side could take at its limit price, best first."""
        levels = self._asks if side == "buy" else self._bids
        if side == "buy":
            return [(price, size) for price, size in levels if price <= limit]
        return [(price, size) for price, size in levels if price >= limit]

    def take(self, side: str, size: Decimal, limit: Decimal) -> list[Level]:
        """Consume liquidity for a taker order; return the ``(price, amount)`` fills, best first."""
        levels = self._asks if side == "buy" else self._bids
        fills: list[Level] = []
        remaining = size
        while remaining > 0 and levels:
            price, available = levels[0]
            if (side == "buy" and price > limit) or (side == "sell" and price < limit):
                break
            amount = min(available, remaining)
            fills.append((price, amount))
            remaining -= amount
            if amount == available:
                levels.pop(0)
            else:
                levels[0][1] = available - amount
        return fills

    def levels(self) -> tuple[list[Level], list[Level]]:
        """Return copies of ``(bids, asks)``, best first."""
        return [(p, s) for p, s in self._bids], [(p, s) for p, s in self._asks]
