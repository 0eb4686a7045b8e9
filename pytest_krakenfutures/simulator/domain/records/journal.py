"""The exchange's journal: the latest order, trigger, execution, position and ledger events, in order.

The order engine appends; the history, account-log and fills endpoints read. Entries are
immutable; each holds one typed event (``journal_events.py``), whose kind names it. As Kraken
keeps a limited history, the journal keeps the latest ``KEPT_PER_KIND`` entries of each kind
and forgets older ones, so a long-running simulator's memory stays flat.
"""

from __future__ import annotations

import heapq
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

#: Kinds of entries, each the kind of one event class of ``journal_events.py``.
ORDER_PLACED = "OrderPlaced"
ORDER_UPDATED = "OrderUpdated"
ORDER_CANCELLED = "OrderCancelled"
ORDER_REJECTED = "OrderRejected"
ORDER_EDIT_REJECTED = "OrderEditRejected"
TRIGGER_PLACED = "OrderTriggerPlaced"
TRIGGER_CANCELLED = "OrderTriggerCancelled"
TRIGGER_UPDATED = "OrderTriggerUpdated"
TRIGGER_ACTIVATED = "OrderTriggerActivated"
EXECUTION = "Execution"
POSITION = "PositionUpdate"
LEDGER = "LedgerEntry"


#: Entries kept of each kind; a kind's oldest entry is forgotten when one more arrives.
KEPT_PER_KIND = 5_000


class JournalEvent(Protocol):
    """What the journal keeps: an immutable event that names its kind."""

    @property
    def kind(self) -> str:
        """The kind of entry the event makes."""
        ...


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal entry: its sequence number (from 1), time, kind and event."""

    seq: int
    time: datetime
    kind: str
    event: JournalEvent


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

    def append(self, time: datetime, event: JournalEvent) -> Entry:
        """Add an entry of the event's kind and return it (forgetting the oldest of its kind beyond ``kept``)."""
        kind = event.kind
        with self._lock:
            self._last_seq += 1
            entry = Entry(self._last_seq, time, kind, event)
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
