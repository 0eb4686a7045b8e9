"""The observations walk, compiled per schema and done a column at a time.

Observations use generic paths (``[*]`` for array items, ``.*`` for map values), so the thousand
items of an array are one place: the walk gathers every value found at a place into a column and
looks at the column at once (the types in it, the field names of its objects, the strings outside
an open enumeration) instead of visiting item after item. What each place can show is compiled
once per schema and per Python type of value and kept for the process, as a ``Plan``; a place
where nothing can be observed (no ``x-`` keyword, no declared field anywhere below) is skipped
whole. The schemas that apply at a place are those ``SchemaWalker`` finds: one rule for both.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .schema_walk import SchemaWalker, items_at

if TYPE_CHECKING:
    from referencing._core import Resolver

UNKNOWN_FIELD = "unknown-field"
UNKNOWN_VALUE = "unknown-value"
STRING_NUMBER = "string-number"

#: One observation as found: its kind, its generic path and the value or field name.
Note = tuple[str, str, "str | None"]
Schemas = list[tuple[Any, "Resolver[Any]"]]

#: Keywords that make a place worth walking: a check on its strings, or fields declared there.
_MARKS = ("x-decimal", "x-known", "properties", "additionalProperties", "patternProperties")
#: What the values of a declared field need: nothing, a look for a string, a walk.
SKIP, STRINGS, WALK = 0, 1, 2
#: A value of each JSON type (``bool`` before ``int``, as ``kind_of`` decides), and of none of them.
_SAMPLES: tuple[Any, ...] = (False, {}, [], "", 0, 0.5, None, object())


class Slot:
    """A place in a body: the schemas given for it, and a plan per Python type of value met there."""

    __slots__ = ("_barren", "_strings_only", "plans", "schemas")

    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas
        self.plans: dict[type, Plan] = {}
        self._barren: bool | None = None
        self._strings_only: bool | None = None


class Plan:
    """What a value of one type can show at one place: string checks, an object's fields, an array's items."""

    __slots__ = ("decimal", "described", "extra", "fields", "inert", "items", "known", "prefix", "roles")

    def __init__(self) -> None:
        self.decimal = False
        self.known: frozenset[Hashable] | None = None
        self.fields: dict[str, Slot] = {}
        self.extra: Slot | None = None
        self.described = False
        self.prefix: list[Slot] = []
        self.items: Slot | None = None
        self.inert = False
        self.roles: dict[str, tuple[int, Slot]] | None = None


class Compiled(SchemaWalker):
    """The plans of one root schema, compiled as values reach each place; shared by every walk of it."""

    def __init__(self, root: Schemas) -> None:
        super().__init__()
        self._slots: dict[tuple[int, ...], Slot] = {}
        self._barren_schemas: dict[int, tuple[Any, bool]] = {}
        self._lock = threading.Lock()
        self.root = self.slot(root)

    def slot(self, schemas: Schemas) -> Slot:
        """Return the one slot of a list of schemas (the same schemas reached twice are one place)."""
        key = tuple(id(schema) for schema, _ in schemas)
        found = self._slots.get(key)
        if found is None:
            found = self._slots.setdefault(key, Slot(schemas))
        return found

    def plan(self, slot: Slot, kind: type) -> Plan:
        """Return the plan of a slot for values of one Python type, compiling it on first use."""
        found = slot.plans.get(kind)
        if found is None:
            with self._lock:
                found = slot.plans.get(kind) or self._compile(slot, _sample(kind))
                slot.plans[kind] = found
        return found

    def barren(self, slot: Slot) -> bool:
        """Whether no value at this place, of any type, can show anything (nothing is declared there or below)."""
        if slot._barren is None:
            slot._barren = all(self._barren_schema(schema, resolver) for schema, resolver in slot.schemas)
        return slot._barren

    def strings_only(self, slot: Slot) -> bool:
        """Whether all a value here can show is being a decimal sent as a string (a string is then enough)."""
        if slot._strings_only is None:
            text = self.plan(slot, str)
            others = [self.plan(slot, type(sample)) for sample in _SAMPLES if not isinstance(sample, str)]
            slot._strings_only = text.decimal and text.known is None and all(map(self._shows_nothing, others))
        return slot._strings_only

    def roles(self, plan: Plan) -> dict[str, tuple[int, Slot]]:
        """Return what the values of each declared field of an object plan need (SKIP, STRINGS, WALK), and its slot."""
        if plan.roles is None:
            plan.roles = {
                name: (SKIP if self.barren(slot) else STRINGS if self.strings_only(slot) else WALK, slot)
                for name, slot in plan.fields.items()
            }
        return plan.roles

    def _shows_nothing(self, plan: Plan) -> bool:
        """Whether values of a plan show nothing: no string check, no field declared, no item worth walking."""
        if plan.inert:
            return True
        slots = [*plan.prefix, *([plan.items] if plan.items is not None else [])]
        return not (plan.decimal or plan.known is not None or plan.described) and all(map(self.barren, slots))

    def _barren_schema(self, schema: Any, resolver: Resolver[Any]) -> bool:
        """Whether a schema declares nothing down any branch it has; one met again while deciding is not barren."""
        decided = self._barren_schemas.get(id(schema))
        if decided is None:
            self._barren_schemas[id(schema)] = (schema, False)
            decided = self._barren_schemas[id(schema)] = (schema, self._declares_nothing(schema, resolver))
        return decided[1]

    def _declares_nothing(self, schema: Any, resolver: Resolver[Any]) -> bool:
        """Decide ``_barren_schema``: no mark in the schema, in what it refers to, nor in its parts and items."""
        if not isinstance(schema, dict):
            return True
        if any(mark in schema for mark in _MARKS):
            return False
        if "$ref" in schema:
            target = resolver.lookup(schema["$ref"])
            if not self._barren_schema(target.contents, target.resolver):
                return False
        parts = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
        parts += [*schema.get("prefixItems", []), *(schema[key] for key in ("then", "else", "items") if key in schema)]
        return all(self._barren_schema(part, resolver) for part in parts)

    def _compile(self, slot: Slot, sample: Any) -> Plan:
        """Compile what values like ``sample`` can show at a slot, from the schemas that apply to them."""
        applicable = list(self._applicable(sample, slot.schemas))
        plan = Plan()
        if isinstance(sample, str):
            plan.decimal = any(schema.get("x-decimal") for schema, _ in applicable) and not any(
                schema.get("x-sent-as-string") for schema, _ in applicable
            )
            known = [schema["x-known"] for schema, _ in applicable if isinstance(schema.get("x-known"), list)]
            if known:
                plan.known = frozenset(value for values in known for value in values if isinstance(value, Hashable))
            plan.inert = not plan.decimal and plan.known is None
        elif isinstance(sample, dict):
            declared: dict[str, Schemas] = {}
            extra: Schemas = []
            for schema, resolver in applicable:
                if "properties" in schema:
                    plan.described = True
                    for name, subschema in schema["properties"].items():
                        declared.setdefault(name, []).append((subschema, resolver))
                if "additionalProperties" in schema or "patternProperties" in schema:
                    plan.described = True
                    extra.append((schema.get("additionalProperties", True), resolver))
            plan.fields = {name: self.slot(schemas) for name, schemas in declared.items()}
            plan.extra = self.slot(extra) if extra else None
            plan.inert = not applicable
        elif isinstance(sample, list):
            longest = max((len(schema.get("prefixItems", [])) for schema, _ in applicable), default=0)
            plan.prefix = [self.slot(items_at(applicable, index)) for index in range(longest)]
            plan.items = self.slot(items_at(applicable, longest))
            plan.inert = not applicable
        else:
            plan.inert = True
        return plan


def _sample(kind: type) -> Any:
    """Return a value of the JSON type of values of ``kind`` (the schemas that apply depend on that type only)."""
    return next(sample for sample in _SAMPLES if issubclass(kind, type(sample)))


def walk(compiled: Compiled, column: list[Any], slot: Slot, path: str, notes: set[Note]) -> None:
    """Note what the values of ``column``, all found at ``path``, show against the schemas of ``slot``."""
    if not column or compiled.barren(slot):
        return
    if compiled.strings_only(slot):
        if any(map(isinstance, column, repeat(str))):
            notes.add((STRING_NUMBER, path, None))
        return
    kinds = set(map(type, column))
    for kind in kinds:
        plan = compiled.plan(slot, kind)
        if plan.inert:
            continue
        values: list[Any] = column if len(kinds) == 1 else [value for value in column if type(value) is kind]
        if plan.known is not None or plan.decimal:
            if plan.decimal:
                notes.add((STRING_NUMBER, path, None))
            if plan.known is not None:
                notes.update((UNKNOWN_VALUE, path, value) for value in set(values) - plan.known)
        elif isinstance(values[0], dict):
            _walk_objects(compiled, values, plan, path, notes)
        elif isinstance(values[0], list):
            _walk_arrays(compiled, values, plan, path, notes)


def _walk_objects(compiled: Compiled, objects: list[dict[str, Any]], plan: Plan, path: str, notes: set[Note]) -> None:
    """Walk the fields of objects found at one place: declared ones by name, the others as map values."""
    if len(objects) == 1:
        _walk_object(compiled, objects[0], plan, path, notes)
        return
    roles = compiled.roles(plan)
    undeclared = False
    for name in set().union(*objects):
        role = roles.get(name)
        if role is None:
            if plan.extra is not None:
                undeclared = True
            elif plan.described:
                notes.add((UNKNOWN_FIELD, f"{path}.{name}", name))
            continue
        need, slot = role
        if need == SKIP:
            continue
        if need == STRINGS:
            if _has_string(objects, name):
                notes.add((STRING_NUMBER, f"{path}.{name}", None))
            continue
        try:
            column = list(map(itemgetter(name), objects))
        except KeyError:
            column = [item[name] for item in objects if name in item]
        walk(compiled, column, slot, f"{path}.{name}", notes)
    if undeclared and plan.extra is not None:
        fields = plan.fields
        column = [value for item in objects for name, value in item.items() if name not in fields]
        walk(compiled, column, plan.extra, f"{path}.*", notes)


def _walk_object(compiled: Compiled, item: dict[str, Any], plan: Plan, path: str, notes: set[Note]) -> None:
    """Walk the fields of the one object found at a place (what ``_walk_objects`` does, without columns)."""
    roles = compiled.roles(plan)
    undeclared: list[Any] = []
    for name, value in item.items():
        role = roles.get(name)
        if role is None:
            if plan.extra is not None:
                undeclared.append(value)
            elif plan.described:
                notes.add((UNKNOWN_FIELD, f"{path}.{name}", name))
            continue
        need, slot = role
        if need == WALK:
            walk(compiled, [value], slot, f"{path}.{name}", notes)
        elif need == STRINGS and isinstance(value, str):
            notes.add((STRING_NUMBER, f"{path}.{name}", None))
    if undeclared and plan.extra is not None:
        walk(compiled, undeclared, plan.extra, f"{path}.*", notes)


def _has_string(objects: list[dict[str, Any]], name: str) -> bool:
    """Whether some object holds a string under ``name``, looking no further than the first one found."""
    try:
        return any(map(isinstance, map(itemgetter(name), objects), repeat(str)))
    except KeyError:
        return any(isinstance(item[name], str) for item in objects if name in item)


def _walk_arrays(compiled: Compiled, arrays: list[list[Any]], plan: Plan, path: str, notes: set[Note]) -> None:
    """Walk the items of arrays found at one place: by position where ``prefixItems`` says, the rest together."""
    for index, slot in enumerate(plan.prefix):
        walk(compiled, [items[index] for items in arrays if len(items) > index], slot, f"{path}[*]", notes)
    start = len(plan.prefix)
    rest = list(chain.from_iterable(items[start:] if start else items for items in arrays))
    if plan.items is not None:
        walk(compiled, rest, plan.items, f"{path}[*]", notes)
