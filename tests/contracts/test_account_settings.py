"""Contract of the account settings, subaccounts, transfers, assignment program and key check."""

from __future__ import annotations

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession


def test_leverage_preferences(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert kf_contract(kf_session.get("leveragepreferences"))["leveragePreferences"] == []
    kf_contract(kf_session.put("leveragepreferences", params={"symbol": "PF_XBTUSD", "maxLeverage": "10"}))
    listed = kf_contract(kf_session.get("leveragepreferences"))["leveragePreferences"]
    assert [(item["symbol"], item["maxLeverage"]) for item in listed] == [("PF_XBTUSD", 10)]
    kf_contract(kf_session.put("leveragepreferences", params={"symbol": "PF_XBTUSD"}))
    assert kf_contract(kf_session.get("leveragepreferences"))["leveragePreferences"] == []


def test_leverage_of_an_inverse_contract_is_refused(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.put("leveragepreferences", params={"symbol": "PI_XBTUSD", "maxLeverage": "5"})
    assert response.status_code == 400
    kf_contract(response, outcome="error:88")


def test_pnl_currency_preference(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    kf_contract(kf_session.put("pnlpreferences", params={"symbol": "PF_ETHUSD", "pnlPreference": "USD"}))
    preferences = kf_contract(kf_session.get("pnlpreferences"))["preferences"]
    assert [(item["symbol"], item["pnlCurrency"]) for item in preferences] == [("PF_ETHUSD", "USD")]


def test_self_trade_strategy(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert kf_contract(kf_session.get("self-trade-strategy"))["strategy"] == "REJECT_TAKER"
    changed = kf_contract(kf_session.put("self-trade-strategy", params={"strategy": "CANCEL_MAKER_SELF"}))
    assert changed["strategy"] == "CANCEL_MAKER_SELF"


def test_subaccounts_and_their_trading_switch(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("subaccounts"))
    uid = body["subaccounts"][0]["accountUid"]
    assert kf_contract(kf_session.get(f"subaccount/{uid}/trading-enabled"))["tradingEnabled"] is True
    path = f"subaccount/{uid}/trading-enabled"
    assert kf_contract(kf_session.put(path, params={"tradingEnabled": "false"}))["tradingEnabled"] is False


def test_unknown_subaccount_is_not_found(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.get("subaccount/00000000-0000-4000-8000-000000000000/trading-enabled")
    assert response.status_code == 404
    kf_contract(response, outcome="error:NOT_FOUND")


def test_transfer_between_own_wallets(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    transfer = {"fromAccount": "flex", "toAccount": "cash", "unit": "usd", "amount": "100"}
    kf_contract(kf_session.post("transfer", data=transfer))
    kf_contract(kf_session.post("transfer", data={**transfer, "amount": "0"}), outcome="error:invalidAmount")
    back = {"fromAccount": "cash", "toAccount": "flex", "unit": "usd", "amount": "500"}
    kf_contract(kf_session.post("transfer", data=back), outcome="error:insufficientFunds")


def test_transfer_to_a_subaccount(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    listing = kf_contract(kf_session.get("subaccounts"))
    transfer = {
        "fromUser": listing["masterAccountUid"],
        "toUser": listing["subaccounts"][0]["accountUid"],
        "fromAccount": "flex",
        "toAccount": "flex",
        "unit": "usd",
        "amount": "250",
    }
    kf_contract(kf_session.post("transfer/subaccount", data=transfer))
    after = kf_contract(kf_session.get("subaccounts"))["subaccounts"][0]
    assert after["flexAccount"]["balanceValue"] > listing["subaccounts"][0]["flexAccount"]["balanceValue"]


def test_withdrawal_to_the_spot_wallet(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.post("withdrawal", data={"currency": "USD", "amount": "40", "sourceWallet": "flex"}))
    assert body["uid"]


def test_assignment_program(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    preference = {
        "contractType": "flex",
        "contract": "PF_XBTUSD",
        "maxSize": "2",
        "acceptLong": "true",
        "acceptShort": "false",
        "timeFrame": "weekdays",
        "enabled": "true",
    }
    added = kf_contract(kf_session.post("assignmentprogram/add", data=preference))
    current = kf_contract(kf_session.get("assignmentprogram/current"))["participants"]
    assert [item["id"] for item in current] == [added["id"]]
    kf_contract(kf_session.post("assignmentprogram/delete", data={"id": str(added["id"])}))
    history = kf_contract(kf_session.get("assignmentprogram/history"))["participants"]
    assert [item["deleted"] for item in history] == [False, True]


def test_notifications_and_unwind_queue(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert kf_contract(kf_session.get("notifications"))["notifications"]
    assert kf_contract(kf_session.get("unwindqueue"))["queue"] == []


def test_key_check(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("/api/auth/v1/api-keys/v3/check"))
    assert body["permissions"]["general"] == "FULL_ACCESS"


def test_market_share_before_aggregation(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.get("/api/stats/v1/rebates/self-market-share")
    assert response.status_code == 204
    assert kf_contract(response) is None
