"""Handlers of the account, settings, transfer and market operations that are not order entry.

Also the v4 funding rates, the auth API's key check and the stats API's market share, and the
answers of operations futures.kraken.com no longer serves (removed or demo-only): its 404 envelope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.account.assignment import participant
from ..domain.account.fees import fee_schedules, schedule_volumes
from ..domain.account.identity import decimal, epoch_ms, to_ms
from ..domain.account.market_share import market_shares
from ..domain.account.notices import notifications, unwind_queue
from ..domain.account.wallets import Subaccount, amount_of, unit_of, wallet_of
from ..domain.market.funding import funding_rates
from ..domain.market.public_trades import recent_trades
from ..domain.records import journal as kinds
from ..domain.records.executions import latest_fills
from ..errors import INVALID, MISSING, ArgumentInvalid, Refusal, Refused, UnknownMarket
from .api_market import contract_types
from .calls import Raw, bind
from .render_account import (
    assignment_change_json,
    assignment_json,
    fee_schedule_json,
    fill_json,
    key_json,
    leverage_json,
    market_shares_json,
    notice_json,
    pnl_json,
    public_trade_json,
    queue_json,
    schedule_volumes_json,
    status_json,
)
from .render_market import funding_rate_json
from .render_statement import subaccounts_json
from .replies import ErrorCode, guarded, not_served

if TYPE_CHECKING:
    from ..domain.exchange import Exchange
    from .calls import Call, Handler, Route

#: Fills and public trades per answer.
PAGE = 100
#: Operations futures.kraken.com does not serve: removed, or served only by the retired demo.
NOT_SERVED = (
    "getMaxOrderSize",
    "historicalFundingRates",
    "getPortfolioMarginingParameters",
    "simulatePortfolio",
    "getAllOpenRfqs",
    "getSingleOpenRfq",
    "getOpenRfqOffers",
    "placeRfqOffer",
    "replaceRfqOffer",
    "cancelRfqOffer",
)


# -- market data ------------------------------------------------------------------------------


def fills(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/fills``: the account's latest fills, before ``lastFillTime`` when given."""
    before = time_param(call, "lastFillTime")
    return {"fills": [fill_json(fill) for fill in latest_fills(exchange.journal, before, PAGE)]}


