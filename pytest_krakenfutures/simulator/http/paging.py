"""Paging of the history API: since / before / sort / count, the opaque continuation token, lazy elements.

An element is built only when it lands on the page asked for.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import ArgumentInvalid
from .params import Params

#: Events per page when ``count`` is not given, and the most a page holds.
DEFAULT_COUNT = 1000
MAX_COUNT = 1000
SORTS = ("asc", "desc")


@dataclass(frozen=True)
class LazyElement:
    """A history element not yet built: its time, a tie-breaking key, and how to build it."""

    timestamp: int
    key: int
    build: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Window:
    """What a history request asks for: a time range (ms, ``before`` exclusive), order and page size."""

    since: int | None
    before: int | None
    sort: str
    count: int
    after: tuple[int, int] | None

    @classmethod
    def of(cls, params: Params, default_count: int = DEFAULT_COUNT, max_count: int = MAX_COUNT) -> Window:
        """Read the paging parameters; malformed ones are ``ArgumentInvalid``."""
        sort = (params.get("sort") or "desc").strip().lower()
        if sort not in SORTS:
            raise ArgumentInvalid("sort")
        count = integer(params, "count", default_count)
        if count < 1:
            raise ArgumentInvalid("count")
        token = params.get("continuation_token")
        return cls(
            since=integer(params, "since", None),
            before=integer(params, "before", None),
            sort=sort,
            count=min(count, max_count),
            after=None if token is None else decode_token(token),
        )

    def contains(self, timestamp: int) -> bool:
        """Whether a time lies in the requested range."""
        if self.since is not None and timestamp < self.since:
            return False
        return self.before is None or timestamp < self.before


def integer(params: Params, name: str, default: Any) -> Any:
    """Return an integer parameter, ``default`` when absent; anything else is refused."""
    value = params.get(name)
    if value is None:
        return default
    text = value.strip()
    if not text.lstrip("-").isdigit():
        raise ArgumentInvalid(name)
    return int(text)


def encode_token(position: tuple[int, int]) -> str:
    """Return the continuation token of a page that ended at ``position``: base64 of ``<ms>/<sequence>``."""
    return base64.b64encode(f"{position[0]}/{position[1]}".encode("ascii")).decode("ascii")


def decode_token(token: str) -> tuple[int, int]:
    """Return the position a continuation token continues from; a malformed token is refused."""
    try:
        text = base64.b64decode(token.encode("ascii"), validate=True).decode("ascii")
        timestamp, key = text.split("/")
        return int(timestamp), int(key)
    except (ValueError, UnicodeError, binascii.Error):
        raise ArgumentInvalid("continuation_token") from None


def page(events: Iterable[LazyElement], window: Window) -> tuple[list[dict[str, Any]], str | None]:
    """Return the requested page of events, built, and the token of the next page (``None`` at the end)."""
    chosen = sorted(
        (event for event in events if window.contains(event.timestamp)),
        key=lambda event: (event.timestamp, event.key),
        reverse=window.sort == "desc",
    )
    if window.after is not None:
        if window.sort == "desc":
            chosen = [e for e in chosen if (e.timestamp, e.key) < window.after]
        else:
            chosen = [e for e in chosen if (e.timestamp, e.key) > window.after]
    taken = chosen[: window.count]
    token = None
    if len(chosen) > window.count:
        last = taken[-1]
        token = encode_token((last.timestamp, last.key))
    return [event.build() for event in taken], token
