"""Trigger sides and trailing-stop prices: pure rules of the simulator's trigger orders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pytest_krakenfutures.simulator.domain.triggers import trailing_price, trigger_side


@pytest.mark.parametrize(
    ("order_type", "side", "expected"),
    [
        ("stp", "sell", "below"),
        ("stp", "buy", "above"),
        ("take_profit", "sell", "above"),
        ("take_profit", "buy", "below"),
        ("trailing_stop", "sell", "below"),
        ("trailing_stop", "buy", "above"),
    ],
)
def test_trigger_side(order_type: str, side: str, expected: str) -> None:
    assert trigger_side(order_type, side) == expected


@pytest.mark.parametrize(
    ("side", "unit", "deviation", "expected"),
    [
        ("sell", "PERCENT", "5", "95000"),
        ("buy", "PERCENT", "5", "105000"),
        ("sell", "QUOTE_CURRENCY", "250", "99750"),
        ("sell", "PERCENT", "0.15", "99850"),
        ("buy", "PERCENT", "0.15", "100150"),
    ],
)
def test_trailing_price(side: str, unit: str, deviation: str, expected: str) -> None:
    price = trailing_price(side, Decimal(100000), Decimal(deviation), unit, Decimal(1))
    assert price == Decimal(expected)


def test_trailing_price_rounds_away_from_the_market() -> None:
    assert trailing_price("sell", Decimal("100.7"), Decimal(1), "PERCENT", Decimal("0.5")) == Decimal("99.5")
    assert trailing_price("buy", Decimal("100.7"), Decimal(1), "PERCENT", Decimal("0.5")) == Decimal("102")
