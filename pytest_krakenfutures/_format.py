"""Message helpers for contract failures: short values, JSON paths, ordered violation lists."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

MAX_LISTED = 10

_short = reprlib.Repr()
_short.maxstring = 80
_short.maxother = 80
_short.maxlist = 4
_short.maxdict = 4
_short.maxlevel = 2


def short(value: Any) -> str:
    """Return a repr of a value cut to a readable length."""
    return _short.repr(value)


def describe(error: ValidationError) -> str:
    """Return one line for a schema violation: JSON path, offending value and what was expected."""
    path = error.json_path
    if error.validator == "required":
        return f"{path}: {error.message}"
    expected = _expected(error)
    if expected:
        return f"{path}: {short(error.instance)} is not {expected}"
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{path}: {message}"


def _expected(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("anyOf", "oneOf") and isinstance(schema.get("title"), str):
        return f"{schema['title']}"
    if error.validator == "type":
        kinds = error.validator_value
        names = kinds if isinstance(kinds, list) else [kinds]
        return "of type " + " or ".join(str(name) for name in names)
    if error.validator == "const":
        return f"{error.validator_value!r}"
    if error.validator == "format":
        return f"a valid {error.validator_value}"
    return None


def ordered(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """Return violations most relevant first, with the leaf errors of anyOf/oneOf branches kept whole."""
    from jsonschema.exceptions import relevance

    return sorted(errors, key=relevance)


def listing(errors: list[ValidationError]) -> list[str]:
    """Return the indented lines listing each violation, capped with a ``+N more`` line."""
    lines = [f"  {describe(error)}" for error in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        lines.append(f"  +{len(errors) - MAX_LISTED} more")
    return lines
