"""Fixtures of the bundled contract suite: order entry and the simulator's control API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pytest_krakenfutures.contract import ContractChecker
from pytest_krakenfutures.recording import CassetteSession

Send = Callable[..., dict[str, Any]]
Control = Callable[..., dict[str, Any]]


def order_fields(**fields: str) -> dict[str, str]:
    """A limit buy of 0.01 PF_XBTUSD far below the market, with fields replaced ("" removes one)."""
    base = {"orderType": "lmt", "symbol": "PF_XBTUSD", "side": "buy", "size": "0.01", "limitPrice": "1000"}
    base.update(fields)
    return {key: value for key, value in base.items() if value != ""}


@pytest.fixture
def send(kf_session: CassetteSession, kf_contract: ContractChecker) -> Send:
    """Send an order (``order_fields``) and return its checked ``sendStatus``; ``outcome`` as in kf_contract."""

    def send_order(outcome: str | None = None, **fields: str) -> dict[str, Any]:
        status: dict[str, Any] = kf_contract(
            kf_session.post("sendorder", data=order_fields(**fields)), outcome=outcome
        )["sendStatus"]
        return status

    return send_order


@pytest.fixture
def batch(kf_session: CassetteSession, kf_contract: ContractChecker) -> Callable[..., list[dict[str, Any]]]:
    """Send a ``batchorder`` of instructions and return its checked ``batchStatus``."""

    def send_batch(*instructions: dict[str, Any], outcome: str | None = None) -> list[dict[str, Any]]:
        body = {"json": json.dumps({"batchOrder": list(instructions)}, separators=(",", ":"))}
        result: list[dict[str, Any]] = kf_contract(kf_session.post("batchorder", data=body), outcome=outcome)[
            "batchStatus"
        ]
        return result

    return send_batch


@pytest.fixture
def control(kf_session: CassetteSession) -> Control:
    """Call the simulator's control API: ``control("clock", advance="61")``, ``control("markets/PF_XBTUSD", ...)``."""

    def call(path: str, **fields: str) -> dict[str, Any]:
        response = kf_session.post(f"/simulator/v1/{path}", data=fields)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    return call
