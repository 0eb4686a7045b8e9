"""Handlers of the history API (v3, and v2 with the same answers): account and market history."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import journal as kinds
from .calls import Raw
from .clock import iso_ms
from .errors import ArgumentInvalid
from .executions import fill_of, trade_usd_value
from .history import (
    CLOSING,
    OPENING,
    ORDER_KINDS,
    PUBLIC_ORDER_KINDS,
    TRIGGER_KINDS,
    execution_element,
    order_element,
    position_element,
    position_wanted,
    public_order_element,
    trigger_element,
    usd_text,
)
from .identity import ACCOUNT_UID, decimal_string, derived_uuid, epoch_ms, unit_interval
from .journal import Entry
from .ledger import INFO_TYPES, account_log, csv_text
from .order_view import OrderView
from .paging import LazyElement, Window, integer, page
from .replies import guarded
from .tape import TRADE_INTERVAL_MS, Tape

if TYPE_CHECKING:
    from .calls import Call, Handler
    from .exchange import Exchange

#: Position-change filters and update-reason filters of ``/positions``, by parameter.
POSITION_CHANGES = {
    "opened": "open",
    "closed": "close",
    "increased": "increase",
    "decreased": "decrease",
    "reversed": "reverse",
    "no_change": "noChange",
}
UPDATE_REASONS = {"trades": "trade", "funding_realization": "fundingRealisation", "settlement": "settlement"}
#: Account-log lines per answer when ``count`` is not given, and the most one answer holds.
ACCOUNT_LOG_COUNT = 500


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the history handlers by operation id."""

    def symbol_of(call: Call) -> str | None:
        """Return the ``tradeable`` filter as an exchange symbol (an unknown one matches nothing)."""
        wanted = call.params.get("tradeable")
        if wanted is None:
            return None
        contract = exchange.contract(wanted)
        return contract.symbol if contract is not None else wanted.strip().upper()

    def account_page(call: Call, events: list[LazyElement]) -> dict[str, Any]:
        elements, token = page(events, Window.of(call.params))
        body: dict[str, Any] = {
            "accountUid": ACCOUNT_UID,
            "len": len(elements),
            "serverTime": iso_ms(call.now),
            "elements": elements,
        }
        if token is not None:
            body["continuationToken"] = token
        return body

    def executions(call: Call) -> dict[str, Any]:
        wanted = symbol_of(call)
        fills = [fill_of(entry) for entry in exchange.journal.entries(kinds.EXECUTION)]
        events = [
            LazyElement(
                epoch_ms(f.entry.time),
                f.entry.seq,
                _bind(execution_element, f, exchange.contract(f.symbol), ACCOUNT_UID, False),
            )
            for f in fills
            if wanted is None or f.symbol == wanted
        ]
        return account_page(call, events)

    def order_like(call: Call, entry_kinds: tuple[str, ...], build: Callable[[Entry, str], dict[str, Any]]) -> Any:
        wanted = symbol_of(call)
        opened = call.params.boolean("opened", True)
        closed = call.params.boolean("closed", True)
        events = []
        for entry in exchange.journal.entries(*entry_kinds):
            if (entry.kind in OPENING and not opened) or (entry.kind in CLOSING and not closed):
                continue
            if wanted is not None and _entry_symbol(entry) != wanted:
                continue
            events.append(LazyElement(epoch_ms(entry.time), entry.seq, _bind(build, entry, ACCOUNT_UID)))
        return account_page(call, events)

    def orders(call: Call) -> dict[str, Any]:
        result: dict[str, Any] = order_like(call, ORDER_KINDS, order_element)
        return result

    def triggers(call: Call) -> dict[str, Any]:
        result: dict[str, Any] = order_like(call, TRIGGER_KINDS, trigger_element)
        return result

    def positions(call: Call) -> dict[str, Any]:
        wanted = symbol_of(call)
        changes = {value for name, value in POSITION_CHANGES.items() if call.params.boolean(name)}
        reasons = {value for name, value in UPDATE_REASONS.items() if call.params.boolean(name)}
        entries = exchange.journal.entries(kinds.POSITION, kinds.EXECUTION)  # over the time both cover
        fills = {f.uid: f for f in (fill_of(entry) for entry in entries if entry.kind == kinds.EXECUTION)}
        events = []
        for entry in (entry for entry in entries if entry.kind == kinds.POSITION):
            body = position_element(entry, ACCOUNT_UID, fills)
            if (wanted is None or body["tradeable"] == wanted) and position_wanted(body, changes, reasons):
                events.append(LazyElement(body["timestamp"], entry.seq, _constant(body)))
        return account_page(call, events)

    def log_lines(call: Call) -> list[Any]:
        journal, wallets = exchange.journal, exchange.office.wallets
        entries = journal.entries(kinds.LEDGER)
        return account_log(entries, wallets.ledger, journal.forgotten(kinds.LEDGER), wallets.forgotten)

    def account_log_json(call: Call) -> dict[str, Any]:
        params = call.params
        window = Window.of(params, ACCOUNT_LOG_COUNT, ACCOUNT_LOG_COUNT)
        first, last = integer(params, "from", None), integer(params, "to", None)
        info = params.get("info")
        if info is not None and info not in INFO_TYPES:
            raise ArgumentInvalid("info")
        details = params.boolean("conversion_details")
        chosen = [
            line
            for line in log_lines(call)
            if window.contains(line.timestamp)
            and (first is None or line.id >= first)
            and (last is None or line.id <= last)
            and (info is None or line.values["info"] == info)
        ]
        if window.sort == "desc":
            chosen.reverse()
        return {"accountUid": ACCOUNT_UID, "logs": [line.json(details) for line in chosen[: window.count]]}

    def account_log_csv(call: Call) -> Raw:
        text = csv_text(log_lines(call), call.params.boolean("conversion_details"))
        return Raw(text, content_type="text/csv; charset=utf-8")

    def market(call: Call) -> tuple[Tape | None, str]:
        contract = exchange.contract(call.args["tradeable"])
        if contract is None:
            return None, call.args["tradeable"].strip().upper()
        return Tape(contract, epoch_ms(exchange.epoch)), contract.symbol

    def public_page(call: Call, events: list[LazyElement], window: Window) -> dict[str, Any]:
        elements, token = page(events, window)
        body: dict[str, Any] = {"len": len(elements), "elements": elements}
        if token is not None:
            body["continuationToken"] = token
        return body

    def public_executions(call: Call) -> dict[str, Any]:
        window = Window.of(call.params)
        tape, symbol = market(call)
        events: list[LazyElement] = []
        if tape is not None:
            low, high = tape_bounds(window, epoch_ms(call.now))
            ages = tape.trade_ages(low, high)
            ages = ages[: window.count + 2] if window.sort == "desc" else ages[-(window.count + 2) :]
            for age in ages:
                time = tape.last_time - age * TRADE_INTERVAL_MS
                trade_id = tape.next_trade_id - 1 - age
                events.append(LazyElement(time, trade_id, _bind(tape_execution, tape, age)))
            for entry in exchange.journal.entries(kinds.EXECUTION):
                fill = fill_of(entry)
                if fill.symbol == symbol:
                    build = _bind(execution_element, fill, tape.contract, ACCOUNT_UID, True)
                    events.append(LazyElement(epoch_ms(entry.time), entry.seq, build))
        return public_page(call, events, window)

    def public_orders(call: Call) -> dict[str, Any]:
        window = Window.of(call.params)
        _, symbol = market(call)
        events = [
            LazyElement(epoch_ms(entry.time), entry.seq, _bind(public_order_element, entry))
            for entry in exchange.journal.entries(*PUBLIC_ORDER_KINDS)
            if _entry_symbol(entry) == symbol
        ]
        return public_page(call, events, window)

    def public_prices(call: Call) -> dict[str, Any]:
        window = Window.of(call.params)
        tape, symbol = market(call)
        events: list[LazyElement] = []
        if tape is not None:
            low, high = tape_bounds(window, epoch_ms(call.now))
            times = [moment for moment in tape.price_times(epoch_ms(call.now)) if low <= moment < high]
            times = times[-(window.count + 2) :] if window.sort == "desc" else times[: window.count + 2]
            events = [LazyElement(moment, 0, _bind(price_element, tape, symbol, moment)) for moment in times]
        return public_page(call, events, window)

    served: dict[str, Handler] = {"getPositionEvents": positions}
    for name, handler in (
        ("getPublicExecutionEvents", public_executions),
        ("getPublicOrderEvents", public_orders),
        ("getPublicPriceEvents", public_prices),
        ("getExecutionEvents", executions),
        ("getOrderEvents", orders),
        ("getTriggerEvents", triggers),
        ("accountLog", account_log_json),
        ("accountLogCsv", account_log_csv),
    ):
        served[name] = handler
        served[name + "V2"] = handler
    return {name: guarded(handler) for name, handler in served.items()}


