"""The shape of an answer: for each place in its body, the JSON types found there, and what the schema says of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..schema_walk import Applicable, SchemaWalker, kind_of, root_schemas

if TYPE_CHECKING:
    from ..catalog import Endpoint

#: Field names whose string values form an enumeration, whatever the schema says (statuses, sides...).
ENUM_FIELDS = frozenset(
    {
        "status",
        "type",
        "side",
        "tag",
        "reason",
        "orderType",
        "fillType",
        "triggerSignal",
        "triggerSide",
        "direction",
        "updateReason",
        "result",
        "info",
        "unit",
    }
)


@dataclass
class Slot:
    """One place in a body (``$.tickers[*].markPrice``): what was found there and what the schema says."""

    types: set[str] = field(default_factory=set)
    required: bool = False
    enum: bool = False
    #: The string values found, where the place is an enumeration.
    values: set[str] = field(default_factory=set)
    #: The values the schema documents there (``enum`` / ``x-known``), if any.
    documented: set[str] = field(default_factory=set)
    #: Whether an array or object here ever held something (its inner places are then known).
    filled: bool = False


Shape = dict[str, Slot]


class _Shaper(SchemaWalker):
    """Collect the slots of a body while walking it with its schema."""

    def __init__(self) -> None:
        super().__init__()
        self.slots: Shape = {}

    def on_value(self, instance: Any, applicable: Applicable, path: str, required: bool) -> None:
        """Note the type found at a place, whether it is required, and enumeration values."""
        slot = self.slots.setdefault(path, Slot())
        kind = kind_of(instance)
        slot.types.add("number" if kind == "integer" else kind)
        slot.required |= required
        if isinstance(instance, (dict, list)) and instance:
            slot.filled = True
        documented = [
            value
            for schema, _ in applicable
            for key in ("enum", "x-known")
            for value in (schema.get(key) or ())
            if isinstance(value, str)
        ]
        name = path.rsplit(".", 1)[-1]
        if documented or name in ENUM_FIELDS:
            slot.enum = True
            slot.documented.update(documented)
            if isinstance(instance, str):
                slot.values.add(instance)


def shape_of(body: Any, endpoint: Endpoint | None, schema_dir: str | None = None) -> Shape:
    """Return the shape of a decoded body, walked with its endpoint's schema when there is one."""
    shaper = _Shaper()
    schemas = root_schemas(endpoint, schema_dir) if endpoint is not None and endpoint.body_format == "json" else []
    shaper.walk(body, schemas, "$")
    return shaper.slots
