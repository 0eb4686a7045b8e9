"""What a handler is given and may answer: the call, an answer outside the envelope, the handler type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request

from .. import catalog
from .auth import ApiKey
from .params import Params


@dataclass
class Call:
    """One request as a handler sees it: endpoint, parameters, time, path arguments and the caller's key."""

    endpoint: catalog.Endpoint
    params: Params
    now: datetime
    args: Mapping[str, str]
    key: ApiKey | None
    request: Request = field(repr=False)
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


Handler = Callable[[Call], Any]