def tape_bounds(window: Window, now: int) -> tuple[int, int]:
    """Return the time range (ms, end exclusive) a page of the synthetic past can come from."""
    low = window.since if window.since is not None else 0
    high = window.before if window.before is not None else now + 1
    if window.after is not None:
        if window.sort == "desc":
            high = min(high, window.after[0] + 1)
        else:
            low = max(low, window.after[0])
    return low, high


def tape_execution(tape: Tape, age: int) -> dict[str, Any]:
    """Return the public execution element of a trade of the synthetic tape."""
    trade = tape.trade(age)
    taker_side = trade.side
    maker_side = "sell" if taker_side == "buy" else "buy"
    size, price = decimal_string(trade.size), decimal_string(trade.price)
    maker_type = "post" if unit_interval(tape.contract.symbol, "maker type", trade.trade_id) < 0.6 else "lmt"
    placed = trade.time - 1 - int(unit_interval(tape.contract.symbol, "resting", trade.trade_id) * 60_000)

    def order(role: str, side: str, kind: str, since: int) -> dict[str, Any]:
        view = OrderView.of(
            {
                "orderId": derived_uuid("tape order", trade.trade_id, trade.time, role),
                "type": kind,
                "symbol": tape.contract.symbol,
                "side": side,
                "quantity": size,
                "limitPrice": price,
                "timestamp": since,
            },
            since,
        )
        return view.sanitized()

    taker = order("taker", taker_side, "ioc", trade.time)
    taker["limitPrice"] = format(trade.price.quantize(Decimal("1e-10")), "f")
    execution = {
        "uid": trade.uid,
        "makerOrder": order("maker", maker_side, maker_type, placed),
        "takerOrder": taker,
        "timestamp": trade.time,
        "quantity": size,
        "price": price,
        "markPrice": decimal_string(tape.mark_value(trade.time)),
        "limitFilled": True,
        "usdValue": usd_text(trade_usd_value(tape.contract, trade.size, trade.price)),
    }
    return {
        "uid": derived_uuid("execution element", trade.uid),
        "timestamp": trade.time,
        "event": {"Execution": {"execution": execution, "takerReducedQuantity": ""}},
    }


def price_element(tape: Tape, symbol: str, moment: int) -> dict[str, Any]:
    """Return a mark-price event of the market (Kraken leaves their uid empty)."""
    price = decimal_string(tape.mark_value(moment))
    return {"uid": "", "timestamp": moment, "event": {"MarkPriceChanged": {"price": price}}}


def _entry_symbol(entry: Entry) -> str:
    """Return the symbol an order or trigger entry is about."""
    for name in ("order", "new_order", "newOrder", "old_order", "oldOrder", "attempted_order"):
        value = entry.data.get(name)
        if value is not None:
            return OrderView.of(value, 0).symbol
    return ""


def _bind(function: Callable[..., dict[str, Any]], *args: Any) -> Callable[[], dict[str, Any]]:
    """Return a builder calling ``function(*args)``."""
    return lambda: function(*args)


def _constant(body: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: body
