"""How Kraken's JSON writes the simulator's Decimals as numbers: floats, or ints where a field is whole."""

from __future__ import annotations

from decimal import Decimal


def number(value: Decimal) -> float:
    """Return a Decimal as a JSON float (never ``-0.0``)."""
    return float(value) + 0.0


def plain(value: Decimal) -> int | float:
    """Return a Decimal as a JSON number: an int when it is whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
