"""Contract of the history API (v3 and the v2 paths clients use), fills, and the operations Kraken no longer serves."""

from __future__ import annotations

import pytest

from pytest_krakenfutures import catalog
from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

from .conftest import Control, Send

ACCOUNT_EVENTS = ("orders", "executions", "triggers", "account-log")
MARKET_EVENTS = ("executions", "orders", "price")


def trade(send: Send, control: Control) -> None:
    """Leave something in every history: a cancelled order, fills, a fired stop and a position change."""
    assert send(orderType="mkt", size="0.3", limitPrice="")["status"] == "placed"
    assert send(orderType="stp", side="sell", size="0.1", stopPrice="90000", limitPrice="")["status"] == "placed"
    assert send(orderType="lmt", size="0.1", limitPrice="1000", cliOrdId="resting")["status"] == "placed"
    control("markets/PF_XBTUSD", markPrice="89000")


@pytest.mark.parametrize("version", ["v3", "v2"])
def test_account_history(
    version: str, send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    trade(send, control)
    for name in ACCOUNT_EVENTS:
        body = kf_contract(kf_session.get(f"/api/history/{version}/{name}"))
        listed = body.get("elements", body.get("logs"))
        assert listed, f"{version}/{name} is empty"
    csv = kf_session.get(f"/api/history/{version}/accountlogcsv")
    kf_contract(csv)
    assert csv.text.splitlines()[0].startswith("uid,dateTime")
    if version == "v3":
        positions = kf_contract(kf_session.get("/api/history/v3/positions"))["elements"]
        assert positions
    fills = kf_contract(kf_session.get("fills"))["fills"]
    assert {fill["fillType"] for fill in fills} == {"taker"}


@pytest.mark.parametrize("version", ["v3", "v2"])
def test_market_history(
    version: str, send: Send, control: Control, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    trade(send, control)
    for name in MARKET_EVENTS:
        body = kf_contract(kf_session.get(f"/api/history/{version}/market/PF_XBTUSD/{name}"))
        assert body["elements"], f"{version}/market/PF_XBTUSD/{name} is empty"


NOT_SERVED = [
    ("getMaxOrderSize", "GET", "initialmargin/maxordersize?orderType=lmt&symbol=PF_XBTUSD&limitPrice=90000"),
    ("getPortfolioMarginingParameters", "GET", "portfolio-margining/parameters"),
    ("simulatePortfolio", "POST", "portfolio-margining/simulate"),
    ("getAllOpenRfqs", "GET", "rfqs"),
    ("getSingleOpenRfq", "GET", "rfqs/00000000-0000-4000-8000-000000000000"),
    ("getOpenRfqOffers", "GET", "rfqs/open-offers"),
    ("placeRfqOffer", "POST", "rfqs/00000000-0000-4000-8000-000000000000/place-offer"),
    ("replaceRfqOffer", "PUT", "rfqs/00000000-0000-4000-8000-000000000000/replace-offer"),
    ("cancelRfqOffer", "DELETE", "rfqs/00000000-0000-4000-8000-000000000000/cancel-offer"),
]


@pytest.mark.parametrize(("endpoint_id", "method", "path"), NOT_SERVED, ids=[row[0] for row in NOT_SERVED])
def test_removed_and_demo_only_operations_answer_not_found(
    endpoint_id: str, method: str, path: str, kf_session: CassetteSession, kf_contract: ContractChecker
) -> None:
    assert catalog.endpoint(endpoint_id).deprecated
    response = kf_session.request(method, path)
    assert response.status_code == 404
    kf_contract(response, outcome="error:NOT_FOUND")
