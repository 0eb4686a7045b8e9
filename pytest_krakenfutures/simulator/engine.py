"""The order engine: order entry, triggers, edits, cancels, fills and funding over the exchange's state.

``OrderEngine`` is the trading half of ``Exchange``; it works on the state the exchange keeps
and is only called under the exchange's lock. Each concern lives in its own module; the limits
that decide the refusals are in ``engine_state``.
"""

from __future__ import annotations

from .accrual import Funding
from .activation import Triggers
from .cancels import Cancels
from .edits import Edits
from .engine_state import DISLOCATIONS, MARKET_STATES, Closed, MarketState
from .entry import Entry
from .fills import Fills
from .liquidation import Liquidations

__all__ = ["DISLOCATIONS", "MARKET_STATES", "Closed", "MarketState", "OrderEngine"]


class OrderEngine(Entry, Triggers, Edits, Cancels, Fills, Funding, Liquidations):
    """Order entry, triggers, edits, cancels, the dead man's switch, fills, funding and liquidation."""
