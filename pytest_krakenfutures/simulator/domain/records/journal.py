"""The exchange's journal: the latest order, trigger, execution and ledger events, in order, as data.

The order engine appends; the history, account-log and fills endpoints read. Entries are
immutable; ``data`` holds plain JSON-ready values whose keys each kind documents below. As
Kraken keeps a limited history, the journal keeps the latest ``KEPT_PER_KIND`` entries of each
kind and forgets older ones, so a long-running simulator's memory stays flat.
"""

from __future__ import annotations

import heapq
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from ..account.identity import decimal

#: Kinds of entries, with the keys of their ``data``.
ORDER_PLACED = "OrderPlaced"  # order (order snapshot), reason
ORDER_UPDATED = "OrderUpdated"  # old_order, new_order, reason (e.g. full_fill, partial_fill, edited_by_user)
ORDER_CANCELLED = "OrderCancelled"  # order, reason (cancelled_by_user, dead_man_switch, ...)
ORDER_REJECTED = "OrderRejected"  # order, reason (post_would_execute, ioc_would_not_execute, ...)
ORDER_EDIT_REJECTED = "OrderEditRejected"  # attempted_order, old_order, reason
TRIGGER_PLACED = "OrderTriggerPlaced"  # order (trigger snapshot), reason
TRIGGER_CANCELLED = "OrderTriggerCancelled"  # order, reason
TRIGGER_UPDATED = "OrderTriggerUpdated"  # old_order, new_order, reason
TRIGGER_ACTIVATED = "OrderTriggerActivated"  # order, triggered_price, resulting_order_id
EXECUTION = "Execution"  # the fields of ``Execution`` below
POSITION = "PositionUpdate"  # symbol, old_position, new_position, old_average_price, new_average_price,
#                              realized_pnl, fee, funding_realization, update_reason, execution_id
LEDGER = "LedgerEntry"  # asset, info, change, new_balance, old_balance, contract, fee, realized_pnl,
#                         realized_funding, trade_price, mark_price, funding_rate, execution


#: Entries kept of each kind; a kind's oldest entry is forgotten when one more arrives.
KEPT_PER_KIND = 5_000


@dataclass(frozen=True)
class Entry:
    """One journal entry: its sequence number (from 1), time, kind and data."""

    seq: int
    time: datetime
    kind: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Execution:
    """The data of an ``Execution`` entry: a fill of the account's order, its fee and the position after.

    The account's order (an OrderJson mapping) is ``maker_order`` or ``taker_order``, as
    ``fill_type`` says; the other side belongs to someone else and is ``None``.
    """

    execution_id: str
    symbol: str
    price: Decimal
    quantity: Decimal
    mark_price: Decimal | None
    taker_order: Mapping[str, Any] | None
    maker_order: Mapping[str, Any] | None
    fee: Decimal
    fee_currency: str
    fill_type: str
    position_size: Decimal | None

    def data(self) -> dict[str, Any]:
        """Return the entry's data: decimals as strings."""
        return {
            "execution_id": self.execution_id,
            "symbol": self.symbol,
            "price": str(self.price),
            "quantity": str(self.quantity),
            "mark_price": _text(self.mark_price),
            "taker_order": self.taker_order,
            "maker_order": self.maker_order,
            "fee": str(self.fee),
            "fee_currency": self.fee_currency,
            "fill_type": self.fill_type,
            "position_size": _text(self.position_size),
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Execution:
        """Read an ``Execution`` entry's data (its decimals as strings or numbers)."""
        return cls(
            execution_id=str(data["execution_id"]),
            symbol=str(data["symbol"]),
            price=decimal(data["price"]) or Decimal(0),
            quantity=decimal(data["quantity"]) or Decimal(0),
            mark_price=decimal(data["mark_price"]),
            taker_order=data["taker_order"],
            maker_order=data["maker_order"],
            fee=decimal(data["fee"]) or Decimal(0),
            fee_currency=str(data["fee_currency"]),
            fill_type=str(data["fill_type"]),
            position_size=decimal(data["position_size"]),
        )


def _text(value: Decimal | None) -> str | None:
    """Return a decimal as the journal keeps it: a string (``None`` stays ``None``)."""
    return None if value is None else str(value)


@dataclass(frozen=True)
class Forgotten:
    """What a bounded record forgot: how many items, and the position of the newest of them (0: none)."""

    count: int = 0
    newest: int = 0


#: Nothing forgotten yet.
NOTHING_FORGOTTEN = Forgotten()


class Journal:
    """A thread-safe record of entries, numbered in order, keeping the latest ``kept`` of each kind."""

    def __init__(self, kept: int = KEPT_PER_KIND) -> None:
        self.kept = kept
        self._kinds: dict[str, deque[Entry]] = {}
        self._forgotten: dict[str, Forgotten] = {}
        self._last_seq = 0
        self._lock = threading.Lock()

    def append(self, time: datetime, kind: str, **data: Any) -> Entry:
        """Add an entry and return it (forgetting the oldest of its kind beyond ``kept``)."""
        with self._lock:
            self._last_seq += 1
            entry = Entry(self._last_seq, time, kind, MappingProxyType(dict(data)))
            kept = self._kinds.setdefault(kind, deque())
            kept.append(entry)
            if len(kept) > self.kept:
                oldest = kept.popleft()
                self._forgotten[kind] = Forgotten(self.forgotten(kind).count + 1, oldest.seq)
            return entry

    def entries(self, *kinds: str) -> list[Entry]:
        """Return the entries of the given kinds (all when none given), oldest first.

        With several kinds, entries are returned from after the newest one forgotten of any of
        them, so the answer is the whole history of those kinds over the time it covers.
        """
        with self._lock:
            chosen = [kind for kind in dict.fromkeys(kinds or self._kinds) if kind in self._kinds]
            horizon = max((self.forgotten(kind).newest for kind in chosen), default=0)
            if len(chosen) == 1:
                return [entry for entry in self._kinds[chosen[0]] if entry.seq > horizon]
            merged = heapq.merge(*(self._kinds[kind] for kind in chosen), key=_seq)
            return [entry for entry in merged if entry.seq > horizon]

    def forgotten(self, kind: str) -> Forgotten:
        """Return how many entries of a kind were forgotten, and the sequence number of the newest."""
        return self._forgotten.get(kind, NOTHING_FORGOTTEN)

    @property
    def last_seq(self) -> int:
        """The sequence number of the latest entry (0 while empty): how many were ever appended."""
        with self._lock:
            return self._last_seq

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries())

    def __len__(self) -> int:
        with self._lock:
            return sum(len(kept) for kept in self._kinds.values())


def _seq(entry: Entry) -> int:
    """Return an entry's sequence number (the order entries of several kinds merge in)."""
    return entry.seq
