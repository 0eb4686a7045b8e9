"""The simulator's clock: real wall time, or a deterministic clock that advances 1 ms per request."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from ...errors import ConfigurationError

ClockSetting = str | datetime | None

_STEP = timedelta(milliseconds=1)


def parse_start(value: str | datetime) -> datetime:
    """Return an ISO-8601 string or a datetime as an aware UTC datetime (naive values are UTC)."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ConfigurationError(f"clock: {value!r} is not an ISO-8601 time such as 2026-01-01T00:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


class Clock:
    """Hands out the time of each request: real UTC time, or a fixed start plus 1 ms per request."""

    def __init__(self, start: ClockSetting = None) -> None:
        self._next = None if start is None else parse_start(start)
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def peek(self) -> datetime:
        """Return the time the next request would get, without advancing."""
        with self._lock:
            return self._next if self._next is not None else datetime.now(timezone.utc) + self._offset

    def tick(self) -> datetime:
        """Return the time of a new request and advance the deterministic clock by 1 ms."""
        with self._lock:
            if self._next is None:
                return datetime.now(timezone.utc) + self._offset
            moment = self._next
            self._next = moment + _STEP
            return moment

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta`` (a real clock keeps the offset from then on)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._next is None:
                self._offset += delta
            else:
                self._next += delta


#: The first year ``isoformat`` writes as ``strftime("%Y")`` does (four digits; earlier years vary by platform).
_FOUR_DIGIT_YEARS = 1000


def iso_ms(moment: datetime) -> str:
    """Format a time as ISO-8601 UTC with exactly three fractional digits and ``Z``."""
    utc = moment.astimezone(timezone.utc)
    if utc.year < _FOUR_DIGIT_YEARS:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.isoformat(timespec="milliseconds")[:-6] + "Z"  # without its "+00:00"


def iso_us(moment: datetime) -> str:
    """Format a time as ISO-8601 UTC with exactly six fractional digits and ``Z``."""
    utc = moment.astimezone(timezone.utc)
    if utc.year < _FOUR_DIGIT_YEARS:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond:06d}Z"
    return utc.isoformat(timespec="microseconds")[:-6] + "Z"  # without its "+00:00"
