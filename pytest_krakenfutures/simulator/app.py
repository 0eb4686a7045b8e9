"""The simulator's WSGI application: routing, request parsing, authentication and envelopes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import envelope
from .auth import Authenticator
from .clock import iso_ms
from .envelope import ApiError
from .exchange import Exchange
from .market import CONTRACT_TYPES
from .params import INVALID, Params, order_request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

#: Where the v3 derivatives API lives.
API_ROOT = "/derivatives/api/v3"
#: The largest request body read (bytes).
MAX_BODY = 1 << 20
_FORM_TYPES = ("", "application/x-www-form-urlencoded")

log = logging.getLogger(__name__)

Handler = Callable[[Params, datetime, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Route:
    """One served operation: path under the v3 root, method, and whether it must be signed."""

    path: str
    method: str
    name: str
    private: bool = False


ROUTES: tuple[Route, ...] = (
    Route("/instruments", "GET", "instruments"),
    Route("/tickers", "GET", "tickers"),
    Route("/tickers/<symbol>", "GET", "ticker"),
    Route("/orderbook", "GET", "orderbook"),
    Route("/accounts", "GET", "accounts", private=True),
    Route("/openorders", "GET", "openorders", private=True),
    Route("/openpositions", "GET", "openpositions", private=True),
    Route("/sendorder", "POST", "sendorder", private=True),
    Route("/cancelorder", "POST", "cancelorder", private=True),
)


class SimulatorApp:
    """WSGI application serving the simulated Kraken Futures v3 REST API from one ``Exchange``."""

    def __init__(self, exchange: Exchange, authenticator: Authenticator) -> None:
        self.exchange = exchange
        self.authenticator = authenticator
        self.url_map = Map(
            [Rule(API_ROOT + r.path, endpoint=r, methods=[r.method]) for r in ROUTES],
            strict_slashes=False,
            merge_slashes=False,
        )
        self._handlers: dict[str, Handler] = {
            "instruments": self._instruments,
            "tickers": self._tickers,
            "ticker": self._ticker,
            "orderbook": self._orderbook,
            "accounts": self._accounts,
            "openorders": self._openorders,
            "openpositions": self._openpositions,
            "sendorder": self._sendorder,
            "cancelorder": self._cancelorder,
        }

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one WSGI request."""
        request = Request(environ)
        request.max_content_length = MAX_BODY
        response = self.respond(request)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        """Return the response to a request (the exchange is locked while it is worked out)."""
        with self.exchange.lock:
            now = self.exchange.tick()
            server_time = iso_ms(now)
            try:
                raw_body = request.get_data(cache=True)
                endpoint, args = self.url_map.bind_to_environ(request.environ).match()
                payload = self._serve(request, cast(Route, endpoint), args, raw_body, now)
            except ApiError as exc:
                return _json(envelope.error(server_time, exc.code), exc.http_status)
            except MethodNotAllowed as exc:
                response = _json(envelope.http_error(server_time, 405), 405)
                response.headers["Allow"] = ", ".join(exc.valid_methods or ())
                return response
            except HTTPException as exc:
                status = exc.code or 500
                return _json(envelope.http_error(server_time, status), status)
            except Exception:
                log.exception("simulator failed on %s %s", request.method, request.path)
                return _json(envelope.http_error(server_time, 500), 500)
            return _json(envelope.success(server_time, payload), 200)

    def _serve(
        self, request: Request, route: Route, args: Mapping[str, Any], raw_body: bytes, now: datetime
    ) -> dict[str, Any]:
        query = request.query_string.decode("utf-8", "replace")
        body = raw_body.decode("utf-8", "replace")
        if route.private:
            self.authenticator.check(
                api_key=request.headers.get("APIKey"),
                authent=request.headers.get("Authent"),
                nonce=request.headers.get("Nonce"),
                paths=_request_paths(request),
                query=query,
                body=body,
            )
        params = Params.parse(query, body if request.mimetype in _FORM_TYPES else None)
        return self._handlers[route.name](params, now, args)

    # -- handlers ----------------------------------------------------------------------------

    def _instruments(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"instruments": self.exchange.instruments(_contract_types(params))}

    def _tickers(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"tickers": self.exchange.tickers(_contract_types(params))}

    def _ticker(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"ticker": self.exchange.ticker(str(args["symbol"]))}

    def _orderbook(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"orderBook": self.exchange.order_book(params.get("symbol"))}

    def _accounts(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"accounts": self.exchange.accounts()}

    def _openorders(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"openOrders": self.exchange.open_orders()}

    def _openpositions(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"openPositions": self.exchange.open_positions()}

    def _sendorder(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        return {"sendStatus": self.exchange.send_order(order_request(params), now)}

    def _cancelorder(self, params: Params, now: datetime, args: Mapping[str, Any]) -> dict[str, Any]:
        status = self.exchange.cancel_order(params.get("order_id"), params.get("cliOrdId"), now)
        return {"cancelStatus": status}


def _json(payload: dict[str, Any], status: int) -> Response:
    return Response(envelope.dumps(payload), status=status, mimetype="application/json")


def _request_paths(request: Request) -> list[str]:
    """Return the request path as sent on the wire (when the server reports it) and as decoded."""
    paths: list[str] = []
    for key in ("RAW_URI", "REQUEST_URI"):
        raw = request.environ.get(key)
        if isinstance(raw, str) and raw:
            paths.append(urlsplit(raw).path)
            break
    paths.append(request.path)
    return paths


def _contract_types(params: Params) -> list[str]:
    types = [value.strip().lower() for value in params.getlist("contractType")]
    if any(value not in CONTRACT_TYPES for value in types):
        raise ApiError(INVALID)
    return types
