"""Handlers of the account, settings, transfer and market operations that are not order entry.

Also the v4 funding rates, the auth API's key check and the stats API's market share, and the
answers of operations futures.kraken.com no longer serves (removed or demo-only): its 404 envelope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import journal as kinds
from .api_market import contract_types
from .assignment import participant
from .auth import FULL_ACCESS
from .calls import Raw
from .clock import iso_ms
from .errors import INVALID, MISSING, ArgumentInvalid, Refused, UnknownMarket
from .executions import Fill, fill_of, trade_usd_value
from .fees import fee_schedules, schedule_volumes
from .funding import funding_rates
from .identity import ACCOUNT_UID, IIBAN, KEY_CREATED_AT, decimal, derived_uuid, epoch_ms, from_ms, to_ms
from .market import number
from .notices import notifications, unwind_queue
from .replies import NOT_FOUND_CODE, Refusal, guarded, not_served
from .tape import TAPE_MS, Tape
from .wallets import Balances, amount_of, unit_of, wallet_of

if TYPE_CHECKING:
    from .calls import Call, Handler
    from .exchange import Exchange
    from .market import Contract

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
#: Share of the maker volume credited back under the market-share rebate programme.
REBATE_RATE = Decimal("0.00005")


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the account handlers by operation id."""

    def account_fills() -> list[Fill]:
        return [fill_of(entry) for entry in exchange.journal.entries(kinds.EXECUTION)]

    def contract_of(symbol: str) -> Contract | None:
        return exchange.contract(symbol)

    # -- market data -------------------------------------------------------------------------

    def fills(call: Call) -> dict[str, Any]:
        before = call.params.get("lastFillTime")
        limit = None if before is None else to_ms(before)
        if before is not None and limit is None:
            raise Refused(INVALID)
        entries = exchange.journal.entries(kinds.EXECUTION)
        chosen = [entry for entry in entries if limit is None or epoch_ms(entry.time) < limit]
        chosen.sort(key=lambda entry: (entry.time, entry.seq), reverse=True)
        return {"fills": [fill_json(fill_of(entry)) for entry in chosen[:PAGE]]}

    def trade_history(call: Call) -> dict[str, Any]:
        contract = contract_of(call.params.required("symbol"))
        before = call.params.get("lastTime")
        limit = None if before is None else to_ms(before)
        if before is not None and limit is None:
            raise Refused(INVALID)
        if contract is None:
            return {"history": []}
        now = epoch_ms(call.now)
        until = now + 1 if limit is None else min(limit, now + 1)
        tape = Tape(contract, epoch_ms(exchange.epoch))
        first_id = tape.next_trade_id + exchange.journal.forgotten(kinds.EXECUTION).count
        own = [(f, first_id + n) for n, f in enumerate(account_fills()) if f.symbol == contract.symbol]
        trades = [own_trade_json(f, trade_id) for f, trade_id in reversed(own) if epoch_ms(f.entry.time) < until]
        for age in tape.trade_ages(max(now - TAPE_MS, 0), until)[: max(0, PAGE - len(trades))]:
            trade = tape.trade(age)
            trades.append(
                {
                    "time": iso_ms(from_ms(trade.time)),
                    "trade_id": trade.trade_id,
                    "price": number(trade.price),
                    "size": number(trade.size),
                    "side": trade.side,
                    "type": "fill",
                    "uid": trade.uid,
                }
            )
        return {"history": trades[:PAGE]}

    def instruments_status(call: Call) -> dict[str, Any]:
        wanted = set(contract_types(call.params))
        contracts = [c for c in exchange.contracts.values() if not wanted or c.type in wanted]
        return {"instrumentStatus": [status_json(c, exchange.states[c.symbol].dislocation) for c in contracts]}

    def instrument_status(call: Call) -> dict[str, Any]:
        contract = contract_of(call.args["symbol"])
        if contract is None:
            raise UnknownMarket()
        return status_json(contract, exchange.states[contract.symbol].dislocation)

    def funding_v4(call: Call) -> dict[str, Any]:
        contract = contract_of(call.params.required("symbol"))
        if contract is None or not contract.perpetual:
            raise ArgumentInvalid("symbol")
        return {"rates": funding_rates(contract, Tape(contract, epoch_ms(exchange.epoch)), epoch_ms(call.now))}

    def fee_schedules_v3(call: Call) -> dict[str, Any]:
        return {"feeSchedules": fee_schedules(exchange.instruments())}

    def fee_volumes(call: Call) -> dict[str, Any]:
        return {
            "volumesByFeeSchedule": schedule_volumes(exchange.instruments(), account_fills(), contract_of, call.now)
        }

    # -- account information -----------------------------------------------------------------

    def notices(call: Call) -> dict[str, Any]:
        return {"notifications": notifications(exchange.epoch)}

    def unwind(call: Call) -> dict[str, Any]:
        return {"queue": unwind_queue(exchange.open_positions(), contract_of)}

    # -- settings ----------------------------------------------------------------------------

    def leverage(call: Call) -> dict[str, Any]:
        return {"leveragePreferences": exchange.office.settings.leverage_json()}

    def set_leverage(call: Call) -> dict[str, Any]:
        contract = contract_of(call.params.required("symbol"))
        text = call.params.get("maxLeverage")
        maximum = None if text is None else decimal(text)
        if text is not None and maximum is None:
            raise ArgumentInvalid("maxLeverage")
        headroom = Decimal(0)
        if contract is not None and maximum is not None and maximum > 0:
            headroom = exchange.leverage_headroom(contract, maximum)
        exchange.office.settings.set_leverage(contract, maximum, headroom)
        return {}

    def pnl(call: Call) -> dict[str, Any]:
        return {"preferences": exchange.office.settings.pnl_json()}

    def set_pnl(call: Call) -> dict[str, Any]:
        contract = contract_of(call.params.required("symbol"))
        currency = call.params.required("pnlPreference")
        exchange.office.settings.set_pnl_currency(contract, currency)
        return {}

    def self_trade(call: Call) -> dict[str, Any]:
        return {"strategy": exchange.office.settings.self_trade_strategy}

    def set_self_trade(call: Call) -> dict[str, Any]:
        settings = exchange.office.settings
        settings.set_self_trade_strategy(call.params.required("strategy").strip())
        return {"strategy": settings.self_trade_strategy}

    # -- subaccounts and transfers -----------------------------------------------------------

    def subaccounts(call: Call) -> dict[str, Any]:
        listed = exchange.office.wallets.subaccounts
        return {"masterAccountUid": ACCOUNT_UID, "subaccounts": [s.json() for s in listed]}

    def subaccount_of(call: Call) -> Any:
        found = exchange.office.wallets.subaccount(call.args["subaccountUid"])
        if found is None:
            raise Refusal(404, NOT_FOUND_CODE, "404 NOT_FOUND")
        return found

    def trading_enabled(call: Call) -> dict[str, Any]:
        return {"tradingEnabled": subaccount_of(call).trading_enabled}

    def set_trading_enabled(call: Call) -> dict[str, Any]:
        found = subaccount_of(call)
        if call.params.get("tradingEnabled") is None:
            raise Refused(MISSING)
        found.trading_enabled = call.params.boolean("tradingEnabled")
        return {"tradingEnabled": found.trading_enabled}

    def account_balances() -> Balances:
        """The engine account's balances, read afresh each time and moved in place."""
        return Balances(exchange.wallet_balance, exchange.account.move)

    def transfer(call: Call) -> dict[str, Any]:
        names = [call.params.required(n) for n in ("fromAccount", "toAccount", "unit", "amount")]
        source, target, unit = wallet_of(names[0]), wallet_of(names[1]), unit_of(names[2])
        amount = amount_of(decimal(names[3]))
        office = exchange.office
        read = account_balances()
        office.wallets.transfer(read, source, target, unit, amount, call.now, exchange.journal.last_seq)
        return {}

    def subaccount_transfer(call: Call) -> dict[str, Any]:
        names = ("fromUser", "toUser", "fromAccount", "toAccount", "unit", "amount")
        values = [call.params.required(n) for n in names]
        wallets = (wallet_of(values[2]), wallet_of(values[3]))
        unit, amount = unit_of(values[4]), amount_of(decimal(values[5]))
        office = exchange.office
        read = account_balances()
        after = exchange.journal.last_seq
        office.wallets.subaccount_transfer(read, (values[0], values[1]), wallets, unit, amount, call.now, after)
        return {}

    def withdrawal(call: Call) -> dict[str, Any]:
        unit = unit_of(call.params.required("currency"))
        amount = amount_of(decimal(call.params.required("amount")))
        wallet = wallet_of(call.params.get("sourceWallet") or "cash")
        office = exchange.office
        read = account_balances()
        uid = office.wallets.withdraw(read, wallet, unit, amount, call.now, exchange.journal.last_seq)
        return {"uid": uid}

    # -- assignment program ------------------------------------------------------------------

    def assignments_current(call: Call) -> dict[str, Any]:
        return {"participants": exchange.office.assignments.current_json()}

    def assignments_history(call: Call) -> dict[str, Any]:
        return {"participants": exchange.office.assignments.history_json()}

    def assignment_add(call: Call) -> dict[str, Any]:
        params = call.params
        required = ("contractType", "acceptLong", "acceptShort", "timeFrame", "enabled")
        values = {name: params.required(name) for name in required}
        contract_name = params.get("contract")
        if contract_name is not None and contract_of(contract_name) is None:
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
        return exchange.office.assignments.add(preference, call.now)

    def assignment_delete(call: Call) -> dict[str, Any]:
        text = call.params.required("id").strip()
        if not text.isdigit():
            raise Refused(INVALID)
        return exchange.office.assignments.delete(int(text), call.now)

    # -- auth and stats ----------------------------------------------------------------------

    def check_key(call: Call) -> dict[str, Any]:
        key = call.key
        assert key is not None
        general = "FULL_ACCESS" if key.access == FULL_ACCESS else "READ_ONLY"
        return {
            "apiKey": key.key,
            "accountUid": ACCOUNT_UID,
            "iiban": IIBAN,
            "createdAt": KEY_CREATED_AT,
            "permissions": {"general": general, "transfer": "FULL_ACCESS" if key.withdrawal else "NO_ACCESS"},
        }

    def market_share(call: Call) -> dict[str, Any] | Raw:
        volumes: dict[str, list[Decimal]] = {}
        for fill in account_fills():
            contract = contract_of(fill.symbol)
            if contract is None or contract.inverse:
                continue
            value = trade_usd_value(contract, fill.quantity, fill.price)
            totals = volumes.setdefault(contract.symbol, [Decimal(0), Decimal(0)])
            totals[0] += value
            totals[1] += value if fill.maker else Decimal(0)
        if not volumes:
            return Raw(b"", 204, "text/plain; charset=utf-8")
        contracts = {}
        for symbol, (volume, maker) in sorted(volumes.items()):
            contract = exchange.contracts[symbol]
            market = contract.vol24h * 30 * contract.mark_price
            contracts[symbol] = {
                "marketShare": _plain(volume / market, "0.00000001"),
                "usdRebateCredited": _plain(maker * REBATE_RATE, "0.01"),
                "volume": _plain(volume, "0.01"),
            }
        return {"contracts": contracts}

    served: dict[str, Handler] = {
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
    served.update({name: not_served for name in NOT_SERVED})
    return {name: guarded(handler) for name, handler in served.items()}


def fill_json(fill: Fill) -> dict[str, Any]:
    """Return the ``/fills`` entry of an execution of the account."""
    data: dict[str, Any] = {
        "fill_id": fill.uid,
        "symbol": fill.symbol,
        "side": fill.side,
        "order_id": fill.own.uid,
        "size": number(fill.quantity),
        "price": number(fill.price),
        "fillTime": iso_ms(fill.entry.time),
        "fillType": fill.fill_type,
    }
    if fill.own.client_id is not None:
        data["cliOrdId"] = fill.own.client_id
    return data


def own_trade_json(fill: Fill, trade_id: int) -> dict[str, Any]:
    """Return the public ``/history`` entry of a trade the account took part in."""
    taker = fill.other if fill.maker else fill.own
    return {
        "time": iso_ms(fill.entry.time),
        "trade_id": trade_id,
        "price": number(fill.price),
        "size": number(fill.quantity),
        "side": "sell" if taker.side.startswith("s") else "buy",
        "type": "fill",
        "uid": derived_uuid("public trade", fill.uid),
    }


def status_json(contract: Contract, dislocation: str | None = None) -> dict[str, Any]:
    """Return the InstrumentStatus of a contract (dislocated only when the control API says so)."""
    return {
        "tradeable": contract.symbol,
        "experiencingDislocation": dislocation is not None,
        "priceDislocationDirection": dislocation,
        "experiencingExtremeVolatility": False,
        "extremeVolatilityInitialMarginMultiplier": 1,
    }


def _plain(value: Decimal, places: str) -> str:
    return format(value.quantize(Decimal(places)), "f")
