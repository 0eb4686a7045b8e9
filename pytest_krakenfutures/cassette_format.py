"""The cassette file format: readable YAML with provenance, written atomically, loaded with clear errors."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .cassette_memo import ParsedCassettes
from .errors import CassetteError
from .gc_pause import gc_paused
from .matching import match_key

#: Response headers worth keeping; everything else (dates, cookies, server ids) is dropped.
KEPT_RESPONSE_HEADERS = frozenset({"content-type", "location", "rate-limit-reset", "next-continuation-token"})
#: Request headers worth keeping; signing headers and the user agent are never written.
KEPT_REQUEST_HEADERS = frozenset({"content-type"})


_STR, _MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq", "merge"))
#: Scalar tags whose PyYAML constructors are plain functions of the node.
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float"))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's where PyYAML has it), building plain trees without its generic machinery.

    PyYAML constructs every node through generators and memo tables, so that anchors and
    recursive structures come out shared. A cassette is a tree of mappings, lists and scalars:
    those are built directly. A document with an alias goes through PyYAML's constructor as a
    whole, and any other node (a merge key, another tag) through it alone: the result is the same.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        """Return the document built from its root node."""
        if _has_alias(node):
            return super().construct_document(node)
        return self._kf_tree(node)

    def _kf_tree(self, node: yaml.Node) -> Any:
        """Build one node of a document without aliases: plain collections and scalars directly."""
        kind, tag = node.__class__, node.tag
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            if tag in _PLAIN_SCALARS:
                return self.yaml_constructors[tag](self, node)
        elif kind is yaml.SequenceNode and tag == _SEQ:
            return [self._kf_tree(item) for item in node.value]
        elif kind is yaml.MappingNode and tag == _MAP and _plain_keys(node):
            return {self._kf_tree(key): self._kf_tree(value) for key, value in node.value}
        return self.construct_object(node, deep=True)


def _has_alias(root: yaml.Node) -> bool:
    """Whether a collection node is met twice below ``root`` (an alias, perhaps of itself)."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if node.__class__ is yaml.ScalarNode:
            continue
        if id(node) in seen:
            return True
        seen.add(id(node))
        if node.__class__ is yaml.SequenceNode:
            pending.extend(node.value)
        else:
            pending.extend(part for pair in node.value for part in pair)
    return False


def _plain_keys(node: yaml.Node) -> bool:
    """Whether a mapping's keys are all scalars, none of them a merge key."""
    return all(key.__class__ is yaml.ScalarNode and key.tag != _MERGE for key, _ in node.value)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A YAML dumper (libyaml's where PyYAML has it) that writes multi-line strings as blocks."""


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def readable_body(body: dict[str, Any]) -> dict[str, Any]:
    """Store a JSON body as structured YAML when that reproduces its exact text, else as a string."""
    text = body.get("string")
    if not isinstance(text, str) or text[:1] not in ("{", "["):
        return body
    try:
        parsed = json.loads(text)
    except ValueError:
        return body
    if _compact(parsed) != text:
        return body
    return {"json": parsed}


def exact_body(body: Any) -> dict[str, Any]:
    """Turn a stored body back into the exact text that was received."""
    if isinstance(body, dict) and "json" in body:
        return {"string": _compact(body["json"])}
    if isinstance(body, dict):
        return body
    if body is None:
        return {"string": ""}
    raise ValueError(f"a response body must be a mapping with 'string' or 'json', not {type(body).__name__}")


class CassetteSerializer:
    """vcrpy serializer writing YAML with a provenance block and structured JSON bodies."""

    def __init__(self, provenance: dict[str, Any] | None = None, parsed: ParsedCassettes | None = None) -> None:
        self.provenance = dict(provenance or {})
        #: Where cassettes parsed before are kept (none: every cassette is parsed).
        self.parsed = parsed or ParsedCassettes(None)
        #: The provenance block of the cassette read last (empty before one is read).
        self.loaded_provenance: dict[str, Any] = {}

    def serialize(self, cassette_dict: dict[str, Any]) -> str:
        """Return the YAML text of a cassette."""
        interactions = []
        for interaction in cassette_dict["interactions"]:
            request = dict(interaction["request"])
            response = dict(interaction["response"])
            response["body"] = readable_body(response.get("body") or {})
            interactions.append({"request": request, "response": response})
        document = {
            "provenance": self.provenance,
            "version": cassette_dict["version"],
            "interactions": interactions,
        }
        with gc_paused():
            return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)

    def deserialize(self, cassette_string: str) -> dict[str, Any]:
        """Parse cassette YAML back into vcrpy's dictionary, restoring exact body text."""
        document = self.parsed.document(cassette_string, _parse)
        self.loaded_provenance = dict(document.get("provenance") or {})
        return document


