"""The simulated account's identity and the value formats of the history, charts and auth APIs."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

#: Namespace of every name-derived identifier the simulator hands out.
NAMESPACE = uuid.UUID("5d1c2b0e-8f4a-4c3b-9a6e-2f7d8c1b0a93")
#: The simulated (master) account.
ACCOUNT_UID = str(uuid.uuid5(NAMESPACE, "account"))
#: The account's IIBAN, as the auth API reports it.
IIBAN = "AA07 N84G SIMU L4T0"
#: When the simulator's API keys were created, as the auth API reports it.
KEY_CREATED_AT = "2025-11-03T09:12:44.000Z"

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)


def derived_uuid(*parts: object) -> str:
    """Return a uuid4-format identifier derived from ``parts`` (the same parts give the same id)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def unit_interval(*parts: object) -> float:
    """Return a number in [0, 1) derived from ``parts`` (deterministic noise)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def epoch_ms(moment: datetime) -> int:
    """Return a time as integer epoch milliseconds."""
    return (moment.astimezone(timezone.utc) - _EPOCH) // _MILLISECOND


def from_ms(millis: int) -> datetime:
    """Return the UTC time of integer epoch milliseconds."""
    return _EPOCH + millis * _MILLISECOND


def to_ms(value: Any, default: int | None = None) -> int | None:
    """Return a timestamp given as epoch ms, an ISO-8601 string or a datetime as epoch ms."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, datetime):
        return epoch_ms(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return default
        return epoch_ms(parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc))
    return default


def decimal(value: Any) -> Decimal | None:
    """Return a number given as int, float, Decimal or numeric string as a Decimal (``None`` if not one)."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
