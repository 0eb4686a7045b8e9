"""Account operations besides order entry: settings, subaccounts, transfers, fills, statuses, funding, auth."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import requests

from pytest_krakenfutures.simulator import Simulator
from pytest_krakenfutures.simulator.domain.account.identity import ACCOUNT_UID
from pytest_krakenfutures.simulator.http.authentication import READ_ONLY_ACCESS, ApiKey

from .conftest import CLOCK, SEED, Client
from .entries import contract, get, trade

READ_ONLY_KEY = "read-only-key"
READ_ONLY_SECRET = base64.b64encode(b"the read-only secret of the simulator").decode()
ORDER = "8d1f7c52-7a4e-4b0f-9c61-2f0a8e9d3b11"


def ok(response: requests.Response, operation: str) -> Any:
    assert response.status_code == 200, response.text
    return contract(response.json(), operation)


def refused(response: requests.Response, status: int, code: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["result"] == "error"
    assert body["errors"][0]["code"] == code


def error_word(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    word: str = response.json()["error"]
    return word


def put(client: Client, endpoint: str, params: dict[str, str]) -> requests.Response:
    return client.http.put(client.url(endpoint), params=params, auth=client.auth, timeout=10)


@pytest.fixture
def two_keys() -> Iterator[Simulator]:
    extra = [ApiKey(READ_ONLY_KEY, READ_ONLY_SECRET, access=READ_ONLY_ACCESS, withdrawal=False)]
    with Simulator(seed=SEED, clock=CLOCK, extra_keys=extra) as running:
        yield running


# -- settings ---------------------------------------------------------------------------------


def test_leverage_isolates_a_contract_and_its_absence_restores_cross_margin(client: Client) -> None:
    assert ok(client.get("leveragepreferences", signed=True), "getLeverageSetting")["leveragePreferences"] == []
    ok(put(client, "leveragepreferences", {"symbol": "pf_xbtusd", "maxLeverage": "10"}), "setLeverageSetting")
    listed = ok(client.get("leveragepreferences", signed=True), "getLeverageSetting")["leveragePreferences"]
    assert listed == [{"symbol": "PF_XBTUSD", "maxLeverage": 10.0}]
    ok(put(client, "leveragepreferences", {"symbol": "PF_XBTUSD"}), "setLeverageSetting")
    assert client.private("leveragepreferences")["leveragePreferences"] == []


def test_leverage_refusals_carry_kraken_codes(client: Client) -> None:
    refused(put(client, "leveragepreferences", {"symbol": "PF_NOPEUSD", "maxLeverage": "5"}), 400, 87)
    refused(put(client, "leveragepreferences", {"symbol": "PI_XBTUSD", "maxLeverage": "5"}), 400, 88)
    refused(put(client, "leveragepreferences", {"symbol": "PF_XBTUSD", "maxLeverage": "51"}), 400, 11)
    assert error_word(put(client, "leveragepreferences", {})) == "requiredArgumentMissing"


def test_pnl_currency_preference(client: Client) -> None:
    ok(put(client, "pnlpreferences", {"symbol": "PF_ETHUSD", "pnlPreference": "xbt"}), "setPnlCurrencyPreference")
    body = ok(client.get("pnlpreferences", signed=True), "getPnlCurrencyPreference")
    assert body["preferences"] == [{"symbol": "PF_ETHUSD", "pnlCurrency": "BTC"}]
    refused(put(client, "pnlpreferences", {"symbol": "PF_ETHUSD", "pnlPreference": "ZZZ"}), 400, 89)
    refused(put(client, "pnlpreferences", {"symbol": "PF_ETHUSD", "pnlPreference": "XRP"}), 400, 90)
    refused(put(client, "pnlpreferences", {"symbol": "PI_XBTUSD", "pnlPreference": "USD"}), 400, 88)


def test_self_trade_strategy(client: Client) -> None:
    assert ok(client.get("self-trade-strategy", signed=True), "getSelfTradeStrategy")["strategy"] == "REJECT_TAKER"
    changed = ok(put(client, "self-trade-strategy", {"strategy": "CANCEL_MAKER_ANY"}), "setSelfTradeStrategy")
    assert changed["strategy"] == "CANCEL_MAKER_ANY"
    assert client.private("self-trade-strategy")["strategy"] == "CANCEL_MAKER_ANY"
    refused(put(client, "self-trade-strategy", {"strategy": "ALLOW"}), 400, 11)


def test_a_read_only_key_reads_settings_but_may_not_change_them(two_keys: Simulator) -> None:
    reader = Client(two_keys.base_url, READ_ONLY_KEY, READ_ONLY_SECRET)
    assert reader.private("self-trade-strategy")["strategy"] == "REJECT_TAKER"
    assert error_word(put(reader, "self-trade-strategy", {"strategy": "CANCEL_MAKER_ANY"})) == "authenticationError"
    assert error_word(reader.post("withdrawal", {"currency": "usd", "amount": "1"})) == "authenticationError"


def test_settings_are_forgotten_on_reset(simulator: Simulator, client: Client) -> None:
    put(client, "self-trade-strategy", {"strategy": "CANCEL_MAKER_SELF"})
    simulator.reset(seed=SEED, clock=CLOCK)
    assert Client(simulator.base_url, nonces=False).private("self-trade-strategy")["strategy"] == "REJECT_TAKER"


# -- subaccounts, transfers and withdrawals ----------------------------------------------------


def test_subaccounts_and_their_trading_switch(client: Client) -> None:
    body = ok(client.get("subaccounts", signed=True), "listSubaccounts")
    assert body["masterAccountUid"] == ACCOUNT_UID
    first = body["subaccounts"][0]
    assert {"accountUid", "email", "fullName", "holdingAccounts", "futuresAccounts", "flexAccount"} <= set(first)
    uid = first["accountUid"]
    assert ok(client.get(f"subaccount/{uid}/trading-enabled", signed=True), "getSubaccountTradingCapability") == {
        "result": "success",
        "serverTime": "2026-03-02T10:00:00.001Z",
        "tradingEnabled": True,
    }
    turned = ok(
        put(client, f"subaccount/{uid}/trading-enabled", {"tradingEnabled": "false"}),
        "updateSubaccountTradingCapability",
    )
    assert turned["tradingEnabled"] is False
    assert client.private(f"subaccount/{uid}/trading-enabled")["tradingEnabled"] is False
    unknown = "00000000-0000-4000-8000-000000000000"
    refused(client.get(f"subaccount/{unknown}/trading-enabled", signed=True), 404, 0)
    refused(put(client, f"subaccount/{unknown}/trading-enabled", {"tradingEnabled": "true"}), 404, 0)


def test_a_wallet_transfer_is_booked_in_the_account_log(client: Client) -> None:
    answer = client.post("transfer", {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "100"})
    assert ok(answer, "transfer")["result"] == "success"
    logs = get(client, "/api/history/v3/account-log").json()["logs"]
    assert [(line["margin_account"], line["old_balance"], line["new_balance"]) for line in logs] == [
        ("cash", 0.0, 100.0),
        ("flex", 10000.0, 9900.0),
    ]
    assert logs[0]["execution"] == logs[1]["execution"]
    back = {"fromAccount": "cash", "toAccount": "flex", "unit": "usd", "amount": "100.01"}
    assert error_word(client.post("transfer", back)) == "insufficientFunds"


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"fromAccount": "flex", "toAccount": "fi_dogeusd", "unit": "usd", "amount": "1"}, "invalidAccount"),
        ({"fromAccount": "flex", "toAccount": "fi_xbtusd", "unit": "usd", "amount": "1"}, "invalidUnit"),
        ({"fromAccount": "flex", "toAccount": "flex", "unit": "usd", "amount": "1"}, "invalidAccount"),
        ({"fromAccount": "flex", "toAccount": "cash", "unit": "doge", "amount": "1"}, "invalidUnit"),
        ({"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "0"}, "invalidAmount"),
        ({"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "ten"}, "invalidAmount"),
        ({"fromAccount": "flex", "toAccount": "cash", "unit": "usd"}, "requiredArgumentMissing"),
    ],
)
def test_transfer_refusals(client: Client, params: dict[str, str], word: str) -> None:
    response = client.post("transfer", params)
    assert error_word(response) == word
    contract(response.json(), "transfer", outcome=f"error:{word}")


def test_subaccount_transfers_move_the_subaccounts_balances(client: Client) -> None:
    sub = client.private("subaccounts")["subaccounts"][0]
    uid = sub["accountUid"]
    assert sub["flexAccount"]["currencies"] == [
        {"currency": "usd", "quantity": 1500.0, "value": 1500.0, "collateral": 1500.0, "available": 1500.0}
    ]
    params = {"fromUser": ACCOUNT_UID, "toUser": uid, "fromAccount": "flex", "toAccount": "flex", "unit": "usd"}
    ok(client.post("transfer/subaccount", {**params, "amount": "250"}), "subAccountTransfer")
    after = client.private("subaccounts")["subaccounts"][0]
    assert after["flexAccount"]["currencies"][0]["quantity"] == 1750.0
    assert after["flexAccount"]["balanceValue"] == 1750.0
    logs = get(client, "/api/history/v3/account-log").json()["logs"]
    assert [(line["info"], line["new_balance"]) for line in logs] == [("subaccount transfer", 9750.0)]
    unknown = {**params, "toUser": "someone-else", "amount": "1"}
    assert error_word(client.post("transfer/subaccount", unknown)) == "invalidAccount"
    overdrawn = {**params, "fromUser": uid, "toUser": ACCOUNT_UID, "fromAccount": "cash", "amount": "251"}
    assert error_word(client.post("transfer/subaccount", overdrawn)) == "insufficientFunds"


def test_withdrawal_to_the_spot_wallet(client: Client) -> None:
    body = ok(client.post("withdrawal", {"currency": "USD", "amount": "40", "sourceWallet": "flex"}), "withdrawal")
    logs = get(client, "/api/history/v3/account-log").json()["logs"]
    assert logs[0]["info"] == "cross-exchange transfer"
    assert logs[0]["execution"] == body["uid"]
    assert logs[0]["new_balance"] == 9960.0
    assert error_word(client.post("withdrawal", {"currency": "usd", "amount": "1"})) == "insufficientFunds"
    assert error_word(client.post("withdrawal", {"currency": "usd", "amount": "-1"})) == "invalidAmount"


# -- assignment program -----------------------------------------------------------------------


def test_assignment_program_preferences_are_added_listed_and_deleted(client: Client) -> None:
    preference = {
        "contractType": "flex",
        "contract": "PF_XBTUSD",
        "maxSize": "2",
        "acceptLong": "true",
        "acceptShort": "false",
        "timeFrame": "weekdays",
        "enabled": "true",
    }
    added = ok(client.post("assignmentprogram/add", preference), "addAssignmentProgram")
    assert added["id"] == 1
    assert added["participant"]["maxSize"] == 2.0
    assert added["participant"]["acceptShort"] is False
    current = ok(client.get("assignmentprogram/current", signed=True), "getAssignmentProgramCurrent")
    assert current["participants"] == [{"id": 1, "participant": added["participant"]}]
    deleted = ok(client.post("assignmentprogram/delete", {"id": "1"}), "deleteAssignmentProgram")
    assert deleted["id"] == 1
    assert client.private("assignmentprogram/current")["participants"] == []
    history = ok(client.get("assignmentprogram/history", signed=True), "getAssignmentProgramHistory")
    assert [entry["deleted"] for entry in history["participants"]] == [False, True]
    assert error_word(client.post("assignmentprogram/delete", {"id": "1"})) == "notFound"
    assert error_word(client.post("assignmentprogram/add", {**preference, "timeFrame": "nights"})) == "invalidArgument"


# -- fills, trades and statuses --------------------------------------------------------------


def test_fills_come_from_the_journal_newest_first(simulator: Simulator, client: Client) -> None:
    trade(simulator, ORDER, "exec-1", 10, cli_ord_id="mine")
    trade(simulator, "f2b7e0a9-1c3d-4e5f-8a6b-7c8d9e0f1a22", "exec-2", 20, side="sell", price=96000.0)
    fills = ok(client.get("fills", signed=True), "getFills")["fills"]
    assert [f["fill_id"] for f in fills] == ["exec-2", "exec-1"]
    assert fills[1] == {
        "fill_id": "exec-1",
        "symbol": "PF_XBTUSD",
        "side": "buy",
        "order_id": ORDER,
        "size": 0.1,
        "price": 95000.0,
        "fillTime": "2026-03-02T10:00:00.012Z",
        "fillType": "maker",
        "cliOrdId": "mine",
    }
    older = client.get("fills", {"lastFillTime": "2026-03-02T10:00:00.020Z"}, signed=True).json()["fills"]
    assert [f["fill_id"] for f in older] == ["exec-1"]
    assert error_word(client.get("fills", {"lastFillTime": "soon"}, signed=True)) == "invalidArgument"


def test_public_trade_history_ends_at_the_tickers_last_trade(simulator: Simulator, client: Client) -> None:
    history = ok(client.get("history", {"symbol": "PF_XBTUSD"}), "getHistory")["history"]
    assert len(history) == 100
    ticker = client.public("tickers/PF_XBTUSD")["ticker"]
    assert (history[0]["price"], history[0]["size"]) == (ticker["last"], ticker["lastSize"])
    ids = [h["trade_id"] for h in history]
    assert ids == sorted(ids, reverse=True)
    times = [datetime.fromisoformat(h["time"].replace("Z", "+00:00")) for h in history]
    assert times == sorted(times, reverse=True)
    before = client.public("history", {"symbol": "PF_XBTUSD", "lastTime": history[49]["time"]})["history"]
    assert before[0]["trade_id"] == history[50]["trade_id"]
    trade(simulator, ORDER, "exec-1", 0, price=96020.0)
    newest = client.public("history", {"symbol": "pf_xbtusd"})["history"][0]
    assert (newest["trade_id"], newest["price"], newest["side"]) == (ids[0] + 1, 96020.0, "sell")
    assert client.public("history")["error"] == "requiredArgumentMissing"


def test_instrument_statuses(client: Client) -> None:
    listed = ok(client.get("instruments/status"), "instrumentsStatus")["instrumentStatus"]
    assert {s["tradeable"] for s in listed} == {"PF_XBTUSD", "PF_ETHUSD", "PI_XBTUSD", "FF_XBTUSD_261225"}
    assert all(s["experiencingDislocation"] is False and s["priceDislocationDirection"] is None for s in listed)
    inverse = client.public("instruments/status", {"contractType": "futures_inverse"})["instrumentStatus"]
    assert [s["tradeable"] for s in inverse] == ["PI_XBTUSD"]
    one = ok(client.get("instruments/pf_ethusd/status"), "instrumentStatus")
    assert one["tradeable"] == "PF_ETHUSD"
    assert one["extremeVolatilityInitialMarginMultiplier"] == 1
    missing = client.get("instruments/PF_NOPEUSD/status")
    assert missing.status_code == 404
    assert missing.json()["error"] == "notFound"


def test_notifications_and_the_unwind_queue(client: Client) -> None:
    notices = ok(client.get("notifications", signed=True), "getNotifications")["notifications"]
    assert {n["type"] for n in notices} >= {"maintenance", "general"}
    assert all({"type", "priority", "effectiveTime", "note"} <= set(n) for n in notices)
    assert ok(client.get("unwindqueue", signed=True), "getUnwindQueue")["queue"] == []
    client.send(orderType="mkt", symbol="PF_ETHUSD", side="buy", size="1")
    queue = client.private("unwindqueue")["queue"]
    assert [entry["symbol"] for entry in queue] == ["PF_ETHUSD"]
    assert queue[0]["percentile"] in (20, 40, 80, 100)


def test_fee_schedules_are_still_answered_and_volumes_count_the_accounts_fills(
    simulator: Simulator, client: Client
) -> None:
    schedules = ok(client.get("feeschedules"), "getFeeSchedulesV3")["feeSchedules"]
    instruments = client.public("instruments")["instruments"]
    assert {s["uid"] for s in schedules} == {i["feeScheduleUid"] for i in instruments}
    assert schedules[0]["tiers"][0] == {"makerFee": 0.02, "takerFee": 0.05, "usdVolume": 0.0}
    trade(simulator, ORDER, "exec-1", 10, quantity=0.5, price=96000.0)
    volumes = ok(client.get("feeschedules/volumes", signed=True), "getUserFeeScheduleVolumesV3")
    by_uid = volumes["volumesByFeeSchedule"]
    flex = next(i["feeScheduleUid"] for i in instruments if i["symbol"] == "PF_XBTUSD")
    assert by_uid[flex] == 48000.0
    assert sorted(by_uid.values()) == [0.0, 48000.0]


# -- operations production no longer serves ----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "endpoint", "operation"),
    [
        ("GET", "initialmargin/maxordersize?symbol=PF_XBTUSD&orderType=lmt&limitPrice=1", "getMaxOrderSize"),
        ("GET", "historical-funding-rates?symbol=PF_XBTUSD", "historicalFundingRates"),
        ("GET", "portfolio-margining/parameters", "getPortfolioMarginingParameters"),
        ("POST", "portfolio-margining/simulate", "simulatePortfolio"),
        ("GET", "rfqs", "getAllOpenRfqs"),
        ("GET", "rfqs/7b6f0f3e-1c5d-4b8e-9f0a-2d3c4b5a6e7f", "getSingleOpenRfq"),
        ("GET", "rfqs/open-offers", "getOpenRfqOffers"),
        ("POST", "rfqs/7b6f0f3e-1c5d-4b8e-9f0a-2d3c4b5a6e7f/place-offer", "placeRfqOffer"),
        ("PUT", "rfqs/7b6f0f3e-1c5d-4b8e-9f0a-2d3c4b5a6e7f/replace-offer", "replaceRfqOffer"),
        ("DELETE", "rfqs/7b6f0f3e-1c5d-4b8e-9f0a-2d3c4b5a6e7f/cancel-offer", "cancelRfqOffer"),
    ],
)
def test_removed_and_demo_only_operations_answer_404(
    client: Client, method: str, endpoint: str, operation: str
) -> None:
    response = client.http.request(method, client.url(endpoint), auth=client.auth, timeout=10)
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == "NOT_FOUND"
    assert body["errors"] == [{"code": 0, "message": "404 NOT_FOUND"}]
    contract(body, operation, outcome="error:404 NOT_FOUND")


# -- funding, key check, market share ----------------------------------------------------------


def test_v4_funding_rates_are_hourly_for_a_year(client: Client) -> None:
    response = client.http.get(
        client.base_url + "/derivatives/api/v4/historicalfundingrates", params={"symbol": "PF_XBTUSD"}, timeout=10
    )
    rates = ok(response, "historicalFundingRatesV4")["rates"]
    assert len(rates) == 8760
    assert rates[-1]["timestamp"] == "2026-03-02T10:00:00Z"
    assert rates[0]["timestamp"] == "2025-03-02T11:00:00Z"
    assert all(abs(r["relativeFundingRate"]) < 1e-3 for r in rates)
    assert rates[-1]["fundingRate"] == pytest.approx(rates[-1]["relativeFundingRate"] * 96010, rel=0.01)
    inverse = client.http.get(
        client.base_url + "/derivatives/api/v4/historicalfundingrates", params={"symbol": "PI_XBTUSD"}, timeout=10
    ).json()["rates"]
    assert abs(inverse[-1]["fundingRate"]) < 1e-8


def test_v4_funding_rates_refuse_a_dated_or_unknown_market(client: Client) -> None:
    url = client.base_url + "/derivatives/api/v4/historicalfundingrates"
    for symbol in ("FF_XBTUSD_261225", "PF_NOPEUSD"):
        refused(client.http.get(url, params={"symbol": symbol}, timeout=10), 400, 11)
    assert client.http.get(url, timeout=10).json()["error"] == "requiredArgumentMissing"


def test_the_key_check_reports_the_keys_permissions(two_keys: Simulator) -> None:
    path = "/api/auth/v1/api-keys/v3/check"
    full = ok(get(Client(two_keys.base_url), path), "checkV3ApiKey")
    assert full["accountUid"] == ACCOUNT_UID
    assert full["permissions"] == {"general": "FULL_ACCESS", "transfer": "FULL_ACCESS"}
    reader = ok(get(Client(two_keys.base_url, READ_ONLY_KEY, READ_ONLY_SECRET), path), "checkV3ApiKey")
    assert reader["apiKey"] == READ_ONLY_KEY
    assert reader["permissions"] == {"general": "READ_ONLY", "transfer": "NO_ACCESS"}
    forged = get(Client(two_keys.base_url, READ_ONLY_KEY, base64.b64encode(b"not the secret").decode()), path)
    assert forged.status_code == 401 or forged.json().get("error") == "authenticationError"


def test_market_share_is_204_until_there_is_volume(simulator: Simulator, client: Client) -> None:
    path = "/api/stats/v1/rebates/self-market-share"
    empty = get(client, path)
    assert empty.status_code == 204
    assert empty.content == b""
    trade(simulator, ORDER, "exec-1", 10, quantity=2.0, price=96000.0)
    shares = ok(get(client, path), "rebates::get_self_market_share")["contracts"]
    assert list(shares) == ["PF_XBTUSD"]
    assert shares["PF_XBTUSD"]["volume"] == "192000.00"
    assert shares["PF_XBTUSD"]["usdRebateCredited"] == "9.60"
    assert 0 < float(shares["PF_XBTUSD"]["marketShare"]) < 1
