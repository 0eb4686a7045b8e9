"""What an account-history request selects from the journal: order and trigger events, position updates, log lines.

The history API renders the selection (``render_history.py``, ``render_ledger.py``) and pages it (``paging.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..account.wallets import Wallets
from . import journal as kinds
from .executions import Fill, fill_of
from .journal import Entry, Journal
from .journal_events import (
    OrderCancelled,
    OrderEditRejected,
    OrderPlaced,
    OrderRejected,
    OrderUpdated,
    PositionUpdated,
    TriggerActivated,
    TriggerCancelled,
    TriggerPlaced,
    TriggerUpdated,
)
from .ledger import LogLine, account_log

ORDER_KINDS = (
    kinds.ORDER_PLACED,
    kinds.ORDER_UPDATED,
    kinds.ORDER_CANCELLED,
    kinds.ORDER_REJECTED,
    kinds.ORDER_EDIT_REJECTED,
)
TRIGGER_KINDS = (kinds.TRIGGER_PLACED, kinds.TRIGGER_CANCELLED, kinds.TRIGGER_UPDATED, kinds.TRIGGER_ACTIVATED)
PUBLIC_ORDER_KINDS = (kinds.ORDER_PLACED, kinds.ORDER_UPDATED, kinds.ORDER_CANCELLED)
#: Order events that open an order, and those that close it (the ``opened`` / ``closed`` filters).
OPENING = frozenset({kinds.ORDER_PLACED, kinds.TRIGGER_PLACED})
CLOSING = frozenset({kinds.ORDER_CANCELLED, kinds.ORDER_REJECTED, kinds.TRIGGER_CANCELLED, kinds.TRIGGER_ACTIVATED})


# -- orders and triggers ----------------------------------------------------------------------


def entry_symbol(entry: Entry) -> str:
    """Return the symbol an order or trigger entry is about."""
    event = entry.event
    if isinstance(event, (OrderUpdated, TriggerUpdated)):
        return event.new.symbol
    if isinstance(event, OrderEditRejected):
        return event.old.symbol
    if isinstance(event, (OrderPlaced, OrderCancelled, OrderRejected)):
        return event.order.symbol
    if isinstance(event, (TriggerPlaced, TriggerCancelled, TriggerActivated)):
        return event.trigger.symbol
    return ""


def order_entries(
    journal: Journal, entry_kinds: tuple[str, ...], symbol: str | None, opened: bool, closed: bool
) -> list[Entry]:
    """Return the order or trigger entries of one market (``None``: all), without those that open or close."""
    return [
        entry
        for entry in journal.entries(*entry_kinds)
        if not (entry.kind in OPENING and not opened)
        and not (entry.kind in CLOSING and not closed)
        and (symbol is None or entry_symbol(entry) == symbol)
    ]


def public_order_entries(journal: Journal, symbol: str) -> list[Entry]:
    """Return the order entries of one market its public history shows."""
    return [entry for entry in journal.entries(*PUBLIC_ORDER_KINDS) if entry_symbol(entry) == symbol]


# -- positions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionUpdate:
    """A position entry of the journal read: its event, why it changed, and the fill that changed it."""

    entry: Entry
    event: PositionUpdated
    reason: str
    fill: Fill | None

    @classmethod
    def of(cls, entry: Entry, fills: Mapping[str, Fill]) -> PositionUpdate:
        """Read a position entry; ``fills`` are the account's fills the journal holds, by uid."""
        event = entry.event
        assert isinstance(event, PositionUpdated)
        execution_id = event.execution_id
        fill = fills.get(execution_id) if execution_id is not None else None
        return cls(entry, event, update_reason(event.update_reason), fill)

    @property
    def symbol(self) -> str:
        """The market of the position."""
        return self.event.symbol

    @property
    def old(self) -> Decimal:
        """The signed position size before."""
        return self.event.old_position

    @property
    def new(self) -> Decimal:
        """The signed position size after."""
        return self.event.new_position

    @property
    def change(self) -> str:
        """How the position changed: open, close, increase, decrease, reverse or noChange."""
        return position_change(self.old, self.new)

    def wanted(self, symbol: str | None, changes: Collection[str], reasons: Collection[str]) -> bool:
        """Whether the update is of the market (``None``: any) and passes the change and reason filters (any)."""
        if symbol is not None and self.symbol != symbol:
            return False
        if changes and self.change not in changes:
            return False
        return not reasons or self.reason in reasons


def position_updates(
    journal: Journal, symbol: str | None, changes: Collection[str], reasons: Collection[str]
) -> list[PositionUpdate]:
    """Return the position updates of one market (``None``: all) that pass the change and reason filters."""
    entries = journal.entries(kinds.POSITION, kinds.EXECUTION)  # over the time both cover
    fills = {f.uid: f for f in (fill_of(entry) for entry in entries if entry.kind == kinds.EXECUTION)}
    updates = (PositionUpdate.of(entry, fills) for entry in entries if entry.kind == kinds.POSITION)
    return [update for update in updates if update.wanted(symbol, changes, reasons)]


def position_change(old: Decimal, new: Decimal) -> str:
    """Return how a position changed: open, close, increase, decrease, reverse or noChange."""
    if old == new:
        return "noChange"
    if old == 0:
        return "open"
    if new == 0:
        return "close"
    if (old > 0) != (new > 0):
        return "reverse"
    return "increase" if abs(new) > abs(old) else "decrease"


def update_reason(recorded: str) -> str:
    """Return a position update's reason as the history API names it: trade, fundingRealisation or settlement."""
    reason = recorded.lower()
    if "fund" in reason:
        return "fundingRealisation"
    if "settle" in reason:
        return "settlement"
    return "trade"


# -- the account log --------------------------------------------------------------------------


def log_lines(journal: Journal, wallets: Wallets) -> list[LogLine]:
    """Return the account-log lines still known, oldest first: the journal's ledger entries and the wallets' moves."""
    entries = journal.entries(kinds.LEDGER)
    return account_log(entries, wallets.ledger, journal.forgotten(kinds.LEDGER), wallets.forgotten)


def chosen_log_lines(
    lines: list[LogLine],
    since: int | None = None,
    before: int | None = None,
    first: int | None = None,
    last: int | None = None,
    info: str | None = None,
) -> list[LogLine]:
    """Return the lines with ``since <= time < before`` (ms), ids from ``first`` to ``last``, and this ``info``."""
    return [
        line
        for line in lines
        if (since is None or line.timestamp >= since)
        and (before is None or line.timestamp < before)
        and (first is None or line.id >= first)
        and (last is None or line.id <= last)
        and (info is None or line.info == info)
    ]
