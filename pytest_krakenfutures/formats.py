"""The one implementation of JSON Schema formats, shared by both validators so that they agree on every value.

jsonschema-rs checks every format of Draft 2020-12 itself. jsonschema, which explains failures,
checks only the formats whose optional packages happen to be installed, with other rules at the
edges (leap seconds, year 0, a trailing newline). Its format checker therefore asks jsonschema-rs,
value by value: a format error is the same error in the verdict and in the explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import FormatChecker

#: The formats of the Draft 2020-12 format vocabulary; others are annotations, checked by neither validator.
FORMATS = (
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
)


def conforms(name: str) -> Callable[[Any], bool]:
    """Return the check jsonschema-rs makes of a value of format ``name`` (values other than strings conform)."""
    import jsonschema_rs

    check = jsonschema_rs.Draft202012Validator({"format": name}, validate_formats=True)
    return check.is_valid


@lru_cache(maxsize=1)
def format_checker() -> FormatChecker:
    """Return the jsonschema format checker whose every format is checked by jsonschema-rs."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name in FORMATS:
        checker.checks(name)(conforms(name))
    return checker