def _parse(cassette_string: str) -> dict[str, Any]:
    """Parse and check a cassette's YAML, naming what is wrong, and restore its bodies' exact text."""
    with gc_paused():
        document = yaml.load(cassette_string, Loader=_Loader)
    if not isinstance(document, dict) or not isinstance(document.get("interactions"), list):
        raise ValueError("expected a mapping with an 'interactions' list")
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ValueError(f"cassette format version {version!r} is not one this plugin reads ({FORMAT_VERSION})")
    if not isinstance(document.get("provenance", {}), dict):
        raise ValueError("the 'provenance' block must be a mapping")
    for number, interaction in enumerate(document["interactions"], start=1):
        _check_interaction(number, interaction)
    return document


#: The cassette format version written and read (vcrpy's).
FORMAT_VERSION = 1


def _check_interaction(number: int, interaction: Any) -> None:
    """Check one stored interaction's shape (and restore its body's exact text), naming what is wrong."""
    if not isinstance(interaction, dict) or not {"request", "response"} <= interaction.keys():
        raise ValueError(f"interaction {number} needs a 'request' and a 'response'")
    request, response = interaction["request"], interaction["response"]
    for key in ("method", "uri"):
        if not isinstance(request, dict) or not isinstance(request.get(key), str):
            raise ValueError(f"interaction {number}: the request needs a '{key}' string")
    if not isinstance(request.get("body"), (str, bytes, type(None))):
        raise ValueError(f"interaction {number}: the request body must be text, not {type(request['body']).__name__}")
    request["headers"] = _headers(number, "request", request.get("headers"))
    if not isinstance(response, dict) or not isinstance(response.get("status"), dict):
        raise ValueError(f"interaction {number}: the response needs a 'status' mapping")
    code = response["status"].get("code")
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        raise ValueError(
            f"interaction {number}: the response status code must be an HTTP status (100-599), not {code!r}"
        )
    response["status"].setdefault("message", "")
    response["headers"] = _headers(number, "response", response.get("headers"))
    response["body"] = exact_body(response.get("body"))


def _headers(number: int, side: str, headers: Any) -> dict[str, list[str]]:
    """Return stored headers as vcrpy keeps them (a name to a list of values); a single value is one item."""
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise ValueError(
            f"interaction {number}: the {side} headers must be a mapping of names to values, not "
            f"{type(headers).__name__} {headers!r}"
        )
    checked: dict[str, list[str]] = {}
    for name, values in headers.items():
        listed = values if isinstance(values, list) else [values]
        if not isinstance(name, str) or not all(isinstance(value, str) for value in listed):
            raise ValueError(f"interaction {number}: the {side} header {name!r} must have text values, not {values!r}")
        checked[name] = listed
    return checked


