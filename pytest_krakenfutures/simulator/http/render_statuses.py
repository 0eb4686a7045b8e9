"""Kraken's JSON of the trading answers: sendStatus, editStatus, cancelStatus and the dead man's switch status."""

from __future__ import annotations

from typing import Any

from ..domain.clock import iso_ms
from ..domain.statuses import CancelAllStatus, CancelStatus, EditStatus, SendStatus, SwitchStatus
from .render_orders import order_events_json


def send_status_json(status: SendStatus) -> dict[str, Any]:
    """Return the ``sendStatus`` object."""
    data: dict[str, Any] = {"status": status.outcome.status, "order_id": status.order_id}
    data["receivedTime"] = iso_ms(status.received)
    if status.cli_ord_id is not None:
        data["cliOrdId"] = status.cli_ord_id
    data["orderEvents"] = order_events_json(status.outcome.events)
    return data


def edit_status_json(status: EditStatus) -> dict[str, Any]:
    """Return the ``editStatus`` object."""
    data: dict[str, Any] = {"status": status.outcome.status, "orderId": status.order_id}
    data.update({"receivedTime": iso_ms(status.received), "orderEvents": order_events_json(status.outcome.events)})
    if status.cli_ord_id is not None:
        data["cliOrdId"] = status.cli_ord_id
    return data


def cancel_status_json(status: CancelStatus) -> dict[str, Any]:
    """Return the ``cancelStatus`` object (an order id only when one was found, events only when cancelled)."""
    data: dict[str, Any] = {"status": status.status}
    if status.order_id is not None:
        data["order_id"] = status.order_id
    if status.cli_ord_id is not None:
        data["cliOrdId"] = status.cli_ord_id
    data["receivedTime"] = iso_ms(status.received)
    if status.events is not None:
        data["orderEvents"] = order_events_json(status.events)
    return data


def cancel_all_status_json(status: CancelAllStatus) -> dict[str, Any]:
    """Return the ``cancelStatus`` object of a ``cancelallorders``."""
    cancelled: list[dict[str, Any]] = []
    for order in status.cancelled:
        entry = {"order_id": order.order_id}
        if order.cli_ord_id is not None:
            entry["cliOrdId"] = order.cli_ord_id
        cancelled.append(entry)
    return {
        "receivedTime": iso_ms(status.received),
        "cancelOnly": "all" if status.symbol is None else status.symbol,
        "status": "cancelled" if status.cancelled else "noOrdersToCancel",
        "cancelledOrders": cancelled,
        "orderEvents": order_events_json(status.events),
    }


def switch_status_json(status: SwitchStatus) -> dict[str, Any]:
    """Return the ``status`` object of a ``cancelallordersafter``."""
    return {"currentTime": iso_ms(status.now), "triggerTime": "0" if status.due is None else iso_ms(status.due)}
