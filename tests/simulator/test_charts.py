"""The charts API: tick types, markets, resolutions, deterministic candles and market analytics."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Any

import pytest

from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator

from .conftest import CLOCK, SEED, Client
from .entries import contract, get, trade

CHARTS = "/api/charts/v1"
START = 1772445600  # CLOCK in epoch seconds


def charts(client: Client, path: str, params: dict[str, str] | None = None, status: int = 200) -> Any:
    response = get(client, CHARTS + path, params, signed=False)
    assert response.status_code == status, response.text
    return response.json()


def test_tick_types_markets_and_resolutions(client: Client) -> None:
    assert contract(charts(client, "/"), "tickTypes") == ["spot", "mark", "trade"]
    markets = contract(charts(client, "/mark"), "symbols")
    assert {"PF_XBTUSD", "PF_ETHUSD", "PI_XBTUSD", "FF_XBTUSD_261225"} == set(markets)
    resolutions = contract(charts(client, "/trade/PF_XBTUSD"), "resolutions")
    assert resolutions == ["1m", "5m", "15m", "30m", "1h", "4h", "12h", "1d", "1w"]
    response = get(client, CHARTS + "/bid", signed=False)
    assert response.status_code == 400


def test_candles_end_at_the_tickers_last_trade(client: Client) -> None:
    body = contract(charts(client, "/trade/PF_XBTUSD/1h", {"count": "3"}), "candles")
    candles = body["candles"]
    assert body["more_candles"] is True
    assert [c["time"] for c in candles] == [(START - 7200) * 1000, (START - 3600) * 1000, START * 1000]
    for candle in candles:
        assert all(isinstance(candle[key], str) for key in ("open", "high", "low", "close", "volume"))
        assert float(candle["low"]) <= min(float(candle["open"]), float(candle["close"]))
        assert float(candle["high"]) >= max(float(candle["open"]), float(candle["close"]))
    assert float(candles[1]["close"]) == client.public("tickers/PF_XBTUSD")["ticker"]["last"]
    assert float(candles[0]["volume"]) > 0


def test_mark_and_spot_candles_follow_the_mark_and_index_prices(client: Client) -> None:
    mark = charts(client, "/mark/PF_XBTUSD/1m", {"count": "1"})["candles"][0]
    spot = charts(client, "/spot/PF_XBTUSD/1m", {"count": "1"})["candles"][0]
    ticker = client.public("tickers/PF_XBTUSD")["ticker"]
    assert float(mark["close"]) == pytest.approx(ticker["markPrice"], abs=1)
    assert float(spot["close"]) == pytest.approx(ticker["indexPrice"], abs=1)
    assert mark["volume"] == spot["volume"] == "0"


def test_candles_from_a_time_run_forward_and_say_when_more_exist(client: Client) -> None:
    since = START - 10 * 86400
    body = charts(client, "/trade/PF_ETHUSD/1d", {"from": str(since), "count": "4"})
    times = [c["time"] for c in body["candles"]]
    assert times[0] >= since * 1000
    assert [b - a for a, b in itertools.pairwise(times)] == [86_400_000] * 3
    assert body["more_candles"] is True
    bounded = charts(client, "/trade/PF_ETHUSD/1d", {"from": str(since), "to": str(since + 2 * 86400)})
    assert len(bounded["candles"]) == 2
    assert bounded["more_candles"] is False
    future = charts(client, "/trade/PF_ETHUSD/1h", {"from": str(START + 86400)})
    assert future == {"candles": [], "more_candles": False}


def test_weekly_candles_start_on_mondays_and_none_before_the_market_opened(client: Client) -> None:
    weekly = charts(client, "/trade/PF_XBTUSD/1w", {"count": "3"})["candles"]
    days = {datetime.fromtimestamp(c["time"] / 1000, timezone.utc).strftime("%a %H:%M") for c in weekly}
    assert days == {"Mon 00:00"}
    first = charts(client, "/trade/PF_XBTUSD/1d", {"from": "1600000000", "count": "1"})["candles"]
    assert first[0]["time"] == 1647993600000  # 2022-03-23, the first day after the 2022-03-22 opening
    assert charts(client, "/trade/FF_XBTUSD_261225/1d")["candles"] == []  # lists from 2026-06-26 on


def test_at_most_2000_candles_come_back(client: Client) -> None:
    body = charts(client, "/mark/PI_XBTUSD/5m")
    assert len(body["candles"]) == 2000
    assert body["more_candles"] is True


def test_invalid_resolution_is_plain_text(client: Client) -> None:
    response = get(client, CHARTS + "/trade/PF_XBTUSD/2h", signed=False)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == "Invalid resolution"
    assert get(client, CHARTS + "/trade/PF_XBTUSD/1h", {"count": "-1"}, signed=False).status_code == 400


def test_an_unknown_market_has_no_candles(client: Client) -> None:
    assert charts(client, "/trade/PF_NOPEUSD/1h") == {"candles": [], "more_candles": False}


def test_the_accounts_trades_shape_the_latest_candle(simulator: Simulator, client: Client) -> None:
    trade(simulator, "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c33", "exec-9", 5, quantity=1.5, price=96500.0)
    latest = charts(client, "/trade/PF_XBTUSD/1m", {"count": "1"})["candles"][0]
    assert latest["time"] == START * 1000
    assert latest["close"] == latest["high"] == "96500"
    assert latest["volume"] == "1.5"


def test_candles_are_reproducible_for_a_clock() -> None:
    def fetch() -> list[Any]:
        with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as simulator:
            client = Client(simulator.base_url)
            return [charts(client, f"/{kind}/PF_XBTUSD/15m", {"count": "50"}) for kind in ("trade", "mark")]

    assert fetch() == fetch()


@pytest.mark.parametrize(
    "kind",
    [
        "open-interest",
        "aggressor-differential",
        "trade-volume",
        "trade-count",
        "liquidation-volume",
        "rolling-volatility",
        "long-short-ratio",
        "long-short-info",
        "cvd",
        "top-traders",
        "orderbook",
        "spreads",
        "liquidity",
        "slippage",
        "future-basis",
    ],
)
def test_every_analytics_type_has_one_value_per_bucket(client: Client, kind: str) -> None:
    params = {"since": str(START - 6 * 3600), "interval": "3600"}
    body = contract(charts(client, f"/analytics/PF_XBTUSD/{kind}", params), "marketAnalytics")
    result = body["result"]
    assert body["errors"] == []
    assert result["timestamp"] == [START - 6 * 3600 + i * 3600 for i in range(7)]
    assert result["more"] is False
    data = result["data"]
    columns = [data] if isinstance(data, list) else [c for v in data.values() for c in _columns(v)]
    assert columns
    assert all(len(column) == 7 for column in columns)


def _columns(value: Any) -> list[list[Any]]:
    if isinstance(value, list):
        return [value]
    return [column for inner in value.values() for column in _columns(inner)]


def test_analytics_refusals_list_their_errors(client: Client) -> None:
    missing = charts(client, "/analytics/PF_XBTUSD/cvd", {"interval": "60"}, 400)
    assert missing["errors"][0]["field"] == "since"
    bad = charts(client, "/analytics/PF_XBTUSD/cvd", {"since": "1", "interval": "61"}, 400)
    assert bad["errors"][0]["field"] == "interval"
    unknown = charts(client, "/analytics/PF_XBTUSD/astrology", {"since": "1", "interval": "60"}, 404)
    assert unknown["errors"][0]["severity"] == "error"
    assert charts(client, "/analytics/PF_NOPEUSD/cvd", {"since": "1", "interval": "60"}, 404)["result"] is None


def test_liquidity_pool_value_per_bucket(client: Client) -> None:
    params = {"since": "1772323200", "interval": "86400", "to": str(START)}
    body = contract(charts(client, "/analytics/liquidity-pool", params), "liquidityPoolStats")
    assert len(body["result"]["timestamp"]) == 2
    assert all(float(value) > 1_000_000 for value in body["result"]["data"]["usdValue"])
