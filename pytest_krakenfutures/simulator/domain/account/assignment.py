"""The assignment program: the account's preferences for taking over liquidated positions."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ...errors import INVALID, NOT_FOUND, Refused
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


@dataclass(frozen=True)
class Assignment:
    """An assignment-program preference with its id."""

    ident: int
    participant: Participant


@dataclass(frozen=True)
class AssignmentChange:
    """A preference added or (``deleted``) removed, and when."""

    deleted: bool
    participant: Participant
    time: datetime


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
        self.history: deque[AssignmentChange] = deque(maxlen=KEPT_PER_KIND)
        self._next_id = 1

    def add(self, preference: Participant, now: datetime) -> Assignment:
        """Add a preference; return it with its new id."""
        ident = self._next_id
        self._next_id += 1
        self.current[ident] = preference
        self.history.append(AssignmentChange(False, preference, now))
        return Assignment(ident, preference)

    def delete(self, ident: int, now: datetime) -> Assignment:
        """Delete a preference by id (an unknown id is ``notFound``); return what was deleted."""
        preference = self.current.pop(ident, None)
        if preference is None:
            raise Refused(NOT_FOUND)
        self.history.append(AssignmentChange(True, preference, now))
        return Assignment(ident, preference)

    def preferences(self) -> list[Assignment]:
        """Return the current preferences, oldest first."""
        return [Assignment(ident, p) for ident, p in sorted(self.current.items())]

    def changes(self) -> list[AssignmentChange]:
        """Return the latest changes (``KEPT_PER_KIND``), oldest first."""
        return list(self.history)
