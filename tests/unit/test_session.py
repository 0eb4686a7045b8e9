"""KrakenFuturesSession against real HTTP on 127.0.0.1: URLs, timeouts, redirects, environments."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pytest_krakenfutures import ConfigurationError, KrakenFuturesSession, RedirectRefused
from pytest_krakenfutures.signing import compute_authent

SECRET = "c2Vzc2lvbi10ZXN0LXNlY3JldA=="
SEEN: list[dict[str, Any]] = []


@Request.application  # type: ignore[arg-type]
def echo_app(request: Request) -> Response:
    SEEN.append({"path": request.path, "headers": dict(request.headers), "query": request.query_string.decode()})
    if request.path.endswith("/away"):
        return Response(status=302, headers={"Location": "http://localhost:9/elsewhere"})
    if request.path.endswith("/moved"):
        return Response(status=302, headers={"Location": "/derivatives/api/v3/landing?x=1"})
    return Response('{"result":"success"}', content_type="application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = make_server("127.0.0.1", 0, echo_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _clear() -> None:
    SEEN.clear()


def test_relative_and_absolute_paths(server: str) -> None:
    session = KrakenFuturesSession(server)
    session.get("tickers")
    session.get("/api/history/v2/orders")
    assert [hit["path"] for hit in SEEN] == ["/derivatives/api/v3/tickers", "/api/history/v2/orders"]


def test_signed_request_carries_a_valid_signature(server: str) -> None:
    session = KrakenFuturesSession(server, "key", SECRET, nonce=lambda: "77")
    session.get("openorders", params={"a": "b c"})
    headers = SEEN[0]["headers"]
    assert headers["Apikey"] == "key"
    assert headers["Nonce"] == "77"
    assert headers["Authent"] == compute_authent(SECRET, "/api/v3/openorders", "a=b+c", "77")


def test_unsigned_without_credentials(server: str) -> None:
    KrakenFuturesSession(server).get("tickers")
    assert "Authent" not in SEEN[0]["headers"]


def test_redirect_to_another_host_is_refused(server: str) -> None:
    session = KrakenFuturesSession(server, "key", SECRET)
    with pytest.raises(RedirectRefused, match="never sent to another host"):
        session.get("away")
    assert len(SEEN) == 1


def test_redirect_on_the_same_host_is_signed_again(server: str) -> None:
    session = KrakenFuturesSession(server, "key", SECRET, nonce=None)
    session.get("moved")
    landing = SEEN[-1]
    assert landing["path"] == "/derivatives/api/v3/landing"
    assert landing["headers"]["Authent"] == compute_authent(SECRET, "/api/v3/landing", "x=1", "")


def test_full_url_on_another_host_is_refused(server: str) -> None:
    session = KrakenFuturesSession(server)
    with pytest.raises(ConfigurationError, match="not on this session's host"):
        session.get("http://localhost:9/derivatives/api/v3/tickers")


def test_every_call_has_a_timeout(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    captured: dict[str, Any] = {}
    original = requests.Session.send

    def spy(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        captured.update(kwargs)
        return original(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", spy)
    KrakenFuturesSession(server, timeout=3.5).get("tickers")
    assert captured["timeout"] == 3.5


def test_live_environment_and_demo_refusal() -> None:
    assert KrakenFuturesSession("live").url_for("tickers") == "https://futures.kraken.com/derivatives/api/v3/tickers"
    with pytest.raises(ConfigurationError, match="retired on 14 July 2026"):
        KrakenFuturesSession("demo")
    with pytest.raises(ConfigurationError, match="retired on 14 July 2026"):
        KrakenFuturesSession("https://demo-futures.kraken.com")


def test_repr_hides_credentials(server: str) -> None:
    text = repr(KrakenFuturesSession(server, "my-key", SECRET))
    assert "my-key" not in text
    assert SECRET not in text
    assert "signed" in text
