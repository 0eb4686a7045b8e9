"""The account's executions as the journal recorded them: its order, the other side, what the trade was worth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..account.identity import derived_uuid, epoch_ms
from ..market.market import Contract
from ..orders import OrderSnapshot
from . import journal as kinds
from .journal import Entry, Journal
from .journal_events import Execution

#: Fill types in which the account's order was the resting side.
_MAKER_FILLS = frozenset({"maker", "assignee", "unwindcounterparty"})


@dataclass(frozen=True)
class Fill:
    """An execution of the account read from the journal: which side it was and what it moved."""

    entry: Entry
    uid: str
    symbol: str
    price: Decimal
    quantity: Decimal
    mark_price: Decimal | None
    fee: Decimal
    fee_currency: str
    fill_type: str
    position_size: Decimal | None
    own: OrderSnapshot
    other: OrderSnapshot

    @property
    def maker(self) -> bool:
        """Whether the account's order was the resting (maker) side."""
        return self.fill_type.lower() in _MAKER_FILLS

    @property
    def side(self) -> str:
        """``buy`` or ``sell``: the account's side of the trade."""
        return "sell" if self.own.side.startswith("s") else "buy"


def fill_of(entry: Entry) -> Fill:
    """Read an execution entry: the account's order, and the other side (made up, as it is not recorded)."""
    execution = entry.event
    assert isinstance(execution, Execution)
    own = execution.order
    maker_is_own = execution.fill_type.lower() in _MAKER_FILLS
    other = OrderSnapshot(
        order_id=derived_uuid("counterparty order", execution.execution_id),
        cli_ord_id=None,
        type="lmt" if not maker_is_own else "ioc",
        symbol=execution.symbol,
        side="sell" if own.side.startswith("b") else "buy",
        quantity=execution.quantity,
        filled=execution.quantity,
        limit_price=execution.price,
        reduce_only=False,
        received=entry.time,
        last_update=entry.time,
    )
    return Fill(
        entry=entry,
        uid=execution.execution_id,
        symbol=execution.symbol,
        price=execution.price,
        quantity=execution.quantity,
        mark_price=execution.mark_price,
        fee=execution.fee,
        fee_currency=execution.fee_currency,
        fill_type=execution.fill_type,
        position_size=execution.position_size,
        own=own,
        other=other,
    )


def trade_usd_value(contract: Contract | None, quantity: Decimal, price: Decimal) -> Decimal:
    """Return the USD value of a trade (inverse contracts are worth their size in USD)."""
    size = contract.contract_size if contract is not None else Decimal(1)
    if contract is not None and contract.inverse:
        return quantity * size
    return quantity * size * price


def account_fills(journal: Journal) -> list[Fill]:
    """Return the account's fills the journal still holds, oldest first."""
    return [fill_of(entry) for entry in journal.entries(kinds.EXECUTION)]


def latest_fills(journal: Journal, before: int | None, count: int) -> list[Fill]:
    """Return the account's latest ``count`` fills before ``before`` (ms; ``None``: any time), newest first."""
    entries = [entry for entry in journal.entries(kinds.EXECUTION) if before is None or epoch_ms(entry.time) < before]
    entries.sort(key=lambda entry: (entry.time, entry.seq), reverse=True)
    return [fill_of(entry) for entry in entries[:count]]
