"""What a handler is given and may answer: the call, an answer outside the envelope, the handler type.

Also the route: a handler written against the exchange it answers from, and how routes become handlers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ... import catalog
from .authentication import ApiKey
from .params import Params

if TYPE_CHECKING:
    from ..domain.exchange import Exchange


@dataclass
class Call:
    """One request as a handler sees it: endpoint, parameters, time, path arguments and the caller's key."""

    endpoint: catalog.Endpoint
    params: Params
    now: datetime
    args: Mapping[str, str]
    key: ApiKey | None
    body: str = ""

    @property
    def key_name(self) -> str:
        """The caller's API key, or ``"public"`` for unsigned calls (what per-key state is kept under)."""
        return self.key.key if self.key is not None else "public"


@dataclass(frozen=True)
class Raw:
    """A handler's answer that is not Kraken's JSON envelope (CSV, plain text, a bare JSON document)."""

    body: bytes | str | Any
    status: int = 200
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


#: What answers a call: a success payload for the envelope, or a ``Raw`` answer.
Handler = Callable[[Call], Any]
#: A handler given the exchange it answers from: ``route(exchange, call)``.
Route = Callable[["Exchange", Call], Any]


def bind(routes: Mapping[str, Route], exchange: Exchange) -> dict[str, Handler]:
    """Return the handlers of ``routes`` by operation id, each answering from ``exchange``."""
    return {name: functools.partial(route, exchange) for name, route in routes.items()}
