"""Fixtures of the simulator tests: a running simulator and a small signed HTTP client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pytest_krakenfutures.auth import KrakenFuturesAuth
from pytest_krakenfutures.environments import DUMMY_API_KEY, DUMMY_API_SECRET
from pytest_krakenfutures.simulator import Simulator

V3 = "/derivatives/api/v3"
CLOCK = "2026-03-02T10:00:00Z"
SEED = 7


class Client:
    """Talks real HTTP to one simulator; private calls are signed with increasing nonces."""

    def __init__(
        self,
        base_url: str,
        api_key: str = DUMMY_API_KEY,
        api_secret: str = DUMMY_API_SECRET,
        *,
        nonces: bool = True,
    ) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        counter = itertools.count(1)
        self.auth = KrakenFuturesAuth(api_key, api_secret, nonce=(lambda: str(next(counter))) if nonces else None)

    def url(self, endpoint: str) -> str:
        return f"{self.base_url}{V3}/{endpoint}"

    def get(self, endpoint: str, params: dict[str, str] | None = None, signed: bool = False) -> requests.Response:
        return self.http.get(self.url(endpoint), params=params, auth=self.auth if signed else None, timeout=10)

    def post(self, endpoint: str, data: dict[str, str] | None = None) -> requests.Response:
        return self.http.post(self.url(endpoint), data=data, auth=self.auth, timeout=10)

    def public(self, endpoint: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.get(endpoint, params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def private(self, endpoint: str) -> dict[str, Any]:
        response = self.get(endpoint, signed=True)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def send(self, **params: str) -> dict[str, Any]:
        response = self.post("sendorder", params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def cancel(self, **params: str) -> dict[str, Any]:
        response = self.post("cancelorder", params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with Simulator("127.0.0.1", 0, DUMMY_API_KEY, DUMMY_API_SECRET, seed=SEED, clock=CLOCK) as running:
        yield running


@pytest.fixture
def client(simulator: Simulator) -> Iterator[Client]:
    api = Client(simulator.base_url)
    yield api
    api.http.close()
