"""The simulator's WSGI application: catalog-driven routing, authentication, rate limits and envelopes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.exceptions import ClientDisconnected, HTTPException, MethodNotAllowed, RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Request

from ... import catalog
from ..domain.clock import iso_ms
from ..domain.exchange import Exchange
from ..errors import RateLimited, Refused
from . import envelope
from .answers import Answer, json_answer
from .api_account import handlers as account_handlers
from .api_charts import handlers as charts_handlers
from .api_history import handlers as history_handlers
from .api_market import handlers as market_handlers
from .api_trading import handlers as trading_handlers
from .authentication import AUTHENTICATION_ERROR, Authenticator
from .calls import Call, Handler, Raw
from .control import control_response, is_control
from .limits import RateLimiter
from .params import Params, batch_size
from .routing import Router

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

#: The largest request body read (bytes).
MAX_BODY = 1 << 20
_FORM_TYPES = ("", "application/x-www-form-urlencoded")
#: Request headers a WSGI environ holds without the ``HTTP_`` prefix.
_UNPREFIXED = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})

log = logging.getLogger(__name__)


def default_handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the handler of every operation the simulator serves, by operation id."""
    served: dict[str, Handler] = {}
    for group in (market_handlers, trading_handlers, account_handlers, history_handlers, charts_handlers):
        served.update(group(exchange))
    return served


@dataclass(frozen=True)
class Incoming:
    """A request as the application reads it: method, decoded path and query string; headers and body on demand."""

    environ: WSGIEnvironment = field(repr=False)
    method: str
    path: str
    query: str

    @classmethod
    def of(cls, environ: WSGIEnvironment) -> Incoming:
        """Read the request line's parts as werkzeug's ``Request`` reads them."""
        return cls(
            environ,
            environ.get("REQUEST_METHOD", "GET"),
            "/" + _wsgi_text(environ.get("PATH_INFO") or "").lstrip("/"),
            environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace"),
        )

    def header(self, name: str) -> str | None:
        """Return a request header (``Content-Type`` and ``Content-Length`` included), ``None`` when absent."""
        key = name.upper().replace("-", "_")
        return self.environ.get(key if key in _UNPREFIXED else f"HTTP_{key}")

    def body(self) -> bytes:
        """Read the body as werkzeug's ``Request.get_data()`` would, refusing one beyond ``MAX_BODY`` (413).

        A body of plain declared length is read here; any other framing (a transfer coding, a
        length that is not plain digits, a server-terminated stream) is left to werkzeug.
        """
        environ = self.environ
        length = environ.get("CONTENT_LENGTH")
        plain = length is None or (length.isascii() and length.isdigit())
        if not plain or "HTTP_TRANSFER_ENCODING" in environ or "wsgi.input_terminated" in environ:
            request = Request(environ)
            request.max_content_length = MAX_BODY
            return request.get_data(cache=True)
        if length is None:
            return b""
        size = int(length)
        if size > MAX_BODY:
            raise RequestEntityTooLarge()
        try:
            data: bytes = environ["wsgi.input"].read(size)
        except (OSError, ValueError):
            raise ClientDisconnected() from None
        if len(data) < size:
            raise ClientDisconnected()
        return data

    def paths(self) -> list[str]:
        """Return the request path as sent on the wire (when the server reports it) and as decoded."""
        paths: list[str] = []
        for key in ("RAW_URI", "REQUEST_URI"):
            raw = self.environ.get(key)
            if isinstance(raw, str) and raw:
                paths.append(urlsplit(raw).path)
                break
        paths.append(self.path)
        return paths


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
        self.router = Router(item for item in catalog.endpoints() if item.id in self.handlers)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one WSGI request."""
        request = Incoming.of(environ)
        try:
            answer = self.respond(request)
        except Exception:
            log.exception("simulator failed on %s %s", request.method, request.path)
            answer = json_answer(envelope.http_error(iso_ms(self.exchange.clock.peek()), 500), 500)
        return answer(environ, start_response)

    def respond(self, request: Incoming) -> Answer:
        """Return the answer to a request (the exchange is locked while it is worked out)."""
        if is_control(request.path):
            control = Request(request.environ)
            control.max_content_length = MAX_BODY
            with self.exchange.lock:
                return control_response(self.exchange, control)
        with self.exchange.lock:
            target: catalog.Endpoint | None = None
            moment = self.exchange.clock.peek()  # the time of an answer when the clock itself fails
            try:
                now = moment = self.exchange.tick()
                raw_body = request.body()
                target, args = self.router.match(request.environ, request.path)
                answer = self._serve(request, target, args, raw_body, now)
            except Refused as exc:
                return _error(exc, target, iso_ms(moment))
            except MethodNotAllowed as exc:
                allow = ", ".join(exc.valid_methods or ())
                return json_answer(envelope.http_error(iso_ms(moment), 405), 405, (("Allow", allow),))
            except HTTPException as exc:
                status = exc.code or 500
                return json_answer(envelope.http_error(iso_ms(moment), status), status)
            except Exception:
                log.exception("simulator failed on %s %s", request.method, request.path)
                return json_answer(envelope.http_error(iso_ms(moment), 500), 500)
            if isinstance(answer, Raw):
                return _raw(answer)
            if target.envelope:
                return json_answer(envelope.success(iso_ms(now), answer), 200)
            return json_answer(answer, 200)

    def _serve(
        self, request: Incoming, target: catalog.Endpoint, args: Mapping[str, Any], raw_body: bytes, now: datetime
    ) -> Any:
        body = raw_body.decode("utf-8", "replace")
        key = None
        if target.private:
            key = self.authenticator.check(
                api_key=request.header("APIKey"),
                authent=request.header("Authent"),
                nonce=request.header("Nonce"),
                paths=request.paths(),
                query=request.query,
                body=body,
                permission=target.permission,
            )
        form = parse_options_header(request.header("Content-Type") or "")[0].lower() in _FORM_TYPES
        params = Params.parse(request.query, body if form else None)
        call = Call(target, params, now, {name: str(value) for name, value in args.items()}, key, body)
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


def _error(exc: Refused, target: catalog.Endpoint | None, server_time: str) -> Answer:
    """Answer an error the way the endpoint's base does.

    /derivatives: Kraken's envelope. History: 401 JSON for a bad key or signature, and 429
    text/plain with ``rate-limit-reset`` when its budget is spent. Auth and stats: 401 JSON.
    """
    base = target.base if target is not None else "v3"
    if base in ("v3", "v4"):
        return json_answer(envelope.error(server_time, exc.error), envelope.status_of(exc))
    if isinstance(exc, RateLimited):
        headers = (("rate-limit-reset", str(exc.retry_after)),)
        return Answer(b"Rate limit exceeded", 429, "text/plain; charset=utf-8", headers)
    if exc.error == AUTHENTICATION_ERROR:
        return json_answer(_UNAUTHORIZED_HISTORY if base.startswith("history") else _UNAUTHORIZED_OTHER, 401)
    return json_answer(envelope.error(server_time, exc.error), envelope.status_of(exc))


def _raw(answer: Raw) -> Answer:
    """Return a handler's answer outside the envelope (text is sent as UTF-8, other bodies as JSON)."""
    body = answer.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = envelope.dumps(body)
    return Answer(body, answer.status, answer.content_type, tuple(answer.headers.items()))


def _wsgi_text(value: str) -> str:
    """Return a WSGI environ string (bytes as Latin-1) as the UTF-8 text it carries, as werkzeug decodes it."""
    return value.encode("latin-1").decode("utf-8", "replace")
