"""Walking a JSON document alongside its schema: which subschemas apply at each place, and what is declared there.

Observations (what a passing answer does that the schema does not document) and drift (what
changed between two answers) both need to know, at every place of a body, the schemas that apply
(``$ref``, ``allOf``, the ``anyOf``/``oneOf`` branches that fit), whether a field is required, and
whether a value belongs to an enumeration. ``SchemaWalker`` does the walking; subclasses listen.
Paths use ``[*]`` for array items and ``.*`` for map values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .schemas import registry

if TYPE_CHECKING:
    from referencing._core import Resolver

    from .catalog import Endpoint

Applicable = list[tuple[dict[str, Any], "Resolver[Any]"]]

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def kind_of(instance: Any) -> str:
    """The JSON type of a decoded value (``bool`` before ``int``; ``integer`` for whole numbers)."""
    if isinstance(instance, bool):
        return "boolean"
    for name in ("object", "array", "string", "integer", "number", "null"):
        if isinstance(instance, JSON_TYPES[name]):
            return name
    return "other"


def root_schemas(endpoint: Endpoint, schema_dir: str | None = None) -> list[tuple[Any, Resolver[Any]]]:
    """Return the schema an endpoint's success answers are walked with, ready for ``SchemaWalker.walk``."""
    resolved = registry(schema_dir).resolver().lookup(f"{endpoint.schema}.json")
    return [(resolved.contents, resolved.resolver)]


class SchemaWalker:
    """Walk an instance with the schemas that describe it; subclasses override the ``on_*`` hooks."""

    def __init__(self) -> None:
        self._memo: dict[tuple[tuple[int, ...], str], Applicable] = {}

    def walk(self, instance: Any, schemas: list[tuple[Any, Resolver[Any]]], path: str, required: bool = False) -> None:
        """Visit ``instance`` at ``path`` (and everything inside it) with the schemas given for that place."""
        key = (tuple(id(schema) for schema, _ in schemas), kind_of(instance))
        applicable = self._memo.get(key)
        if applicable is None:
            applicable = self._memo[key] = list(self._applicable(instance, schemas))
        self.on_value(instance, applicable, path, required)
        if isinstance(instance, dict):
            self._walk_object(instance, applicable, path)
        elif isinstance(instance, list):
            self._walk_array(instance, applicable, path)

    def on_value(self, instance: Any, applicable: Applicable, path: str, required: bool) -> None:
        """Called for every value visited, with the schemas that apply to it."""

    def on_unknown_field(self, path: str, name: str) -> None:
        """Called for a field that no applicable schema declares (where some schema declares fields)."""

    def _applicable(self, instance: Any, schemas: Iterable[tuple[Any, Resolver[Any]]]) -> Iterator[tuple[Any, Any]]:
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
            admitted = tuple(kind for name in names for kind in JSON_TYPES.get(name, ()))
            if isinstance(instance, bool) and bool not in admitted:
                return False
            if not isinstance(instance, admitted):
                return False
        for key in ("anyOf", "oneOf"):
            if key in schema and not any(self._fits(instance, (part, resolver)) for part in schema[key]):
                return False
        return True

    def _walk_object(self, instance: dict[str, Any], applicable: Applicable, path: str) -> None:
        """Walk an object's fields: declared ones by name, the others as map values or unknown fields."""
        declared: dict[str, list[tuple[Any, Resolver[Any]]]] = {}
        required: set[str] = set()
        extra: list[tuple[Any, Resolver[Any]]] = []
        described = False
        for schema, resolver in applicable:
            required.update(name for name in schema.get("required", ()) if isinstance(name, str))
            if "properties" in schema:
                described = True
                for name, subschema in schema["properties"].items():
                    declared.setdefault(name, []).append((subschema, resolver))
            if "additionalProperties" in schema or "patternProperties" in schema:
                described = True
                extra.append((schema.get("additionalProperties", True), resolver))
        for name, value in instance.items():
            if name in declared:
                self.walk(value, declared[name], f"{path}.{name}", name in required)
            elif extra:
                self.walk(value, extra, f"{path}.*")
            else:
                if described:
                    self.on_unknown_field(f"{path}.{name}", name)
                self.walk(value, [], f"{path}.{name}")

    def _walk_array(self, instance: list[Any], applicable: Applicable, path: str) -> None:
        """Walk an array's items (``prefixItems`` by position, ``items`` for the rest)."""
        for index, item in enumerate(instance):
            self.walk(item, items_at(applicable, index), f"{path}[*]")


def items_at(applicable: Any, index: int) -> list[Any]:
    """Return the schemas of the array item at ``index``: each schema's ``prefixItems`` there, else its ``items``."""
    schemas: list[Any] = []
    for schema, resolver in applicable:
        prefix = schema.get("prefixItems", [])
        if index < len(prefix):
            schemas.append((prefix[index], resolver))
        elif "items" in schema:
            schemas.append((schema["items"], resolver))
    return schemas
