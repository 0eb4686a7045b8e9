"""A market's recent public trades: the account's own, then the synthetic tape's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..account.identity import derived_uuid, epoch_ms, from_ms
from ..records.executions import Fill
from .tape import TAPE_MS, Tape, TapeTrade


@dataclass(frozen=True)
class PublicTrade:
    """A trade of a market's public history: time, trade id, price, size, the taker's side and its uid."""

    time: datetime
    trade_id: int
    price: Decimal
    size: Decimal
    side: str
    uid: str

    @classmethod
    def of_fill(cls, fill: Fill, trade_id: int) -> PublicTrade:
        """Return the public side of a trade the account took part in."""
        taker = fill.other if fill.maker else fill.own
        side = "sell" if taker.side.startswith("s") else "buy"
        uid = derived_uuid("public trade", fill.uid)
        return cls(fill.entry.time, trade_id, fill.price, fill.quantity, side, uid)

    @classmethod
    def of_tape(cls, trade: TapeTrade) -> PublicTrade:
        """Return a trade of the synthetic tape."""
        return cls(from_ms(trade.time), trade.trade_id, trade.price, trade.size, trade.side, trade.uid)


def recent_trades(
    tape: Tape, fills: Sequence[Fill], forgotten: int, now: int, before: int | None, count: int
) -> list[PublicTrade]:
    """Return a market's latest ``count`` public trades before ``before`` (ms; default now), newest first.

    The account's own trades come first (they all follow the tape). They take the trade ids after
    the tape's, one per fill of the account in any market, in the order it made them; the
    ``forgotten`` fills the journal no longer holds keep theirs. The tape reaches back ``TAPE_MS``.
    """
    until = now + 1 if before is None else min(before, now + 1)
    first_id = tape.next_trade_id + forgotten
    own = [(fill, first_id + n) for n, fill in enumerate(fills) if fill.symbol == tape.contract.symbol]
    trades = [
        PublicTrade.of_fill(fill, trade_id) for fill, trade_id in reversed(own) if epoch_ms(fill.entry.time) < until
    ]
    for age in tape.trade_ages(max(now - TAPE_MS, 0), until)[: max(0, count - len(trades))]:
        trades.append(PublicTrade.of_tape(tape.trade(age)))
    return trades[:count]
