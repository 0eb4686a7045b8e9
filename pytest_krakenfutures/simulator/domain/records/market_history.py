"""What a market's public-history request selects: the tape's trades, the account's fills, the mark-price moments.

A request reaches into a ``Span`` of the past; the history API renders what it selects (``render_history.py``)
and pages it (``paging.py``). Only a page's worth past its first item is selected from the tape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..market.tape import Tape
from .executions import Fill


@dataclass(frozen=True)
class Span:
    """A page's reach into a market's past: times ``low <= t < high`` (ms), ``count`` items from one end."""

    low: int
    high: int
    count: int
    newest_first: bool

    @property
    def reach(self) -> int:
        """How many items a page can need: ``count``, the one its continuation token ended at, and one more."""
        return self.count + 2


def tape_ages(tape: Tape, span: Span) -> list[int]:
    """Return the ages of the tape's trades in the span a page can hold (ages count back from the newest trade)."""
    ages = tape.trade_ages(span.low, span.high)
    return list(ages[: span.reach] if span.newest_first else ages[-span.reach :])


def mark_times(tape: Tape, span: Span, now: int) -> list[int]:
    """Return the times (ms) of the market's mark-price events in the span a page can hold, oldest first."""
    times = [moment for moment in tape.price_times(now) if span.low <= moment < span.high]
    return times[-span.reach :] if span.newest_first else times[: span.reach]


def market_fills(fills: Iterable[Fill], symbol: str) -> list[Fill]:
    """Return the account's fills in one market: its part of the market's public executions."""
    return [fill for fill in fills if fill.symbol == symbol]
