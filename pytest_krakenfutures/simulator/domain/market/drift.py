"""Moving prices for the realistic (real-clock) simulator: a smooth, bounded wander of each mark price.

The move is a function of the contract and the time since the exchange started, so two
simulators started at the same moment move alike; a deterministic simulator (fixed clock)
never calls it, and its prices move only through trades and the control API.
"""

from __future__ import annotations

import math
from decimal import Decimal

from ..account.identity import unit_interval
from .market import Contract

#: How often prices move (seconds of the real clock).
MOVE_INTERVAL = 1.0
#: The largest relative distance from the anchor price, and the periods (seconds) of the waves.
AMPLITUDE = 0.004
MARK_QUANTUM = Decimal("0.01")
_WAVES = ((1800.0, 0.5), (420.0, 0.3), (97.0, 0.15), (23.0, 0.05))


def drift(contract: Contract, anchor: Decimal, elapsed: float) -> Decimal:
    """Return the mark price ``elapsed`` seconds after the start, wandering around ``anchor``."""
    wave = 0.0
    for number, (period, weight) in enumerate(_WAVES):
        phase = unit_interval(contract.symbol, "drift", number) * 2 * math.pi
        wave += weight * (math.sin(2 * math.pi * elapsed / period + phase) - math.sin(phase))
    moved = (anchor * (1 + Decimal(repr(AMPLITUDE * wave / 2)))).quantize(MARK_QUANTUM)
    return max(contract.tick_size, moved)
