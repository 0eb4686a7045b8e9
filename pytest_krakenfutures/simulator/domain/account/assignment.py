"""The assignment program: the account's preferences for taking over liquidated positions."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ...errors import INVALID, NOT_FOUND, Refused
from ..clock import iso_ms
from ..market.market import number
from ..records.journal import KEPT_PER_KIND

#: The time frames and contract types an assignment preference may name.
TIME_FRAMES = ("all", "weekdays", "weekends")
ASSIGNABLE_CONTRACT_TYPES = ("flex",)


@dataclass(frozen=True)
class Participant:
    """One assignment-program preference."""

    contract_type: str
    contract: str | None
    max_size: Decimal | None
    max_position: Decimal | None
    accept_long: bool
    accept_short: bool
    time_frame: str
    enabled: bool

    def json(self) -> dict[str, Any]:
        """Return the AssignmentParticipant shape."""
        return {
            "contractType": self.contract_type,
            "contract": self.contract,
            "maxSize": None if self.max_size is None else number(self.max_size),
            "maxPosition": None if self.max_position is None else number(self.max_position),
            "acceptLong": self.accept_long,
            "acceptShort": self.accept_short,
            "timeFrame": self.time_frame,
            "enabled": self.enabled,
        }


def participant(
    contract_type: str,
    contract: str | None,
    max_size: Decimal | None,
    max_position: Decimal | None,
    accept: tuple[bool, bool],
    time_frame: str,
    enabled: bool,
) -> Participant:
    """Return a checked preference: a known contract type and time frame, positive limits."""
    if contract_type.strip().lower() not in ASSIGNABLE_CONTRACT_TYPES or time_frame.strip().lower() not in TIME_FRAMES:
        raise Refused(INVALID)
    if any(limit is not None and limit <= 0 for limit in (max_size, max_position)):
        raise Refused(INVALID)
    return Participant(
        contract_type.strip().lower(),
        contract,
        max_size,
        max_position,
        accept[0],
        accept[1],
        time_frame.strip().lower(),
        enabled,
    )


class AssignmentProgram:
    """Current preferences by id, and the latest additions and deletions in order."""

    def __init__(self) -> None:
        self.current: dict[int, Participant] = {}
        self.history: deque[tuple[bool, Participant, datetime]] = deque(maxlen=KEPT_PER_KIND)
        self._next_id = 1

    def add(self, preference: Participant, now: datetime) -> dict[str, Any]:
        """Add a preference; return it with its new id."""
        ident = self._next_id
        self._next_id += 1
        self.current[ident] = preference
        self.history.append((False, preference, now))
        return {"id": ident, "participant": preference.json()}

    def delete(self, ident: int, now: datetime) -> dict[str, Any]:
        """Delete a preference by id (an unknown id is ``notFound``); return what was deleted."""
        preference = self.current.pop(ident, None)
        if preference is None:
            raise Refused(NOT_FOUND)
        self.history.append((True, preference, now))
        return {"id": ident, "participant": preference.json()}

    def current_json(self) -> list[dict[str, Any]]:
        """Return the current preferences, oldest first."""
        return [{"id": ident, "participant": p.json()} for ident, p in sorted(self.current.items())]

    def history_json(self) -> list[dict[str, Any]]:
        """Return the latest changes (``KEPT_PER_KIND``), oldest first."""
        return [
            {"deleted": deleted, "participant": p.json(), "timestamp": iso_ms(when)}
            for deleted, p, when in self.history
        ]
