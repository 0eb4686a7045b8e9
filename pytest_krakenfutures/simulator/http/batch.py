"""``batchorder``: read the ``json`` document, check every instruction, then run them in order.

A document that cannot be read, or an instruction that is malformed, fails the whole batch
with an error envelope before anything runs; business outcomes are reported per instruction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain.clock import iso_ms
from ..domain.order_requests import EditRequest, OrderRequest
from ..errors import INVALID, MISSING, ApiError
from .params import SIDES, SUPPORTED_ORDER_TYPES, Params, edit_request, order_request
from .render_orders import order_events_json

if TYPE_CHECKING:
    from ..domain.engine.engine import OrderEngine
    from ..domain.exchange import Exchange

#: The most instructions one batch may carry.
MAX_INSTRUCTIONS = 100
#: The batch spelling of sendorder statuses that differ.
_BATCH_STATUS = {"clientOrderIdTooBig": "clientOrderIdTooLong"}


@dataclass(frozen=True)
class Instruction:
    """One checked instruction: its kind, tag, and the parsed request or early status."""

    kind: str
    tag: str | None
    send: OrderRequest | None = None
    edit: EditRequest | None = None
    status: str | None = None
    cli_ord_id: str | None = None


def read_batch(params: Params) -> list[Instruction]:
    """Read and check a batch's instructions; a malformed batch raises ``ApiError``."""
    text = params.get("json")
    if text is None:
        raise ApiError(MISSING)
    try:
        document = json.loads(text)
    except ValueError:
        raise ApiError(INVALID) from None
    items = document.get("batchOrder") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_INSTRUCTIONS:
        raise ApiError(INVALID)
    return [_instruction(item) for item in items]


def _instruction(item: Any) -> Instruction:
    """Return one checked instruction; a malformed one raises ``ApiError``."""
    if not isinstance(item, dict):
        raise ApiError(INVALID)
    fields = _params(item)
    kind = fields.get("order")
    if kind == "send":
        tag = fields.required("order_tag")
        order_type = (fields.get("orderType") or "").strip().lower()
        side = (fields.get("side") or "").strip().lower()
        if order_type and order_type not in SUPPORTED_ORDER_TYPES:
            return Instruction("send", tag, status="invalidOrderType", cli_ord_id=fields.get("cliOrdId"))
        if side and side not in SIDES:
            return Instruction("send", tag, status="invalidSide", cli_ord_id=fields.get("cliOrdId"))
        return Instruction("send", tag, send=order_request(fields))
    if kind == "edit":
        return Instruction("edit", fields.get("order_tag"), edit=edit_request(fields, "order_id"))
    if kind == "cancel":
        order_id, cli_ord_id = fields.get("order_id"), fields.get("cliOrdId")
        if order_id is None and cli_ord_id is None:
            raise ApiError(MISSING)
        return Instruction("cancel", order_id, cli_ord_id=cli_ord_id)
    raise ApiError(INVALID)


def _params(item: dict[str, Any]) -> Params:
    """Return an instruction's fields as request parameters (JSON booleans as ``true``/``false``)."""
    pairs = []
    for key, value in item.items():
        if isinstance(value, bool):
            pairs.append((str(key), "true" if value else "false"))
        elif value is not None:
            pairs.append((str(key), str(value)))
    return Params(pairs)


def run_batch(
    exchange: Exchange, instructions: list[Instruction], now: datetime, process_before: datetime | None = None
) -> list[dict[str, Any]]:
    """Run checked instructions in order and return ``batchStatus`` (none run after ``processBefore``)."""
    received = iso_ms(now)
    results: list[dict[str, Any]] = []
    with exchange.lock:
        engine = exchange.engine
        for instruction in instructions:
            if process_before is not None and now > process_before:
                late = {"status": "wouldProcessAfterSpecifiedTime", "order_tag": instruction.tag, "order_id": None}
                results.append({**late, "dateTimeReceived": received, "orderEvents": []})
            elif instruction.kind == "send":
                results.append(_send(engine, instruction, now, received))
            elif instruction.kind == "edit":
                results.append(_edit(engine, instruction, now, received))
            else:
                results.append(_cancel(engine, instruction, now))
    return results


def _send(engine: OrderEngine, instruction: Instruction, now: datetime, received: str) -> dict[str, Any]:
    """Return the batch result of a send instruction: refused when read, or as the engine answers it."""
    if instruction.send is None:
        result: dict[str, Any] = {"status": instruction.status, "order_tag": instruction.tag, "order_id": None}
        result.update({"dateTimeReceived": received, "orderEvents": []})
        return result
    sent = engine.send_order(instruction.send, now)
    status = sent.outcome.status
    result = {
        "status": _BATCH_STATUS.get(status, status),
        "order_tag": instruction.tag,
        "order_id": sent.order_id,
        "dateTimeReceived": received,
    }
    if sent.cli_ord_id is not None:
        result["cliOrdId"] = sent.cli_ord_id
    result["orderEvents"] = order_events_json(sent.outcome.events)
    return result


def _edit(engine: OrderEngine, instruction: Instruction, now: datetime, received: str) -> dict[str, Any]:
    """Return the batch result of an edit instruction."""
    assert instruction.edit is not None
    edited = engine.edit_order(instruction.edit, now)
    result: dict[str, Any] = {"status": edited.outcome.status, "order_id": edited.order_id}
    events = order_events_json(edited.outcome.events)
    result.update({"order_tag": instruction.tag, "dateTimeReceived": received, "orderEvents": events})
    return result


def _cancel(engine: OrderEngine, instruction: Instruction, now: datetime) -> dict[str, Any]:
    """Return the batch result of a cancel instruction (by order id, the instruction's tag, or client order id)."""
    cancelled = engine.cancels.cancel_order(instruction.tag, instruction.cli_ord_id, now)
    order_id = cancelled.order_id if cancelled.order_id is not None else instruction.tag
    result: dict[str, Any] = {"status": cancelled.status, "order_id": order_id}
    if instruction.cli_ord_id is not None:
        result["cliOrdId"] = instruction.cli_ord_id
    result["orderEvents"] = order_events_json(cancelled.events or [])
    return result
