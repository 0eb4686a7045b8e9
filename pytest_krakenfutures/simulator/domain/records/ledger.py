"""The account log: the journal's ledger entries and the back office's movements, numbered in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from ..account.identity import epoch_ms
from ..account.wallets import LedgerLine
from .journal import NOTHING_FORGOTTEN, Entry, Forgotten
from .journal_events import LedgerEntry

#: The kinds of account-log lines (the ``info`` filter).
INFO_TYPES = (
    "futures trade",
    "futures liquidation",
    "futures assignor",
    "futures assignee",
    "futures unwind counterparty",
    "futures unwind bankrupt",
    "covered liquidation",
    "funding rate change",
    "conversion",
    "interest payment",
    "transfer",
    "cross-exchange transfer",
    "kfee applied",
    "subaccount transfer",
    "settlement",
    "admin transfer",
    "tax withheld",
    "tax refund",
)


@dataclass(frozen=True, slots=True)
class Booking:
    """What one account-log line books: where it came from (a journal entry, a movement) and the ledger entry."""

    origin: str
    ledger: LedgerEntry


@dataclass(frozen=True, slots=True)
class LogLine:
    """One account-log line with its id (from 1, oldest first), its time and what it books."""

    id: int
    time: datetime
    booking: Booking

    @property
    def timestamp(self) -> int:
        """The line's time in epoch ms."""
        return epoch_ms(self.time)

    @property
    def info(self) -> str:
        """The kind of line (``futures trade``, ``transfer``, ...)."""
        return self.booking.ledger.info


def journal_booking(entry: Entry) -> Booking:
    """Return what a ledger entry written by the order engine books (its contract in lower case, as in the log)."""
    event = entry.event
    assert isinstance(event, LedgerEntry)
    contract = None if event.contract is None else event.contract.lower()
    return Booking(f"journal:{entry.seq}", replace(event, contract=contract))


def movement_booking(line: LedgerLine, index: int) -> Booking:
    """Return what a movement written by the back office (a transfer or withdrawal) books."""
    ledger = LedgerEntry(
        asset=line.asset,
        info=line.info,
        margin_account=line.wallet,
        change=line.change,
        old_balance=line.old_balance,
        new_balance=line.new_balance,
        execution=line.reference,
    )
    return Booking(f"movement:{index}", ledger)


def account_log(
    entries: Iterable[Entry],
    movements: Iterable[LedgerLine],
    forgotten_entries: Forgotten = NOTHING_FORGOTTEN,
    forgotten_movements: Forgotten = NOTHING_FORGOTTEN,
) -> list[LogLine]:
    """Return the account-log lines still known, oldest first, numbered from 1 as if none was forgotten.

    Ledger entries (by journal sequence) and movements (after the journal entries before them)
    merge in the order they were written. When either has forgotten lines, the log starts
    after the newest forgotten one, and lines keep the numbers they had.
    """
    keyed: list[tuple[tuple[int, int, int], datetime, Booking]] = []
    for entry in entries:
        if isinstance(entry.event, LedgerEntry):
            keyed.append(((entry.seq, 0, 0), entry.time, journal_booking(entry)))
    for line in movements:
        keyed.append(((line.after, 1, line.index), line.time, movement_booking(line, line.index)))
    keyed.sort(key=lambda item: item[0])
    horizon = (-1, 0, 0)
    if forgotten_entries.count:
        horizon = max(horizon, (forgotten_entries.newest, 0, 0))
    if forgotten_movements.count:
        horizon = max(horizon, (forgotten_movements.newest, 1, forgotten_movements.count - 1))
    skipped = sum(1 for key, _, _ in keyed if key <= horizon)
    first = forgotten_entries.count + forgotten_movements.count + skipped + 1
    return [LogLine(number, time, booking) for number, (_, time, booking) in enumerate(keyed[skipped:], start=first)]