def provenance_of(path: Path) -> dict[str, Any]:
    """Return the provenance block of a cassette file (empty if it has none or cannot be read)."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    block = document.get("provenance") if isinstance(document, dict) else None
    return dict(block) if isinstance(block, dict) else {}


#: Permissions of a new cassette file (a temporary file starts private; cassettes are shared with the team).
CASSETTE_MODE = 0o644


class AtomicPersister:
    """vcrpy persister: atomic writes, and a malformed cassette is an error rather than an empty one.

    ``existing`` says what becomes of interactions already on disk: ``"replay"`` loads them
    for vcrpy to play, ``"merge"`` hides them from vcrpy and, on save, keeps those this run
    did not re-record (``all``), ``"replace"`` hides and drops them (``rewrite``).
    """

    def __init__(self, *, existing: str = "replay", matchers: Sequence[Any] = ()) -> None:
        self.existing = existing
        self.matchers = list(matchers)
        #: What ``merge`` read (and hid from vcrpy) when the cassette was loaded.
        self.on_disk: tuple[list[Any], list[Any]] | None = None

    def load_cassette(self, cassette_path: str | os.PathLike[str], serializer: Any) -> tuple[list[Any], list[Any]]:
        """Load the requests and responses of a cassette file."""
        from vcr.persisters.filesystem import CassetteNotFoundError

        path = Path(cassette_path)
        try:
            mode: int | None = path.stat().st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            raise CassetteError(not_a_file(path))
        if self.existing == "replace" or mode is None:
            raise CassetteNotFoundError()
        loaded = self._read(path, serializer)
        if self.existing == "merge":
            self.on_disk = loaded
            raise CassetteNotFoundError()
        return loaded

    @staticmethod
    def _read(path: Path, serializer: Any) -> tuple[list[Any], list[Any]]:
        from vcr.serialize import deserialize

        try:
            text = path.read_text(encoding="utf-8")
            requests, responses = deserialize(text, serializer)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, yaml.YAMLError) as exc:
            detail = " ".join(str(exc).split())
            raise CassetteError(
                f"cassette {path} is malformed ({detail}); it was left untouched: fix it, "
                "or delete it and record again with --kf-record-mode=once"
            ) from None
        return list(requests), list(responses)

    def _merged(self, path: Path, cassette_dict: Any, serializer: Any) -> Any:
        """Return the old interactions this run did not re-record, followed by the new ones."""
        if not path.is_file():
            return cassette_dict
        return self._merged_with(self._read(path, serializer), cassette_dict)

    def _merged_with(self, old: tuple[list[Any], list[Any]], cassette_dict: Any) -> Any:
        """Return the given old interactions this run did not re-record, followed by the new ones."""
        from vcr.matchers import requests_match

        old_requests, old_responses = old
        new_requests = list(cassette_dict["requests"])
        # Requests that match have the same key: only those are compared, whatever the cassette's size.
        by_key: dict[tuple[Any, ...], list[Any]] = {}
        for new in new_requests:
            by_key.setdefault(match_key(new), []).append(new)
        kept = [
            (request, response)
            for request, response in zip(old_requests, old_responses, strict=True)
            if not any(requests_match(new, request, self.matchers) for new in by_key.get(match_key(request), ()))
        ]
        return {
            "requests": [request for request, _ in kept] + new_requests,
            "responses": [response for _, response in kept] + list(cassette_dict["responses"]),
        }

    def save_cassette(self, cassette_path: str | os.PathLike[str], cassette_dict: Any, serializer: Any) -> None:
        """Write a cassette file atomically (a temporary file in the same folder, then a rename)."""
        from vcr.serialize import serialize

        path = Path(cassette_path)
        if self.existing == "merge":
            cassette_dict = self._merged(path, cassette_dict, serializer)
        write_atomically(path, serialize(cassette_dict, serializer))


def not_a_file(path: Path) -> str:
    """Say that a cassette's path is taken by something that is not a file."""
    return f"cassette {path} is a directory, not a file: remove or rename it, or give the test another name"


def check_writable(path: Path) -> None:
    """Refuse to replace a cassette that is read-only or not a file (the run fails; nothing changes)."""
    if path.exists() and not path.is_file():
        raise CassetteError(not_a_file(path))
    if path.is_file() and not path.stat().st_mode & 0o222:
        raise CassetteError(
            f"cassette {path} is read-only, so it was not replaced: make it writable (chmod u+w {path}) to "
            "re-record it, or leave it as it is"
        )


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file in its folder and a rename: readers see old or new, never half."""
    check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else CASSETTE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
