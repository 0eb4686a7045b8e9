"""Journal entries as the order engine writes them, and contract checks of non-order answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import requests

from pytest_krakenfutures import assert_contract
from pytest_krakenfutures.catalog import endpoint
from pytest_krakenfutures.schemas import schema_names
from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.domain.clock import iso_ms
from pytest_krakenfutures.simulator.domain.records import journal as kinds

from .conftest import Client


def contract(body: Any, operation: str, outcome: str | None = None) -> Any:
    """Check a body against its operation's contract (the schema once it exists; the outcome always)."""
    if endpoint(operation).schema in schema_names() or outcome is not None:
        return assert_contract(body, operation, outcome=outcome)
    return body


def get(client: Client, path: str, params: dict[str, str] | None = None, signed: bool = True) -> requests.Response:
    """GET a path from the host root (``/api/history/v3/...``), signed unless told otherwise."""
    return client.http.get(client.base_url + path, params=params, auth=client.auth if signed else None, timeout=10)


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
) -> dict[str, Any]:
    """Return an order snapshot in the OrderJson shape."""
    return {
        "orderId": order_id,
        "cliOrdId": cli_ord_id,
        "type": kind,
        "symbol": symbol,
        "side": side,
        "quantity": quantity,
        "filled": filled,
        "limitPrice": price,
        "reduceOnly": False,
        "timestamp": iso_ms(at),
        "lastUpdateTimestamp": iso_ms(at),
    }


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
    done = dict(resting, filled=quantity, lastUpdateTimestamp=iso_ms(filled_at))
    signed = quantity if side == "buy" else -quantity
    after = round(old_position + signed, 8)
    fee = round(quantity * price * 0.0002, 8)
    journal.append(placed, kinds.ORDER_PLACED, order=resting, reason="new_user_order")
    journal.append(
        filled_at,
        kinds.EXECUTION,
        execution_id=execution_id,
        symbol=symbol,
        price=price,
        quantity=quantity,
        mark_price=96010.37,
        maker_order=done,
        taker_order=None,
        fee=fee,
        fee_currency="USD",
        fill_type="maker",
        position_size=after,
    )
    journal.append(filled_at, kinds.ORDER_UPDATED, old_order=resting, new_order=done, reason="full_fill")
    journal.append(
        filled_at,
        kinds.POSITION,
        symbol=symbol,
        old_position=old_position,
        new_position=after,
        old_average_price=None if old_position == 0 else price,
        new_average_price=price,
        realized_pnl=0.0,
        fee=fee,
        funding_realization=None,
        update_reason="trade",
        execution_id=execution_id,
    )
    journal.append(
        filled_at,
        kinds.LEDGER,
        asset="usd",
        info="futures trade",
        change=-fee,
        new_balance=10000.0 - fee,
        old_balance=10000.0,
        contract=symbol,
        fee=fee,
        realized_pnl=0.0,
        realized_funding=None,
        trade_price=price,
        mark_price=96010.37,
        funding_rate=None,
        execution=execution_id,
    )


def cancelled(simulator: Simulator, order_id: str, offset_ms: int, symbol: str = "PF_XBTUSD") -> None:
    """Journal an order placed and then cancelled by the user."""
    journal = simulator.exchange.journal
    placed = simulator.exchange.epoch + timedelta(milliseconds=offset_ms)
    resting = order(order_id, placed, symbol=symbol, side="sell", price=99000.0)
    journal.append(placed, kinds.ORDER_PLACED, order=resting, reason="new_user_order")
    journal.append(placed + timedelta(milliseconds=1), kinds.ORDER_CANCELLED, order=resting, reason="cancelled_by_user")
