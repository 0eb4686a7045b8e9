"""The account's back-office state beside the exchange: settings, wallets, the assignment program.

It is kept per ``Exchange`` and starts afresh whenever the exchange is reset (a reset gives the
exchange a new clock, which is how a stale back office is recognised).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from .assignment import AssignmentProgram
from .exchange import Exchange
from .journal import Journal
from .settings import Settings
from .wallets import Wallets


@dataclass
class BackOffice:
    """Everything the account, history and charts handlers keep for one exchange generation."""

    generation: object
    settings: Settings = field(default_factory=Settings)
    wallets: Wallets = field(default_factory=Wallets)
    assignments: AssignmentProgram = field(default_factory=AssignmentProgram)
    journal: Journal = field(default_factory=Journal)


_OFFICES: weakref.WeakKeyDictionary[Exchange, BackOffice] = weakref.WeakKeyDictionary()


def back_office(exchange: Exchange) -> BackOffice:
    """Return the exchange's back office, fresh after every reset (call under ``exchange.lock``)."""
    with exchange.lock:
        office = _OFFICES.get(exchange)
        if office is None or office.generation is not exchange.clock:
            office = BackOffice(exchange.clock)
            _OFFICES[exchange] = office
        return office


def journal_of(exchange: Exchange) -> Journal:
    """Return the exchange's event journal (a back-office one while the exchange keeps none)."""
    journal = getattr(exchange, "journal", None)
    if isinstance(journal, Journal):
        return journal
    return back_office(exchange).journal


def self_trade_strategy(exchange: Exchange) -> str:
    """Return the account's self-trade strategy (for the order engine)."""
    return back_office(exchange).settings.self_trade_strategy
