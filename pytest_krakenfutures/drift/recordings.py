"""Two recordings of one test compared: interactions paired by request, each pair's answers compared."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .. import catalog
from ..cassette_format import CassetteSerializer
from .compare import INFO, Answer, compare_answers

REQUEST_GONE = "request-gone"
REQUEST_NEW = "request-new"


@dataclass(frozen=True)
class Interaction:
    """One recorded request (method, URI, body) and its vcrpy response dictionary."""

    method: str
    uri: str
    body: str | None
    response: dict[str, Any]

    @property
    def path(self) -> str:
        """The request's URL path."""
        return urlsplit(self.uri).path

    def key(self) -> tuple[Any, ...]:
        """What pairs a request with its counterpart: method, path, query and form fields (order aside)."""
        parts = urlsplit(self.uri)
        body = self.body or ""
        fields: Any = tuple(sorted(parse_qsl(body, keep_blank_values=True))) if "=" in body else body
        return (self.method.upper(), parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))), fields)


@dataclass(frozen=True)
class Drift:
    """One difference between a recorded answer and a new one, with where it was found."""

    test: str
    cassette: str
    endpoint: str
    path: str
    kind: str
    severity: str
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        """Return the drift as plain data (reports, xdist)."""
        return asdict(self)

    def line(self) -> str:
        """Say the drift in one line."""
        change = f"{_shown(self.old)} -> {_shown(self.new)}" if self.old is not None or self.new is not None else ""
        return f"{self.severity.upper()} {self.endpoint} {self.path}: {self.kind} {change} ({self.test})".replace(
            "  ", " "
        )


def _shown(value: Any) -> str:
    """Show an old or new value briefly."""
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def interactions_of(document: dict[str, Any]) -> list[Interaction]:
    """Return the interactions of a deserialised cassette document."""
    found = []
    for item in document.get("interactions", []):
        request, response = item["request"], item["response"]
        body = request.get("body")
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        found.append(Interaction(request["method"], request["uri"], body, response))
    return found


def read_cassette(path: Path) -> list[Interaction]:
    """Read a cassette file's interactions (a malformed file raises ``ValueError``, naming what is wrong)."""
    return interactions_of(CassetteSerializer().deserialize(path.read_text(encoding="utf-8")))


def compare_recordings(
    old: list[Interaction], new: list[Interaction], *, test: str, cassette: str, schema_dir: str | None = None
) -> list[Drift]:
    """Pair two recordings' interactions by request, in order, and return every drift between them."""
    unused = list(range(len(old)))
    found: list[Drift] = []
    for interaction in new:
        match = next((index for index in unused if old[index].key() == interaction.key()), None)
        target = catalog.resolve(interaction.method, interaction.path)
        label = target.id if target is not None else f"{interaction.method.upper()} {interaction.path}"
        if match is None:
            found.append(Drift(test, cassette, label, "$", REQUEST_NEW, INFO, None, _request(interaction)))
            continue
        unused.remove(match)
        differences = compare_answers(
            Answer.of(old[match].response), Answer.of(interaction.response), target, schema_dir
        )
        found += [Drift(test, cassette, label, d.path, d.kind, d.severity, d.old, d.new) for d in differences]
    for index in unused:
        gone = old[index]
        target = catalog.resolve(gone.method, gone.path)
        label = target.id if target is not None else f"{gone.method.upper()} {gone.path}"
        found.append(Drift(test, cassette, label, "$", REQUEST_GONE, INFO, _request(gone), None))
    return found


def _request(interaction: Interaction) -> str:
    """Say a request in one line (method, path and query)."""
    query = urlsplit(interaction.uri).query
    return f"{interaction.method.upper()} {interaction.path}" + (f"?{query}" if query else "")
