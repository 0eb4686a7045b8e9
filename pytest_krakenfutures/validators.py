"""The verdict on a body: jsonschema-rs, compiled once per schema and process, decides whether it passes.

jsonschema remains the explanation (``schemas.validator``): only a body that jsonschema-rs rejects
goes through it, for the messages. A schema jsonschema-rs cannot compile, or a value it cannot
take as JSON (a dict keyed by other things than strings, bytes), leaves the verdict to jsonschema.
jsonschema-rs is imported on first use, so that loading the plugin costs nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .schemas import generation, load, schema_names

if TYPE_CHECKING:
    import jsonschema_rs

#: The base the schemas are registered under, so that ``common.json#/$defs/...`` resolves as a file name.
BASE_URI = "https://schemas.pytest-krakenfutures.invalid/"

#: What jsonschema-rs raises for a value it cannot convert to JSON (the verdict is then jsonschema's).
_UNTAKEN = (ValueError, TypeError, OverflowError, RecursionError)


class FastValidator:
    """A schema compiled by jsonschema-rs: Draft 2020-12, formats checked, ``x-`` keywords ignored."""

    def __init__(self, compiled: jsonschema_rs.Validator) -> None:
        self._compiled = compiled

    def __repr__(self) -> str:
        return f"<FastValidator {self._compiled!r}>"

    def passes(self, body: Any) -> bool | None:
        """Return whether ``body`` is valid, or ``None`` when jsonschema-rs cannot take it as JSON."""
        try:
            return self._compiled.is_valid(body)
        except _UNTAKEN:
            return None

    def messages(self, body: Any) -> list[str]:
        """Return jsonschema-rs's own account of each violation in ``body``, as ``<JSON path>: <message>``."""
        try:
            return [f"{json_path(error.instance_path)}: {error.message}" for error in self._compiled.iter_errors(body)]
        except _UNTAKEN as exc:
            return [f"$: {exc}"]


def json_path(steps: list[str | int]) -> str:
    """Return the JSON path of a place given as keys and indexes, as jsonschema writes it (``$.a[0].b``)."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in steps)


def fast_validator(name: str, user_dir: str | None = None) -> FastValidator | None:
    """Return the cached jsonschema-rs validator of a schema, or ``None`` when jsonschema-rs cannot compile it."""
    return _compiled(name, user_dir, generation())


@lru_cache(maxsize=256)
def _compiled(name: str, user_dir: str | None, cleared: int) -> FastValidator | None:
    """Compile one schema with the registry of every schema (``cleared`` keys the cache to the loaded files)."""
    import jsonschema_rs

    schema = load(name, user_dir)
    try:
        compiled = jsonschema_rs.Draft202012Validator(
            schema,
            registry=_registry(user_dir, cleared),
            base_uri=f"{BASE_URI}{name}.json",
            validate_formats=True,
        )
    except (ValueError, jsonschema_rs.ReferencingError):
        return None
    return FastValidator(compiled)


@lru_cache(maxsize=8)
def _registry(user_dir: str | None, cleared: int) -> jsonschema_rs.Registry:
    """Return the jsonschema-rs registry of every schema, the user's directory first, keyed by file name."""
    import jsonschema_rs

    resources = [(f"{BASE_URI}{name}.json", load(name, user_dir)) for name in schema_names(user_dir)]
    return jsonschema_rs.Registry(resources, draft=jsonschema_rs.Draft202012)
