"""Observations: what a passing response did that the contract tolerates but a maintainer should know.

Three kinds are recorded, as data: a field the schema does not declare (``unknown-field``), a
value outside an open enumeration's documented list (``unknown-value``), and a decimal sent as a
JSON string rather than a number (``string-number``). Paths use ``[*]`` for array items and ``.*``
for map values, so that a thousand tickers with the same new field count as one kind of thing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .observation_walk import STRING_NUMBER as STRING_NUMBER
from .observation_walk import UNKNOWN_FIELD as UNKNOWN_FIELD
from .observation_walk import UNKNOWN_VALUE as UNKNOWN_VALUE
from .observation_walk import Compiled, Note, walk
from .schema_walk import root_schemas
from .schemas import generation

if TYPE_CHECKING:
    from .catalog import Endpoint

KINDS = (UNKNOWN_FIELD, UNKNOWN_VALUE, STRING_NUMBER)
_WORDS = {UNKNOWN_FIELD: "undeclared field", UNKNOWN_VALUE: "undocumented value", STRING_NUMBER: "number as string"}


@dataclass(frozen=True, order=True)
class Observation:
    """One tolerated surprise in a response: which endpoint, what kind, where, and the value or name."""

    endpoint: str
    kind: str
    path: str
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the observation as plain data (for xdist and reports)."""
        return asdict(self)

    def __str__(self) -> str:
        return f"{_WORDS.get(self.kind, self.kind)} at {self.path}" + (f": {self.detail!r}" if self.detail else "")


def observe(body: Any, endpoint: Endpoint, schema_dir: str | None = None) -> list[Observation]:
    """Return what ``body`` does that its endpoint's schema tolerates but does not document."""
    if endpoint.body_format != "json":
        return []
    compiled = _compiled(endpoint, schema_dir, generation())
    notes: set[Note] = set()
    walk(compiled, [body], compiled.root, "$", notes)
    return sorted(Observation(endpoint.id, kind, path, detail) for kind, path, detail in notes)


@lru_cache(maxsize=256)
def _compiled(endpoint: Endpoint, schema_dir: str | None, cleared: int) -> Compiled:
    """Return the plans of an endpoint's schema, kept for the process (``cleared`` keys them to the loaded files)."""
    return Compiled(root_schemas(endpoint, schema_dir))


class Collector:
    """Observations of one process, counted; thread safe. The plugin reports them at the end of a run."""

    def __init__(self) -> None:
        self._counts: Counter[Observation] = Counter()
        self._lock = threading.Lock()

    def add(self, observations: Iterable[Observation], times: int = 1) -> None:
        """Count observations, each once per response it was seen in (``times`` for merged counts)."""
        with self._lock:
            for item in observations:
                self._counts[item] += times

    def counts(self) -> dict[Observation, int]:
        """Return every observation with how often it was seen."""
        with self._lock:
            return dict(self._counts)

    def export(self) -> list[dict[str, Any]]:
        """Return the counted observations as plain data (what an xdist worker sends back)."""
        return [{**item.to_dict(), "count": count} for item, count in sorted(self.counts().items())]

    def merge(self, exported: Iterable[dict[str, Any]]) -> None:
        """Add observations exported by another process."""
        for entry in exported:
            data = dict(entry)
            count = int(data.pop("count", 1))
            self.add([Observation(**data)], times=count)

    def clear(self) -> None:
        """Forget everything counted so far."""
        with self._lock:
            self._counts.clear()

    def summary(self) -> list[str]:
        """Return the short end-of-run summary: per endpoint, each observation with the responses showing it."""
        by_endpoint: dict[str, list[tuple[Observation, int]]] = {}
        for item, count in sorted(self.counts().items()):
            by_endpoint.setdefault(item.endpoint, []).append((item, count))
        lines = []
        for name, items in by_endpoint.items():
            lines.append(f"{name}: {len(items)} observation{'s' if len(items) != 1 else ''}")
            lines.extend(f"  {item} (in {count} response{'s' if count != 1 else ''})" for item, count in items)
        return lines


#: The observations of this process; ``assert_contract`` adds to it.
collector = Collector()
