"""The order engine: its steps over the exchange's state, and the cascade that runs them.

Each step is a class given the state and the other steps it needs: ``OrderChecks`` (refusals),
``OrderEntry`` (execution at the book), ``TriggerWatch`` (trigger orders), ``Edits``, ``Cancels``,
``Fills``, ``FundingPayments`` and ``Liquidations``. The engine owns them and decides what follows
what: an order or a fill moves prices that triggers watch, a triggered order fills in turn, and a
move of prices, an hour of funding or a change of balances can liquidate the account.
It is called only under the exchange's lock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..account.account_settings import AccountSettings
from ..market.market import Contract
from ..order_events import OrderOutcome
from ..order_requests import EditRequest, OrderRequest
from ..statuses import EditStatus, SendStatus
from .cancels import Cancels
from .checks import OrderChecks
from .edits import Edits
from .engine_state import EngineState
from .fills import Fills, OutsideTrade
from .funding_payments import FundingPayments
from .liquidation import Liquidations
from .order_entry import OrderEntry
from .trigger_watch import TriggerWatch


class OrderEngine:
    """Order entry, triggers, edits, cancels, the dead man's switch, fills, funding and liquidation."""

    def __init__(self, state: EngineState, settings: AccountSettings) -> None:
        self.state = state
        self.fills = Fills(state)
        self.cancels = Cancels(state)
        self.checks = OrderChecks(state, settings)
        self.entry = OrderEntry(state, self.checks, self.fills)
        self.triggers = TriggerWatch(state)
        self.edits = Edits(state, self.checks, self.fills)
        self.funding = FundingPayments(state)
        self.liquidations = Liquidations(state, self.cancels, self.fills)

    # -- requests ----------------------------------------------------------------------------

    def send_order(self, request: OrderRequest, now: datetime) -> SendStatus:
        """Process a ``sendorder``."""
        contract = self.state.require_contract(request.symbol)
        order_id = self.state.ids.uuid()
        refusal = self.checks.refusal(contract, request, now)
        if refusal:
            outcome = OrderOutcome(refusal)
        elif request.is_trigger:
            outcome = self.triggers.place(contract, request, order_id, now)
        else:
            outcome = self.entry.execute(contract, request, order_id, now)
        self.run_triggers(now)
        return SendStatus(order_id, now, request.cli_ord_id, outcome)

    def edit_order(self, request: EditRequest, now: datetime) -> EditStatus:
        """Process an ``editorder``."""
        status = self.edits.edit_order(request, now)
        self.run_triggers(now)
        return status

    def outside_trade(self, symbol: str, side: str, size: Decimal, price: Decimal, now: datetime) -> OutsideTrade:
        """Let another participant's order fill the account's resting orders it reaches (see ``Fills``)."""
        trade = self.fills.outside_trade(symbol, side, size, price, now)
        self.run_triggers(now)
        return trade

    # -- the cascade -------------------------------------------------------------------------

    def run_triggers(self, now: datetime) -> None:
        """Activate, one at a time, each trigger the market has reached; its order meets the book at once."""
        for _ in range(len(self.state.triggers) + 1):
            due = self.triggers.next_due(now)
            if due is None:
                return
            request = self.triggers.activate(due, now)
            if request is not None:
                contract = self.state.contracts[due.symbol]
                outcome = self.entry.execute(contract, request, due.order_id, now, reason="STOP_ORDER_TRIGGERED")
                self.triggers.settle(due, outcome, now)

    def book_moved(self, contract: Contract, now: datetime) -> None:
        """Fill, as makers, the resting orders a contract's moved book now reaches."""
        self.fills.fill_reached(contract, now)

    def prices_moved(self, now: datetime) -> None:
        """Follow a move of prices: activate the triggers it reaches, then liquidate what it leaves short."""
        self.run_triggers(now)
        self.liquidations.check(now)

    def balances_changed(self, now: datetime) -> None:
        """Follow a change of balances: liquidate an account it leaves below maintenance margin."""
        self.liquidations.check(now)

    def time_passed(self, now: datetime) -> None:
        """Catch up with the clock: fire a due dead man's switch, then pay each hour of funding."""
        self.cancels.fire_dead_man(now)
        for hour in self.funding.hours_due(now):
            self.funding.pay(hour)
            self.liquidations.check(hour)
        self.funding.skip_unpaid(now)
