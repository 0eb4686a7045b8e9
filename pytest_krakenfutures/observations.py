"""Observations: what a passing response did that the contract tolerates but a maintainer should know.

Three kinds are recorded, as data: a field the schema does not declare (``unknown-field``), a
value outside an open enumeration's documented list (``unknown-value``), and a decimal sent as a
JSON string rather than a number (``string-number``). Paths use ``[*]`` for array items and ``.*``
for map values, so that a thousand tickers with the same new field count as one kind of thing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .schemas import registry

if TYPE_CHECKING:
    from referencing._core import Resolver

    from .catalog import Endpoint

UNKNOWN_FIELD = "unknown-field"
UNKNOWN_VALUE = "unknown-value"
STRING_NUMBER = "string-number"
KINDS = (UNKNOWN_FIELD, UNKNOWN_VALUE, STRING_NUMBER)
_WORDS = {UNKNOWN_FIELD: "undeclared field", UNKNOWN_VALUE: "undocumented value", STRING_NUMBER: "number as string"}

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


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
    resolved = registry(schema_dir).resolver().lookup(f"{endpoint.schema}.json")
    found = _Walker(endpoint.id)
    found.walk(body, [(resolved.contents, resolved.resolver)], "$")
    return sorted(set(found.observations))


class _Walker:
    """Walk an instance alongside the schema that accepted it, noting observations."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.observations: list[Observation] = []
        self._memo: dict[tuple[tuple[int, ...], str], list[tuple[dict[str, Any], Resolver[Any]]]] = {}

    def note(self, kind: str, path: str, detail: str | None = None) -> None:
        self.observations.append(Observation(self.endpoint, kind, path, detail))

    def walk(self, instance: Any, schemas: list[tuple[Any, Resolver[Any]]], path: str) -> None:
        key = (tuple(id(schema) for schema, _ in schemas), _kind(instance))
        applicable = self._memo.get(key)
        if applicable is None:
            applicable = self._memo[key] = list(self._applicable(instance, schemas))
        if isinstance(instance, str):
            self._check_string(instance, applicable, path)
        elif isinstance(instance, dict):
            self._walk_object(instance, applicable, path)
        elif isinstance(instance, list):
            self._walk_array(instance, applicable, path)

    def _applicable(
        self, instance: Any, schemas: Iterable[tuple[Any, Resolver[Any]]]
    ) -> Iterator[tuple[dict[str, Any], Resolver[Any]]]:
        """Flatten ``$ref``, ``allOf``, ``if``/``then``/``else`` and the ``anyOf``/``oneOf`` branches that fit."""
        for schema, resolver in schemas:
            if not isinstance(schema, dict):
                continue
            yield schema, resolver
            if "$ref" in schema:
                target = resolver.lookup(schema["$ref"])
                yield from self._applicable(instance, [(target.contents, target.resolver)])
            nested = [(part, resolver) for part in schema.get("allOf", [])]
            nested += [(schema[key], resolver) for key in ("then", "else") if key in schema]
            for key in ("anyOf", "oneOf"):
                branches = [(part, resolver) for part in schema.get(key, [])]
                fitting = [branch for branch in branches if self._fits(instance, branch)]
                nested += fitting[:1] if key == "oneOf" else fitting
            yield from self._applicable(instance, nested)

    def _fits(self, instance: Any, branch: tuple[Any, Resolver[Any]]) -> bool:
        """Whether a branch's declared types (through ``$ref``) admit the instance; untyped branches fit.

        Only JSON types decide (never values), so that the answer holds for every instance of a type.
        """
        schema, resolver = branch
        if not isinstance(schema, dict):
            return bool(schema)
        if "$ref" in schema:
            target = resolver.lookup(schema["$ref"])
            if not self._fits(instance, (target.contents, target.resolver)):
                return False
        kinds = schema.get("type")
        if kinds is not None:
            names = kinds if isinstance(kinds, list) else [kinds]
            admitted = tuple(kind for name in names for kind in _JSON_TYPES.get(name, ()))
            if isinstance(instance, bool) and bool not in admitted:
                return False
            if not isinstance(instance, admitted):
                return False
        for key in ("anyOf", "oneOf"):
            if key in schema and not any(self._fits(instance, (part, resolver)) for part in schema[key]):
                return False
        return True

    def _check_string(self, value: str, applicable: list[tuple[dict[str, Any], Resolver[Any]]], path: str) -> None:
        if any(schema.get("x-decimal") for schema, _ in applicable):
            self.note(STRING_NUMBER, path)
        known = [schema["x-known"] for schema, _ in applicable if isinstance(schema.get("x-known"), list)]
        if known and not any(value in values for values in known):
            self.note(UNKNOWN_VALUE, path, value)

    def _walk_object(
        self, instance: dict[str, Any], applicable: list[tuple[dict[str, Any], Resolver[Any]]], path: str
    ) -> None:
        declared: dict[str, list[tuple[Any, Resolver[Any]]]] = {}
        extra: list[tuple[Any, Resolver[Any]]] = []
        described = False
        for schema, resolver in applicable:
            if "properties" in schema:
                described = True
                for name, subschema in schema["properties"].items():
                    declared.setdefault(name, []).append((subschema, resolver))
            if "additionalProperties" in schema or "patternProperties" in schema:
                described = True
                extra.append((schema.get("additionalProperties", True), resolver))
        for name, value in instance.items():
            if name in declared:
                self.walk(value, declared[name], f"{path}.{name}")
            elif extra:
                self.walk(value, extra, f"{path}.*")
            elif described:
                self.note(UNKNOWN_FIELD, f"{path}.{name}", name)

    def _walk_array(
        self, instance: list[Any], applicable: list[tuple[dict[str, Any], Resolver[Any]]], path: str
    ) -> None:
        for index, item in enumerate(instance):
            schemas = []
            for schema, resolver in applicable:
                prefix = schema.get("prefixItems", [])
                if index < len(prefix):
                    schemas.append((prefix[index], resolver))
                elif "items" in schema:
                    schemas.append((schema["items"], resolver))
            self.walk(item, schemas, f"{path}[*]")


def _kind(instance: Any) -> str:
    """The JSON type of a decoded value (``bool`` before ``int``)."""
    if isinstance(instance, bool):
        return "boolean"
    for name in ("object", "array", "string", "integer", "number", "null"):
        if isinstance(instance, _JSON_TYPES[name]):
            return name
    return "other"


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
