"""What changed between two answers to the same request: structure, enumerations, outcome, status, content type.

List lengths and ordinary values (prices, times, ids) are not drift. Each difference is graded:
``breaking`` (a required field or one a client reads is gone or changed type, the outcome, the
HTTP status or the content type changed), ``warning`` (a value outside the documented ones, a
number now sent as a string, a field now null, an optional field gone) or ``info`` (a new field,
a documented value not recorded before, a field no longer null).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..catalog import ORDER_STATUS_KEYS
from ..outcome import classify
from .shapes import Shape, Slot, shape_of

if TYPE_CHECKING:
    from ..catalog import Endpoint

BREAKING = "breaking"
WARNING = "warning"
INFO = "info"
SEVERITIES = (BREAKING, WARNING, INFO)

FIELD_REMOVED = "field-removed"
FIELD_ADDED = "field-added"
TYPE_CHANGED = "type-changed"
NUMBER_AS_STRING = "number-as-string"
NOW_NULL = "now-null"
NO_LONGER_NULL = "no-longer-null"
NEW_VALUE = "new-value"
VALUE_NOT_RECORDED = "value-not-recorded-before"
OUTCOME_CHANGED = "outcome-changed"
STATUS_CHANGED = "status-changed"
CONTENT_TYPE_CHANGED = "content-type-changed"
BODY_CHANGED = "body-format-changed"


@dataclass(frozen=True)
class Answer:
    """A response as drift compares it: HTTP status, media type, and the body (decoded JSON or text)."""

    status: int
    content_type: str
    body: Any
    is_json: bool

    @classmethod
    def of(cls, response: dict[str, Any]) -> Answer:
        """Build the answer of a vcrpy response dictionary (as recorded, or as read from a cassette)."""
        status = response.get("status") or {}
        code = int(status.get("code", 0)) if isinstance(status, dict) else 0
        content_type = ""
        for name, values in (response.get("headers") or {}).items():
            if str(name).lower() == "content-type":
                value = values[0] if isinstance(values, list) and values else values
                content_type = str(value).split(";", 1)[0].strip().lower()
        raw = (response.get("body") or {}).get("string", "")
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
        try:
            return cls(code, content_type, json.loads(text), True)
        except ValueError:
            return cls(code, content_type, text, False)


@dataclass(frozen=True)
class Difference:
    """One thing that changed at one place of an answer."""

    path: str
    kind: str
    severity: str
    old: Any = None
    new: Any = None


def compare_answers(
    old: Answer, new: Answer, endpoint: Endpoint | None, schema_dir: str | None = None
) -> list[Difference]:
    """Return what changed from the recorded answer ``old`` to ``new``, most severe first."""
    found: list[Difference] = []
    if old.status != new.status:
        found.append(Difference("$", STATUS_CHANGED, BREAKING, old.status, new.status))
    if old.content_type != new.content_type:
        found.append(Difference("$", CONTENT_TYPE_CHANGED, BREAKING, old.content_type, new.content_type))
    if old.is_json != new.is_json:
        found.append(Difference("$", BODY_CHANGED, BREAKING, _format(old), _format(new)))
        return _ordered(found)
    before, after = classify(old.body, endpoint, old.status), classify(new.body, endpoint, new.status)
    said_before, said_after = _outcome(before), _outcome(after)
    if said_before != said_after:
        found.append(Difference("$", OUTCOME_CHANGED, BREAKING, said_before, said_after))
    if old.is_json:
        reads = frozenset({f"$.{endpoint.response_key}"} if endpoint is not None and endpoint.response_key else ())
        shapes = shape_of(old.body, endpoint, schema_dir), shape_of(new.body, endpoint, schema_dir)
        found += compare_shapes(*shapes, client_reads=reads, outcomes=_outcome_paths(endpoint))
    return _ordered(found)


def compare_shapes(
    old: Shape, new: Shape, *, client_reads: frozenset[str] = frozenset(), outcomes: frozenset[str] = frozenset()
) -> list[Difference]:
    """Return the structural differences between two shapes (places gone, added, retyped; new values).

    ``client_reads`` are places a client reads whatever the schema says (the endpoint's key);
    ``outcomes`` places whose values are the outcome, compared on their own.
    """
    found: list[Difference] = []
    for path in sorted(old.keys() - new.keys()):
        if _known_in(new, path) and not _ancestor_in(path, old.keys() - new.keys()):
            slot = old[path]
            severity = BREAKING if slot.required or path in client_reads else WARNING
            found.append(Difference(path, FIELD_REMOVED, severity, _types(slot), None))
    for path in sorted(new.keys() - old.keys()):
        if _known_in(old, path) and not _ancestor_in(path, new.keys() - old.keys()):
            found.append(Difference(path, FIELD_ADDED, INFO, None, _types(new[path])))
    for path in sorted(old.keys() & new.keys()):
        found += _retyped(path, old[path], new[path], path in client_reads)
        if path not in outcomes:
            found += _new_values(path, old[path], new[path])
    return found


def _retyped(path: str, old: Slot, new: Slot, client_reads: bool) -> list[Difference]:
    """Grade a change of the JSON types found at one place."""
    if old.types == new.types:
        return []
    gained, lost = new.types - old.types, old.types - new.types
    vital = old.required or client_reads
    if gained == {"null"} and not (lost and vital):
        return [Difference(path, NOW_NULL, WARNING, _types(old), _types(new))]
    if lost == {"null"}:
        return [Difference(path, NO_LONGER_NULL, INFO, _types(old), _types(new))]
    if "number" in old.types and gained - {"null"} == {"string"}:
        return [Difference(path, NUMBER_AS_STRING, WARNING, _types(old), _types(new))]
    return [Difference(path, TYPE_CHANGED, BREAKING if vital else WARNING, _types(old), _types(new))]


def _new_values(path: str, old: Slot, new: Slot) -> list[Difference]:
    """Grade the enumeration values found only in the new answer: undocumented ones warn."""
    if not new.enum:
        return []
    found = []
    for value in sorted(new.values - old.values):
        if value in new.documented:
            found.append(Difference(path, VALUE_NOT_RECORDED, INFO, sorted(old.values), value))
        else:
            found.append(Difference(path, NEW_VALUE, WARNING, sorted(old.values), value))
    return found


def _outcome_paths(endpoint: Endpoint | None) -> frozenset[str]:
    """Return the places whose values are an answer's outcome (``result``, an order operation's statuses)."""
    paths = {"$.result"}
    key = ORDER_STATUS_KEYS.get(endpoint.id) if endpoint is not None else None
    if key is not None:
        paths |= {f"$.{key}.status", f"$.{key}[*].status"}
    return frozenset(paths)


def _known_in(shape: Shape, path: str) -> bool:
    """Whether the place holding ``path`` exists and was filled in ``shape`` (so its absence means something)."""
    parent = _parent(path)
    slot = shape.get(parent)
    return slot is not None and slot.filled


def _parent(path: str) -> str:
    """Return the place that holds ``path`` (``$.a[*]`` for ``$.a[*].b``, ``$.a`` for ``$.a[*]``)."""
    if path.endswith("[*]"):
        return path[: -len("[*]")]
    return path.rsplit(".", 1)[0] if "." in path else "$"


def _ancestor_in(path: str, paths: set[str]) -> bool:
    """Whether a place lies inside one of ``paths`` (so only the outermost change is reported)."""
    parent = _parent(path)
    while parent != "$" and parent != path:
        if parent in paths:
            return True
        path, parent = parent, _parent(parent)
    return False


def _types(slot: Slot) -> str:
    """Say the JSON types found at a place."""
    return " or ".join(sorted(slot.types))


def _outcome(outcome: Any) -> str:
    """Say an outcome with its order events, as compared."""
    said = str(outcome)
    if outcome.events:
        said += f" ({', '.join(outcome.events)})"
    return said


def _format(answer: Answer) -> str:
    """Say whether an answer's body is JSON or text."""
    return "JSON" if answer.is_json else f"text ({answer.content_type or 'no content type'})"


def _ordered(found: list[Difference]) -> list[Difference]:
    """Sort differences most severe first, then by place."""
    return sorted(found, key=lambda item: (SEVERITIES.index(item.severity), item.path, item.kind))
