"""How Kraken's JSON writes the simulator's Decimals as numbers: floats, or ints where a field is whole."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.account.identity import decimal


def number(value: Decimal) -> float:
    """Return a Decimal as a JSON float (never ``-0.0``)."""
    return float(value) + 0.0


def plain(value: Decimal) -> int | float:
    """Return a Decimal as a JSON number: an int when it is whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def decimal_string(value: Any, default: str = "0") -> str:
    """Return a number as Kraken's history APIs write decimals: a plain string, no exponent."""
    parsed = decimal(value)
    if parsed is None:
        return default
    text = format(parsed.normalize(), "f")
    return "0" if text in ("-0", "0.0", "-0.0") else text


def float_or_none(value: Any) -> float | None:
    """Return a number as a JSON float, ``None`` when absent."""
    parsed = decimal(value)
    return None if parsed is None else float(parsed) + 0.0
