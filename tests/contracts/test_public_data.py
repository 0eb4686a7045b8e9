"""Contract of the public endpoints beyond tickers and books: statuses, trades, funding, fees, charts."""

from __future__ import annotations

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession


def test_instrument_statuses(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    listed = kf_contract(kf_session.get("instruments/status"))["instrumentStatus"]
    assert "PF_XBTUSD" in {item["tradeable"] for item in listed}
    one = kf_contract(kf_session.get("instruments/PF_XBTUSD/status"))
    assert one["tradeable"] == "PF_XBTUSD"


def test_public_trades(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    trades = kf_contract(kf_session.get("history", params={"symbol": "PF_XBTUSD"}))["history"]
    assert len(trades) == 100
    times = [trade["time"] for trade in trades]
    assert times == sorted(times, reverse=True)


def test_funding_rates_v4(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    rates = kf_contract(kf_session.get("/derivatives/api/v4/historicalfundingrates", params={"symbol": "PF_XBTUSD"}))
    timestamps = [rate["timestamp"] for rate in rates["rates"]]
    assert timestamps == sorted(timestamps)


def test_funding_rates_on_the_documented_v3_path_are_gone(
    kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    response = kf_session.get("historical-funding-rates", params={"symbol": "PF_XBTUSD"})
    assert response.status_code == 404
    kf_contract(response, outcome="error:NOT_FOUND")


def test_fee_schedules_are_deprecated_but_answered(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    schedules = kf_contract(kf_session.get("feeschedules"))["feeSchedules"]
    assert all(schedule["tiers"] for schedule in schedules)
    kf_contract(kf_session.get("feeschedules/volumes"))


def test_chart_catalogue(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    assert set(kf_contract(kf_session.get("/api/charts/v1/"))) == {"spot", "mark", "trade"}
    assert "PF_XBTUSD" in kf_contract(kf_session.get("/api/charts/v1/trade"))
    assert "1h" in kf_contract(kf_session.get("/api/charts/v1/trade/PF_XBTUSD"))


def test_candles(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    body = kf_contract(kf_session.get("/api/charts/v1/trade/PF_XBTUSD/1h", params={"count": "24"}))
    assert len(body["candles"]) == 24
    times = [candle["time"] for candle in body["candles"]]
    assert times == sorted(times)


def test_candles_of_an_invalid_resolution(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    response = kf_session.get("/api/charts/v1/trade/PF_XBTUSD/7m")
    assert response.status_code == 400
    assert kf_contract(response, outcome="error:400") == "Invalid resolution"


def test_analytics(kf_session: CassetteSession, kf_contract: ContractChecker) -> None:
    window = {"since": "1793000000", "interval": "3600"}
    body = kf_contract(kf_session.get("/api/charts/v1/analytics/PF_XBTUSD/open-interest", params=window))
    assert body["result"]["timestamp"]
    kf_contract(kf_session.get("/api/charts/v1/analytics/liquidity-pool", params=window))
