"""Contract of the account as it moves: maker fills, wallet transfers in /accounts, hourly funding."""

from __future__ import annotations

from typing import Any

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send


def accounts(kf_session: CassetteSession, kf_contract: ContractChecker) -> dict[str, Any]:
    found: dict[str, Any] = kf_contract(kf_session.get("accounts"))["accounts"]
    return found


def test_resting_order_filled_by_the_market(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    order_id = send(size="0.1", limitPrice="95000", cliOrdId="maker")["order_id"]
    first = control("markets/PF_XBTUSD/trade", side="sell", size="0.04", price="95000")
    assert first["fills"] == [{"order_id": order_id, "price": 95000.0, "size": 0.04}]
    (listed,) = kf_contract(kf_session.get("openorders"))["openOrders"]
    assert (listed["status"], listed["filledSize"], listed["unfilledSize"]) == ("partiallyFilled", 0.04, 0.06)
    (status,) = kf_contract(kf_session.post("orders/status", data={"orderIds": order_id}))["orders"]
    assert (status["status"], status["updateReason"]) == ("ENTERED_BOOK", "PARTIAL_FILL")
    control("markets/PF_XBTUSD/trade", side="sell", size="1", price="94000")
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []
    fills = kf_contract(kf_session.get("fills"))["fills"]
    assert [(fill["fillType"], fill["size"]) for fill in fills] == [("maker", 0.06), ("maker", 0.04)]
    kf_contract(kf_session.post("cancelorder", data={"order_id": order_id}), outcome="filled")
    (position,) = kf_contract(kf_session.get("openpositions"))["openPositions"]
    assert (position["side"], position["size"], position["price"]) == ("long", 0.1, 95000)


def test_transfers_move_the_balances_accounts_shows(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    before = accounts(kf_session, kf_contract)
    assert before["cash"]["balances"]["usd"] == 0
    transfer = {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "100"}
    kf_contract(kf_session.post("transfer", data=transfer))
    after = accounts(kf_session, kf_contract)
    assert after["cash"]["balances"]["usd"] == 100
    assert after["flex"]["currencies"]["USD"]["quantity"] == before["flex"]["currencies"]["USD"]["quantity"] - 100
    assert after["flex"]["availableMargin"] == before["flex"]["availableMargin"] - 100
    kf_contract(kf_session.post("withdrawal", data={"currency": "USD", "amount": "40", "sourceWallet": "cash"}))
    assert accounts(kf_session, kf_contract)["cash"]["balances"]["usd"] == 60
    log = kf_contract(kf_session.get("/api/history/v3/account-log"))["logs"]
    assert {"transfer", "cross-exchange transfer"} <= {entry["info"] for entry in log}


def test_perpetual_positions_pay_funding_every_hour(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="1", limitPrice="")["status"] == "placed"
    before = accounts(kf_session, kf_contract)["flex"]["balanceValue"]
    control("clock", advance="7200")
    after = accounts(kf_session, kf_contract)["flex"]["balanceValue"]
    log = kf_contract(kf_session.get("/api/history/v3/account-log"))["logs"]
    funding = [entry for entry in log if entry["info"] == "funding rate change"]
    assert len(funding) == 2
    assert round(after - before, 6) == round(sum(entry["realized_funding"] for entry in funding), 6)
    updates = kf_contract(kf_session.get("/api/history/v3/positions"))["elements"]
    reasons = [element["updateReason"] for element in updates]
    assert reasons.count("fundingRealisation") == 2


def test_inverse_contracts_trade_from_their_margin_account(
    send: Send, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    before = accounts(kf_session, kf_contract)
    margin = before["fi_xbtusd"]
    assert (margin["type"], margin["currency"], margin["balances"]) == ("marginAccount", "xbt", {"xbt": 0.1})
    send("insufficientAvailableFunds", symbol="PI_XBTUSD", orderType="mkt", size="1000000", limitPrice="")
    assert send(symbol="PI_XBTUSD", orderType="mkt", size="1000", limitPrice="")["status"] == "placed"
    after = accounts(kf_session, kf_contract)
    assert 0 < after["fi_xbtusd"]["balances"]["xbt"] < 0.1
    assert after["fi_xbtusd"]["marginRequirements"]["im"] > 0
    assert after["fi_xbtusd"]["triggerEstimates"]["mm"] > 0
    assert after["flex"]["availableMargin"] == before["flex"]["availableMargin"]
    (fill,) = kf_contract(kf_session.get("fills"))["fills"]
    assert fill["symbol"] == "PI_XBTUSD"
    transfer = {"fromAccount": "fi_xbtusd", "toAccount": "cash", "unit": "xbt", "amount": "0.01"}
    kf_contract(kf_session.post("transfer", data=transfer))
    assert accounts(kf_session, kf_contract)["cash"]["balances"]["xbt"] == 0.01
    wrong = {**transfer, "unit": "usd"}
    kf_contract(kf_session.post("transfer", data=wrong), outcome="error:invalidUnit")


def test_a_position_below_maintenance_margin_is_liquidated_at_mark(
    send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert send(orderType="mkt", size="5", limitPrice="")["status"] == "placed"
    resting = send(cliOrdId="resting")["order_id"]
    control("markets/PF_XBTUSD", markPrice="95000")
    assert kf_contract(kf_session.get("openpositions"))["openPositions"] == []
    assert kf_contract(kf_session.get("openorders"))["openOrders"] == []
    fills = kf_contract(kf_session.get("fills"))["fills"]
    assert fills[0]["fillType"] == "liquidation"
    assert (fills[0]["side"], fills[0]["size"], fills[0]["price"]) == ("sell", 5, 95000)
    log = kf_contract(kf_session.get("/api/history/v3/account-log"))["logs"]
    (liquidation,) = [entry for entry in log if entry["info"] == "futures liquidation"]
    assert liquidation["liquidation_fee"] == 5 * 95000 * 0.0075
    updates = kf_contract(kf_session.get("/api/history/v3/positions"))["elements"]
    assert updates[0]["tradeType"] == "liquidation"
    (cancelled,) = kf_contract(kf_session.post("orders/status", data={"orderIds": resting}))["orders"]
    assert (cancelled["status"], cancelled["updateReason"]) == ("CANCELLED", "NOT_ENOUGH_MARGIN")
