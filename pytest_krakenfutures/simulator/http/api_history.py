"""Handlers of the history API (v3, and v2 with the same answers): account and market history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..domain.account.identity import ACCOUNT_UID, epoch_ms
from ..domain.clock import iso_ms
from ..domain.records.account_history import (
    ORDER_KINDS,
    TRIGGER_KINDS,
    chosen_log_lines,
    log_lines,
    order_entries,
    position_updates,
    public_order_entries,
)
from ..domain.records.journal import Entry
from ..domain.records.ledger import INFO_TYPES
from ..domain.records.market_history import Span, mark_times, market_fills, tape_ages
from ..errors import ArgumentInvalid
from .calls import Raw, bind
from .paging import LazyElement, Window, integer, page
from .render_history import (
    execution_element,
    order_element,
    position_element,
    price_element,
    public_order_element,
    tape_execution_element,
    trigger_element,
)
from .render_ledger import csv_text, log_line_json
from .replies import guarded

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from ..domain.market.market import Contract
    from .calls import Call, Handler, Route

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


# -- account history --------------------------------------------------------------------------


def executions(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's executions, optionally of one market."""
    wanted = symbol_of(exchange, call)
    elements = [
        LazyElement(
            epoch_ms(f.entry.time),
            f.entry.seq,
            _bind(execution_element, f, exchange.contract(f.symbol), ACCOUNT_UID, False),
        )
        for f in exchange.fills()
        if wanted is None or f.symbol == wanted
    ]
    return account_page(call, elements)


