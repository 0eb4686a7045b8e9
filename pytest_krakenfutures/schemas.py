"""Loading the JSON Schemas: bundled and user schema directories, a ``$ref`` registry, cached validators."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError, SchemaNotFound
from .formats import format_checker

if TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from referencing import Registry

BUNDLED = "bundled"
#: Bumped by ``clear_caches``: caches of things compiled from the schemas (elsewhere) key on it.
_generation = 0


def bundled_dir() -> Path:
    """Return the directory of the schemas shipped inside the package."""
    return Path(str(resources.files("pytest_krakenfutures") / "schemas"))


def _schema_files(directory: Path) -> dict[str, Path]:
    return {path.name: path for path in sorted(directory.glob("*.json"))}


def _load_file(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"schema file {path} is not valid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"schema file {path} is not UTF-8 text") from None
    if not isinstance(document, dict):
        raise ConfigurationError(f"schema file {path} must hold a JSON object, not {type(document).__name__}")
    return document


def check_file(path: Path) -> None:
    """Check that a schema file is JSON holding a valid Draft 2020-12 schema; the error names the file."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    document = _load_file(path)
    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as exc:
        where = exc.json_path if hasattr(exc, "json_path") else "$"
        raise ConfigurationError(
            f"schema file {path} is not a valid JSON Schema (Draft 2020-12): at {where}: {exc.message}; "
            "fix it, or remove it to use the bundled schema of that name"
        ) from None


def check_dir(directory: Path) -> None:
    """Check a user schema directory: it exists, and each of its ``*.json`` files is a valid schema."""
    for path in _user_files(directory).values():
        check_file(path)


def _user_files(directory: Path) -> dict[str, Path]:
    """Return the schema files of a user schema directory, which must exist."""
    if not directory.is_dir():
        raise ConfigurationError(f"{directory} is not a directory")
    return _schema_files(directory)


@lru_cache(maxsize=8)
def _catalogue(user_dir: str | None) -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    """Return every schema by file name, the user's directory taking precedence over the bundled one."""
    files = _schema_files(bundled_dir())
    if user_dir is not None:
        files.update(_user_files(Path(user_dir)))
    return {name: _load_file(path) for name, path in files.items()}, files


def registry(user_dir: str | None = None) -> Registry[Any]:
    """Return the ``referencing`` registry of every schema, keyed by file name (for ``$ref``)."""
    return _registry(user_dir)


@lru_cache(maxsize=8)
def _registry(user_dir: str | None) -> Registry[Any]:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    documents, _ = _catalogue(user_dir)
    return Registry().with_resources(
        (name, Resource.from_contents(doc, default_specification=DRAFT202012)) for name, doc in documents.items()
    )


def schema_names(user_dir: str | None = None) -> list[str]:
    """Return the names of all available schemas (file names without ``.json``)."""
    return sorted(name[: -len(".json")] for name in _catalogue(user_dir)[0])


def schema_path(name: str, user_dir: str | None = None) -> Path:
    """Return the file a schema is loaded from."""
    try:
        return _catalogue(user_dir)[1][name + ".json"]
    except KeyError:
        where = f"{user_dir} or the bundled schemas" if user_dir else "the bundled schemas"
        raise SchemaNotFound(f"no schema named {name!r} in {where}") from None


def load(name: str, user_dir: str | None = None) -> dict[str, Any]:
    """Return the schema document called ``name``."""
    schema_path(name, user_dir)
    return _catalogue(user_dir)[0][name + ".json"]


@lru_cache(maxsize=256)
def validator(name: str, user_dir: str | None = None) -> Validator:
    """Return the cached jsonschema Draft 2020-12 validator of a schema (the explanation), with formats checked."""
    from jsonschema import Draft202012Validator

    schema = load(name, user_dir)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(user_dir), format_checker=format_checker())


def generation() -> int:
    """Return how many times the caches were cleared, a key for caches of what is compiled from the schemas."""
    return _generation


def clear_caches() -> None:
    """Forget every loaded schema and validator (after schema files changed on disk)."""
    global _generation
    _catalogue.cache_clear()
    _registry.cache_clear()
    validator.cache_clear()
    _generation += 1
