"""The exchange's journal: every order, trigger, execution and ledger event, in order, as data.

The order engine appends; the history, account-log and fills endpoints read. Entries are
immutable; ``data`` holds plain JSON-ready values whose keys each kind documents below.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

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
EXECUTION = "Execution"  # execution_id, symbol, price, quantity, mark_price, maker_order, taker_order,
#                          fee, fee_currency, fill_type, position_size
POSITION = "PositionUpdate"  # symbol, old_position, new_position, old_average_price, new_average_price,
#                              realized_pnl, fee, funding_realization, update_reason, execution_id
LEDGER = "LedgerEntry"  # asset, info, change, new_balance, old_balance, contract, fee, realized_pnl,
#                         realized_funding, trade_price, mark_price, funding_rate, execution


@dataclass(frozen=True)
class Entry:
    """One journal entry: its sequence number (from 1), time, kind and data."""

    seq: int
    time: datetime
    kind: str
    data: Mapping[str, Any]


class Journal:
    """An append-only, thread-safe list of entries."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._lock = threading.Lock()

    def append(self, time: datetime, kind: str, **data: Any) -> Entry:
        """Add an entry and return it."""
        with self._lock:
            entry = Entry(len(self._entries) + 1, time, kind, MappingProxyType(dict(data)))
            self._entries.append(entry)
            return entry

    def entries(self, *kinds: str) -> list[Entry]:
        """Return the entries of the given kinds (all when none given), oldest first."""
        with self._lock:
            return [entry for entry in self._entries if not kinds or entry.kind in kinds]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