def orders(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's order events, optionally of one market, without those that open or close."""
    return order_like(exchange, call, ORDER_KINDS, order_element)


def triggers(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's trigger events, optionally of one market, without those that open or close."""
    return order_like(exchange, call, TRIGGER_KINDS, trigger_element)


def positions(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's position updates, filtered by market, kind of change and reason."""
    wanted = symbol_of(exchange, call)
    changes = {value for name, value in POSITION_CHANGES.items() if call.params.boolean(name)}
    reasons = {value for name, value in UPDATE_REASONS.items() if call.params.boolean(name)}
    elements = [
        LazyElement(epoch_ms(update.entry.time), update.entry.seq, _bind(position_element, update, ACCOUNT_UID))
        for update in position_updates(exchange.journal, wanted, changes, reasons)
    ]
    return account_page(call, elements)


def account_log_json(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account log as JSON: lines chosen by time, id and kind, newest or oldest first."""
    params = call.params
    window = Window.of(params, ACCOUNT_LOG_COUNT, ACCOUNT_LOG_COUNT)
    first, last = integer(params, "from", None), integer(params, "to", None)
    info = params.get("info")
    if info is not None and info not in INFO_TYPES:
        raise ArgumentInvalid("info")
    details = params.boolean("conversion_details")
    lines = log_lines(exchange.journal, exchange.office.wallets)
    chosen = chosen_log_lines(lines, window.since, window.before, first, last, info)
    if window.sort == "desc":
        chosen.reverse()
    return {"accountUid": ACCOUNT_UID, "logs": [log_line_json(line, details) for line in chosen[: window.count]]}


def account_log_csv(exchange: Exchange, call: Call) -> Raw:
    """Answer the account log as CSV."""
    lines = log_lines(exchange.journal, exchange.office.wallets)
    text = csv_text(lines, call.params.boolean("conversion_details"))
    return Raw(text, content_type="text/csv; charset=utf-8")


# -- market history ---------------------------------------------------------------------------


def public_executions(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer a market's public executions: the tape's trades and the account's fills."""
    window = Window.of(call.params)
    contract, symbol = market_of(exchange, call)
    elements: list[LazyElement] = []
    if contract is not None:
        tape, span = exchange.tape(contract), span_of(window, epoch_ms(call.now))
        elements += [
            LazyElement(tape.trade_time(age), tape.trade_id(age), _bind(tape_execution_element, tape, age))
            for age in tape_ages(tape, span)
        ]
        elements += [
            LazyElement(epoch_ms(f.entry.time), f.entry.seq, _bind(execution_element, f, contract, ACCOUNT_UID, True))
            for f in market_fills(exchange.fills(), symbol)
        ]
    return public_page(elements, window)


def public_orders(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer a market's public order events."""
    window = Window.of(call.params)
    _, symbol = market_of(exchange, call)
    elements = [
        LazyElement(epoch_ms(entry.time), entry.seq, _bind(public_order_element, entry))
        for entry in public_order_entries(exchange.journal, symbol)
    ]
    return public_page(elements, window)


def public_prices(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer a market's mark-price events."""
    window = Window.of(call.params)
    contract, _ = market_of(exchange, call)
    elements: list[LazyElement] = []
    if contract is not None:
        tape, now = exchange.tape(contract), epoch_ms(call.now)
        times = mark_times(tape, span_of(window, now), now)
        elements = [LazyElement(moment, 0, _bind(price_element, tape, moment)) for moment in times]
    return public_page(elements, window)


#: The history handlers by operation id (the v2 paths answer as the v3 ones).
ROUTES: dict[str, Route] = {
    "getPositionEvents": positions,
    "getPublicExecutionEvents": public_executions,
    "getPublicExecutionEventsV2": public_executions,
    "getPublicOrderEvents": public_orders,
    "getPublicOrderEventsV2": public_orders,
    "getPublicPriceEvents": public_prices,
    "getPublicPriceEventsV2": public_prices,
    "getExecutionEvents": executions,
    "getExecutionEventsV2": executions,
    "getOrderEvents": orders,
    "getOrderEventsV2": orders,
    "getTriggerEvents": triggers,
    "getTriggerEventsV2": triggers,
    "accountLog": account_log_json,
    "accountLogV2": account_log_json,
    "accountLogCsv": account_log_csv,
    "accountLogCsvV2": account_log_csv,
}


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the history handlers by operation id, refusals answered with the errors-list envelope."""
    return {name: guarded(handler) for name, handler in bind(ROUTES, exchange).items()}


# -- parameters -------------------------------------------------------------------------------


def symbol_of(exchange: Exchange, call: Call) -> str | None:
    """Return the ``tradeable`` filter as an exchange symbol (an unknown one matches nothing)."""
    wanted = call.params.get("tradeable")
    if wanted is None:
        return None
    contract = exchange.contract(wanted)
    return contract.symbol if contract is not None else wanted.strip().upper()


def market_of(exchange: Exchange, call: Call) -> tuple[Contract | None, str]:
    """Return the path's market and its symbol (an unknown one as written, upper case)."""
    contract = exchange.contract(call.args["tradeable"])
    if contract is None:
        return None, call.args["tradeable"].strip().upper()
    return contract, contract.symbol


def order_like(
    exchange: Exchange, call: Call, entry_kinds: tuple[str, ...], build: Callable[[Entry, str], dict[str, Any]]
) -> dict[str, Any]:
    """Answer order or trigger events with the market and ``opened`` / ``closed`` filters."""
    wanted = symbol_of(exchange, call)
    opened = call.params.boolean("opened", True)
    closed = call.params.boolean("closed", True)
    elements = [
        LazyElement(epoch_ms(entry.time), entry.seq, _bind(build, entry, ACCOUNT_UID))
        for entry in order_entries(exchange.journal, entry_kinds, wanted, opened, closed)
    ]
    return account_page(call, elements)


def span_of(window: Window, now: int) -> Span:
    """Return how far into the market's past a page can reach (ms, end exclusive), from which end."""
    low = window.since if window.since is not None else 0
    high = window.before if window.before is not None else now + 1
    if window.after is not None:
        if window.sort == "desc":
            high = min(high, window.after[0] + 1)
        else:
            low = max(low, window.after[0])
    return Span(low, high, window.count, window.sort == "desc")


# -- answers ----------------------------------------------------------------------------------


def account_page(call: Call, elements: list[LazyElement]) -> dict[str, Any]:
    """Return the page of account history the call asks for."""
    built, token = page(elements, Window.of(call.params))
    body: dict[str, Any] = {
        "accountUid": ACCOUNT_UID,
        "len": len(built),
        "serverTime": iso_ms(call.now),
        "elements": built,
    }
    if token is not None:
        body["continuationToken"] = token
    return body


def public_page(elements: list[LazyElement], window: Window) -> dict[str, Any]:
    """Return the page of market history ``window`` asks for."""
    built, token = page(elements, window)
    body: dict[str, Any] = {"len": len(built), "elements": built}
    if token is not None:
        body["continuationToken"] = token
    return body


def _bind(function: Callable[..., dict[str, Any]], *args: Any) -> Callable[[], dict[str, Any]]:
    """Return a builder calling ``function(*args)``."""
    return lambda: function(*args)