def trade_history(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/history``: a market's latest public trades, before ``lastTime`` when given."""
    contract = exchange.contract(call.params.required("symbol"))
    before = time_param(call, "lastTime")
    if contract is None:
        return {"history": []}
    forgotten = exchange.journal.forgotten(kinds.EXECUTION).count
    trades = recent_trades(exchange.tape(contract), exchange.fills(), forgotten, epoch_ms(call.now), before, PAGE)
    return {"history": [public_trade_json(trade) for trade in trades]}


def instruments_status(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/instruments/status``: every market's dislocation state, optionally of some contract types."""
    wanted = set(contract_types(call.params))
    contracts = [c for c in exchange.contracts.values() if not wanted or c.type in wanted]
    return {"instrumentStatus": [status_json(c, exchange.states[c.symbol].dislocation) for c in contracts]}


def instrument_status(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer ``/instruments/{symbol}/status``: one market's dislocation state."""
    contract = exchange.contract(call.args["symbol"])
    if contract is None:
        raise UnknownMarket()
    return status_json(contract, exchange.states[contract.symbol].dislocation)


def funding_v4(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the v4 historical funding rates of a perpetual contract."""
    contract = exchange.contract(call.params.required("symbol"))
    if contract is None or not contract.perpetual:
        raise ArgumentInvalid("symbol")
    rates = funding_rates(contract, exchange.tape(contract), epoch_ms(call.now))
    return {"rates": [funding_rate_json(rate) for rate in rates]}


def fee_schedules_v3(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the fee schedules the contracts are charged under."""
    return {"feeSchedules": [fee_schedule_json(s) for s in fee_schedules(exchange.contracts.values())]}


def fee_volumes(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's 30-day volume per fee schedule."""
    volumes = schedule_volumes(exchange.contracts.values(), exchange.fills(), exchange.contract, call.now)
    return {"volumesByFeeSchedule": schedule_volumes_json(volumes)}


# -- account information ----------------------------------------------------------------------


def notices(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the platform's notifications."""
    return {"notifications": [notice_json(notice) for notice in notifications(exchange.epoch)]}


def unwind(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the unwind queue of the account's positions."""
    return {"queue": [queue_json(place) for place in unwind_queue(exchange.open_positions(), exchange.contract)]}


# -- settings ---------------------------------------------------------------------------------


def leverage(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the contracts margined in isolation, with their leverage."""
    return {"leveragePreferences": [leverage_json(p) for p in exchange.office.settings.leverage_preferences()]}


def set_leverage(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Isolate a contract at ``maxLeverage``, or (without it) return it to cross margin."""
    contract = exchange.contract(call.params.required("symbol"))
    text = call.params.get("maxLeverage")
    maximum = None if text is None else decimal(text)
    if text is not None and maximum is None:
        raise ArgumentInvalid("maxLeverage")
    exchange.office.set_leverage(contract, maximum)
    return {}


def pnl(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the PnL currency chosen per contract."""
    return {"preferences": [pnl_json(p) for p in exchange.office.settings.pnl_preferences()]}


def set_pnl(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Choose the currency a contract's realised PnL is paid in."""
    contract = exchange.contract(call.params.required("symbol"))
    currency = call.params.required("pnlPreference")
    exchange.office.settings.set_pnl_currency(contract, currency)
    return {}


def self_trade(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account-wide self-trade strategy."""
    return {"strategy": exchange.office.settings.self_trade_strategy}


def set_self_trade(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Choose the account-wide self-trade strategy and answer it."""
    settings = exchange.office.settings
    settings.set_self_trade_strategy(call.params.required("strategy").strip())
    return {"strategy": settings.self_trade_strategy}


# -- subaccounts and transfers ----------------------------------------------------------------


def subaccounts(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the master account and its subaccounts."""
    return subaccounts_json(exchange.office.wallets.subaccounts)


def trading_enabled(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer whether a subaccount may trade."""
    return {"tradingEnabled": subaccount_of(exchange, call).trading_enabled}


def set_trading_enabled(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Allow or forbid a subaccount to trade, and answer which."""
    found = subaccount_of(exchange, call)
    if call.params.get("tradingEnabled") is None:
        raise Refused(MISSING)
    found.trading_enabled = call.params.boolean("tradingEnabled")
    return {"tradingEnabled": found.trading_enabled}


def transfer(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Move funds between two of the master account's wallets."""
    names = [call.params.required(n) for n in ("fromAccount", "toAccount", "unit", "amount")]
    wallets, unit = (wallet_of(names[0]), wallet_of(names[1])), unit_of(names[2])
    exchange.office.transfer(wallets, unit, amount_of(decimal(names[3])), call.now)
    return {}


def subaccount_transfer(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Move funds between the master account and its subaccounts."""
    names = ("fromUser", "toUser", "fromAccount", "toAccount", "unit", "amount")
    values = [call.params.required(n) for n in names]
    wallets = (wallet_of(values[2]), wallet_of(values[3]))
    unit, amount = unit_of(values[4]), amount_of(decimal(values[5]))
    exchange.office.subaccount_transfer((values[0], values[1]), wallets, unit, amount, call.now)
    return {}


def withdrawal(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Send funds to the Kraken Spot wallet and answer the withdrawal's uid."""
    unit = unit_of(call.params.required("currency"))
    amount = amount_of(decimal(call.params.required("amount")))
    wallet = wallet_of(call.params.get("sourceWallet") or "cash")
    return {"uid": exchange.office.withdraw(wallet, unit, amount, call.now)}


# -- assignment program -----------------------------------------------------------------------


def assignments_current(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the account's current assignment-program preferences."""
    return {"participants": [assignment_json(a) for a in exchange.office.assignments.preferences()]}


def assignments_history(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer every assignment-program preference the account added or deleted."""
    return {"participants": [assignment_change_json(c) for c in exchange.office.assignments.changes()]}


def assignment_add(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Add an assignment-program preference."""
    params = call.params
    required = ("contractType", "acceptLong", "acceptShort", "timeFrame", "enabled")
    values = {name: params.required(name) for name in required}
    contract_name = params.get("contract")
    if contract_name is not None and exchange.contract(contract_name) is None:
        raise Refused(INVALID)
    preference = participant(
        values["contractType"],
        None if contract_name is None else contract_name.strip().upper(),
        params.decimal("maxSize"),
        params.decimal("maxPosition"),
        (params.boolean("acceptLong"), params.boolean("acceptShort")),
        values["timeFrame"],
        params.boolean("enabled"),
    )
    return assignment_json(exchange.office.assignments.add(preference, call.now))


def assignment_delete(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Delete an assignment-program preference by id."""
    text = call.params.required("id").strip()
    if not text.isdigit():
        raise Refused(INVALID)
    return assignment_json(exchange.office.assignments.delete(int(text), call.now))


# -- auth and stats ---------------------------------------------------------------------------


def check_key(exchange: Exchange, call: Call) -> dict[str, Any]:
    """Answer the auth API's check of the caller's key."""
    key = call.key
    assert key is not None
    return key_json(key)


def market_share(exchange: Exchange, call: Call) -> dict[str, Any] | Raw:
    """Answer the account's share of each market's volume and its rebates (204 before any trade)."""
    shares = market_shares(exchange.fills(), exchange.contract)
    if not shares:
        return Raw(b"", 204, "text/plain; charset=utf-8")
    return {"contracts": market_shares_json(shares)}


#: The account handlers by operation id (besides ``NOT_SERVED``).
ROUTES: dict[str, Route] = {
    "getFills": fills,
    "getHistory": trade_history,
    "instrumentsStatus": instruments_status,
    "instrumentStatus": instrument_status,
    "historicalFundingRatesV4": funding_v4,
    "getFeeSchedulesV3": fee_schedules_v3,
    "getUserFeeScheduleVolumesV3": fee_volumes,
    "getNotifications": notices,
    "getUnwindQueue": unwind,
    "getLeverageSetting": leverage,
    "setLeverageSetting": set_leverage,
    "getPnlCurrencyPreference": pnl,
    "setPnlCurrencyPreference": set_pnl,
    "getSelfTradeStrategy": self_trade,
    "setSelfTradeStrategy": set_self_trade,
    "listSubaccounts": subaccounts,
    "getSubaccountTradingCapability": trading_enabled,
    "updateSubaccountTradingCapability": set_trading_enabled,
    "transfer": transfer,
    "subAccountTransfer": subaccount_transfer,
    "withdrawal": withdrawal,
    "getAssignmentProgramCurrent": assignments_current,
    "addAssignmentProgram": assignment_add,
    "deleteAssignmentProgram": assignment_delete,
    "getAssignmentProgramHistory": assignments_history,
    "checkV3ApiKey": check_key,
    "rebates::get_self_market_share": market_share,
}


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the account handlers by operation id, refusals answered with the errors-list envelope."""
    served = bind(ROUTES, exchange)
    served.update({name: not_served for name in NOT_SERVED})
    return {name: guarded(handler) for name, handler in served.items()}


# -- parameters -------------------------------------------------------------------------------


def time_param(call: Call, name: str) -> int | None:
    """Return an optional time parameter in epoch ms; a malformed one is ``invalidArgument``."""
    text = call.params.get(name)
    moment = None if text is None else to_ms(text)
    if text is not None and moment is None:
        raise Refused(INVALID)
    return moment


def subaccount_of(exchange: Exchange, call: Call) -> Subaccount:
    """Return the subaccount the path names; an unknown one is the ``404 NOT_FOUND`` refusal."""
    found = exchange.office.wallets.subaccount(call.args["subaccountUid"])
    if found is None:
        raise Refusal(404, ErrorCode.NOT_FOUND, "404 NOT_FOUND")
    return found
