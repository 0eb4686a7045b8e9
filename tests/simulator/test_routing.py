"""Routing: the table of exact static paths answers every request as binding werkzeug's map to it does."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from pytest_krakenfutures import catalog
from pytest_krakenfutures.simulator.http.routing import Router

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "get")
HOSTS = (None, "", "127.0.0.1:8080", "LOCALHOST", "a..b", "x" * 64 + ".com", "\u00e9x.com", "[::1]:80", "bad host")


def paths() -> list[str]:
    """Return every catalogued path (placeholders filled in), as catalogued and with a trailing or doubled slash."""
    found = []
    for item in catalog.endpoints():
        path = re.sub(r"\{[^}]+\}", "PF_XBTUSD", item.full_path)
        found += [path, path.rstrip("/") + "/", "/" + path]
    return found


def environ(method: str, path: str, host: str | None, upgrade: bool) -> dict[str, Any]:
    """Return a WSGI environ of a request as the simulator's server makes it."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "wsgi.url_scheme": "http",
    }
    if host is not None:
        env["HTTP_HOST"] = host
    if upgrade:
        env.update(HTTP_CONNECTION="Upgrade", HTTP_UPGRADE="websocket")
    return env


def outcome(match: Any) -> Any:
    """Return what a match gives: the endpoint and arguments, or the kind of refusal (with the allowed methods)."""
    try:
        endpoint, args = match()
    except MethodNotAllowed as refusal:
        return "405", sorted(refusal.valid_methods or ())
    except HTTPException as refusal:
        return type(refusal).__name__
    return endpoint.id, dict(args)


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(catalog.endpoints())


@pytest.mark.parametrize(("host", "upgrade"), [(host, False) for host in HOSTS] + [("127.0.0.1", True)])
def test_every_request_is_matched_as_the_map_matches_it(router: Router, host: str | None, upgrade: bool) -> None:
    for method, path in itertools.product(METHODS, paths()):
        env = environ(method, path, host, upgrade)
        decoded = "/" + path.lstrip("/")
        expected = outcome(lambda: router.url_map.bind_to_environ(dict(env)).match())  # noqa: B023
        assert outcome(lambda: router.match(dict(env), decoded)) == expected, (method, path)  # noqa: B023


def test_exact_static_paths_are_looked_up_without_the_map(router: Router, monkeypatch: pytest.MonkeyPatch) -> None:
    def unbound(*args: object) -> None:
        raise AssertionError("the map was bound")

    monkeypatch.setattr(router.url_map, "bind_to_environ", unbound)
    endpoint, args = router.match(
        environ("GET", "/derivatives/api/v3/tickers", "127.0.0.1:8080", False), "/derivatives/api/v3/tickers"
    )
    assert (endpoint.id, args) == ("getTickers", {})
