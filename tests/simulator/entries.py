"""Journal entries as the order engine writes them, and contract checks of non-order answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import requests

from pytest_krakenfutures import assert_contract
from pytest_krakenfutures.catalog import endpoint
from pytest_krakenfutures.schemas import schema_names
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.domain.account.wallets import FLEX
from pytest_krakenfutures.simulator.domain.orders import OrderSnapshot
from pytest_krakenfutures.simulator.domain.records.journal_events import (
    Execution,
    LedgerEntry,
    OrderCancelled,
    OrderPlaced,
    OrderUpdated,
    PositionUpdated,
)

from .conftest import Client


def contract(body: Any, operation: str, outcome: str | None = None) -> Any:
    """Check a body against its operation's contract (the schema once it exists; the outcome always)."""
    if endpoint(operation).schema in schema_names() or outcome is not None:
        return assert_contract(body, operation, outcome=outcome)
    return body


def get(client: Client, path: str, params: dict[str, str] | None = None, signed: bool = True) -> requests.Response:
    """GET a path from the host root (``/api/history/v3/...``), signed unless told otherwise."""
    return client.http.get(client.base_url + path, params=params, auth=client.auth if signed else None, timeout=10)


def number(value: float) -> Decimal:
    """Return a float as the decimal it is written as."""
    return Decimal(str(value))


def order(
    order_id: str,
    at: datetime,
    *,
    symbol: str = "PF_XBTUSD",
    side: str = "buy",
    quantity: float = 0.1,
    filled: float = 0.0,
    price: float = 95000.0,
    kind: str = "lmt",
    cli_ord_id: str | None = None,
) -> OrderSnapshot:
    """Return an order snapshot."""
    return OrderSnapshot(
        order_id=order_id,
        cli_ord_id=cli_ord_id,
        type=kind,
        symbol=symbol,
        side=side,
        quantity=number(quantity),
        filled=number(filled),
        limit_price=number(price),
        reduce_only=False,
        received=at,
        last_update=at,
    )


def trade(
    simulator: Simulator,
    order_id: str,
    execution_id: str,
    offset_ms: int,
    *,
    symbol: str = "PF_XBTUSD",
    side: str = "buy",
    quantity: float = 0.1,
    price: float = 95000.0,
    old_position: float = 0.0,
    cli_ord_id: str | None = None,
) -> None:
    """Journal a resting order that is then filled in full: placement, execution, update, position, ledger."""
    journal = simulator.exchange.journal
    placed = simulator.exchange.epoch + timedelta(milliseconds=offset_ms)
    filled_at = placed + timedelta(milliseconds=2)
    resting = order(order_id, placed, symbol=symbol, side=side, quantity=quantity, price=price, cli_ord_id=cli_ord_id)
    done = replace(resting, filled=number(quantity), last_update=filled_at)
    signed = quantity if side == "buy" else -quantity
    after = round(old_position + signed, 8)
    fee = round(quantity * price * 0.0002, 8)
    journal.append(placed, OrderPlaced(resting, "new_user_order"))
    journal.append(
        filled_at,
        Execution(
            execution_id=execution_id,
            symbol=symbol,
            price=number(price),
            quantity=number(quantity),
            mark_price=number(96010.37),
            order=done,
            fee=number(fee),
            fee_currency="USD",
            fill_type="maker",
            position_size=number(after),
        ),
    )
    journal.append(filled_at, OrderUpdated(resting, done, "full_fill"))
    journal.append(
        filled_at,
        PositionUpdated(
            symbol=symbol,
            old_position=number(old_position),
            new_position=number(after),
            old_average_price=None if old_position == 0 else number(price),
            new_average_price=number(price),
            realized_pnl=number(0.0),
            fee=number(fee),
            update_reason="trade",
            execution_id=execution_id,
        ),
    )
    journal.append(
        filled_at,
        LedgerEntry(
            asset="usd",
            info="futures trade",
            margin_account=FLEX,
            change=number(-fee),
            old_balance=number(10000.0),
            new_balance=number(10000.0 - fee),
            contract=symbol,
            execution=execution_id,
            fee=number(fee),
            mark_price=number(96010.37),
            trade_price=number(price),
            realized_pnl=number(0.0),
        ),
    )


def cancelled(simulator: Simulator, order_id: str, offset_ms: int, symbol: str = "PF_XBTUSD") -> None:
    """Journal an order placed and then cancelled by the user."""
    journal = simulator.exchange.journal
    placed = simulator.exchange.epoch + timedelta(milliseconds=offset_ms)
    resting = order(order_id, placed, symbol=symbol, side="sell", price=99000.0)
    journal.append(placed, OrderPlaced(resting, "new_user_order"))
    journal.append(placed + timedelta(milliseconds=1), OrderCancelled(resting, "cancelled_by_user"))
