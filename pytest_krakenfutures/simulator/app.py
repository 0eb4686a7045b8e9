"""The simulator's WSGI application: catalog-driven routing, authentication, rate limits and envelopes."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .. import catalog
from . import envelope
from .api_account import handlers as account_handlers
from .api_charts import handlers as charts_handlers
from .api_history import handlers as history_handlers
from .api_market import handlers as market_handlers
from .api_trading import handlers as trading_handlers
from .auth import AUTHENTICATION_ERROR, Authenticator
from .calls import Call, Handler, Raw
from .clock import iso_ms
from .control import control_response, is_control
from .errors import Refused
from .exchange import Exchange
from .limits import RateLimited, RateLimiter
from .params import Params, batch_size

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

#: The largest request body read (bytes).
MAX_BODY = 1 << 20
_FORM_TYPES = ("", "application/x-www-form-urlencoded")
_PLACEHOLDER = re.compile(r"\{([^}/]+)\}")

log = logging.getLogger(__name__)


def default_handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the handler of every operation the simulator serves, by operation id."""
    served: dict[str, Handler] = {}
    for group in (market_handlers, trading_handlers, account_handlers, history_handlers, charts_handlers):
        served.update(group(exchange))
    return served


class SimulatorApp:
    """WSGI application serving the catalogued Kraken Futures REST operations from one ``Exchange``."""

    def __init__(
        self,
        exchange: Exchange,
        authenticator: Authenticator,
        handlers: Mapping[str, Handler] | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.exchange = exchange
        self.authenticator = authenticator
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.handlers = dict(default_handlers(exchange) if handlers is None else handlers)
        rules = []
        for item in catalog.endpoints():
            if item.id in self.handlers:
                path = _PLACEHOLDER.sub(r"<\1>", item.full_path)
                rules.append(Rule(path, endpoint=item, methods=list(item.methods)))
        self.url_map = Map(rules, strict_slashes=False, merge_slashes=False)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one WSGI request."""
        request = Request(environ)
        request.max_content_length = MAX_BODY
        try:
            response = self.respond(request)
        except Exception:
            log.exception("simulator failed on %s %s", request.method, request.path)
            response = _json(envelope.http_error(iso_ms(self.exchange.clock.peek()), 500), 500)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        """Return the response to a request (the exchange is locked while it is worked out)."""
        if is_control(request):
            with self.exchange.lock:
                return control_response(self.exchange, request)
        with self.exchange.lock:
            target: catalog.Endpoint | None = None
            server_time = iso_ms(self.exchange.clock.peek())
            try:
                now = self.exchange.tick()
                server_time = iso_ms(now)
                raw_body = request.get_data(cache=True)
                endpoint, args = self.url_map.bind_to_environ(request.environ).match()
                target = cast(catalog.Endpoint, endpoint)
                answer = self._serve(request, target, args, raw_body, now)
            except Refused as exc:
                return _error(exc, target, server_time)
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
            if isinstance(answer, Raw):
                return _raw(answer)
            if target.envelope:
                return _json(envelope.success(server_time, answer), 200)
            return _json(answer, 200)

    def _serve(
        self, request: Request, target: catalog.Endpoint, args: Mapping[str, Any], raw_body: bytes, now: datetime
    ) -> Any:
        query = request.query_string.decode("utf-8", "replace")
        body = raw_body.decode("utf-8", "replace")
        key = None
        if target.private:
            key = self.authenticator.check(
                api_key=request.headers.get("APIKey"),
                authent=request.headers.get("Authent"),
                nonce=request.headers.get("Nonce"),
                paths=_request_paths(request),
                query=query,
                body=body,
                permission=target.permission,
            )
        params = Params.parse(query, body if request.mimetype in _FORM_TYPES else None)
        call = Call(target, params, now, {name: str(value) for name, value in args.items()}, key, request, body)
        self.limiter.spend(call.key_name, target.pool, self._cost(call), now)
        return self.handlers[target.id](call)

    @staticmethod
    def _cost(call: Call) -> int:
        """The documented cost of a call: batches cost 9 + their size, fills with lastFillTime 25."""
        cost = call.endpoint.cost
        if call.endpoint.id == "sendBatchOrder":
            cost += batch_size(call.params)
        if call.endpoint.id == "getFills" and call.params.get("lastFillTime") is not None:
            cost = 25
        return cost


#: How the bases outside /derivatives refuse an unauthenticated call (HTTP 401).
_UNAUTHORIZED_HISTORY = {"reason": "You are not authorized to access this endpoint.", "status": "unauthorized"}
_UNAUTHORIZED_OTHER = {"error": "Unauthorized", "message": "Invalid API key or signature", "suberror": None}


def _error(exc: Refused, target: catalog.Endpoint | None, server_time: str) -> Response:
    """Answer an error the way the endpoint's base does.

    /derivatives: Kraken's envelope. History: 401 JSON for a bad key or signature, and 429
    text/plain with ``rate-limit-reset`` when its budget is spent. Auth and stats: 401 JSON.
    """
    base = target.base if target is not None else "v3"
    if base in ("v3", "v4"):
        return _json(envelope.error(server_time, exc.error), envelope.status_of(exc))
    if isinstance(exc, RateLimited):
        response = Response("Rate limit exceeded", status=429, content_type="text/plain; charset=utf-8")
        response.headers["rate-limit-reset"] = str(exc.retry_after)
        return response
    if exc.error == AUTHENTICATION_ERROR:
        return _json(_UNAUTHORIZED_HISTORY if base.startswith("history") else _UNAUTHORIZED_OTHER, 401)
    return _json(envelope.error(server_time, exc.error), envelope.status_of(exc))


def _json(payload: Any, status: int) -> Response:
    return Response(envelope.dumps(payload), status=status, mimetype="application/json")


def _raw(answer: Raw) -> Response:
    body = answer.body
    if not isinstance(body, (bytes, str)):
        body = envelope.dumps(body)
    response = Response(body, status=answer.status, content_type=answer.content_type)
    for name, value in answer.headers.items():
        response.headers[name] = value
    return response


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
