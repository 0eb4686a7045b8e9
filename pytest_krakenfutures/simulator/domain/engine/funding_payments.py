"""Funding on perpetual positions, realised at every full hour of the exchange's clock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..account.account import notional
from ..market.funding import relative_rate
from ..market.market import Contract
from ..records.journal_events import LedgerEntry, PositionUpdated
from .engine_state import FUNDING_PERIOD, FUNDING_QUANTUM, MAX_FUNDING_PERIODS, EngineState


class FundingPayments:
    """Realise hourly funding on perpetual positions, in the currency each contract settles in."""

    def __init__(self, state: EngineState) -> None:
        self.state = state

    def hours_due(self, now: datetime) -> list[datetime]:
        """Return the full hours the clock has passed since funding was last paid (at most a week of them)."""
        hours: list[datetime] = []
        hour = self.state.funded_until + FUNDING_PERIOD
        while hour <= now and len(hours) < MAX_FUNDING_PERIODS:
            hours.append(hour)
            hour += FUNDING_PERIOD
        return hours

    def pay(self, hour: datetime) -> None:
        """Pay or receive one hour's funding on every perpetual position."""
        for position in sorted(self.state.account.positions.values(), key=lambda p: p.symbol):
            contract = self.state.contracts[position.symbol]
            if contract.perpetual:
                self._realise_funding(contract, position.size, position.price, hour)
        self.state.funded_until = hour

    def skip_unpaid(self, now: datetime) -> None:
        """After a jump of more than a week, let the hours beyond it pass without funding."""
        if self.state.funded_until + FUNDING_PERIOD <= now:
            self.state.funded_until = now.replace(minute=0, second=0, microsecond=0)

    def _realise_funding(self, contract: Contract, size: Decimal, entry: Decimal, hour: datetime) -> None:
        """Pay or receive one period's funding on a position: longs pay a positive rate."""
        rate = Decimal(str(relative_rate(contract, int(hour.timestamp() * 1000))))
        value = notional(contract, abs(size), contract.mark_price)
        usd = -value * rate if size > 0 else value * rate
        asset, wallet, old_balance = self.state.account.settlement_balance(contract)
        payment = (usd / contract.mark_price if contract.inverse else usd).quantize(FUNDING_QUANTUM)
        self.state.account.move(wallet, asset, payment)
        new_balance = self.state.account.settlement_balance(contract)[2]
        absolute = rate * contract.mark_price if not contract.inverse else rate / contract.mark_price
        self.state.journal.append(
            hour,
            PositionUpdated(
                symbol=contract.symbol,
                old_position=size,
                new_position=size,
                old_average_price=entry,
                new_average_price=entry,
                realized_pnl=Decimal(0),
                fee=Decimal(0),
                update_reason="funding",
                funding_realization=payment,
            ),
        )
        self.state.journal.append(
            hour,
            LedgerEntry(
                asset=asset,
                info="funding rate change",
                margin_account=wallet,
                change=payment,
                old_balance=old_balance,
                new_balance=new_balance,
                contract=contract.symbol,
                funding_rate=absolute,
                mark_price=contract.mark_price,
                realized_funding=payment,
            ),
        )
