"""Proposed schemas: the current ones with what a run observed folded in, for a person to review.

For each schema whose answers carried fields it does not declare, values outside its documented
lists or decimals sent as strings, ``--kf-propose-schemas=DIR`` writes ``DIR/<schema>.json``: the
schema in force, with one more ``allOf`` member that declares those fields, adds those values to
``x-known`` and marks those decimals ``x-sent-as-string``, each with a ``$comment``. With ``DIR``
as ``kf_schema_dir`` the same answers have no observations left.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from . import catalog
from .cassette_format import write_atomically
from .observations import STRING_NUMBER, UNKNOWN_FIELD, UNKNOWN_VALUE
from .schemas import load

_TOKEN = re.compile(r"\.([^.\[]+)|(\[\*\])")


def _place(overlay: dict[str, Any], path: str) -> dict[str, Any]:
    """Return the overlay node for a place such as ``$.tickers[*].tag`` (``.*`` is any map value)."""
    node = overlay
    for name, item in _TOKEN.findall(path[1:]):
        if item:
            node = node.setdefault("items", {})
        elif name == "*":
            node = node.setdefault("additionalProperties", {})
        else:
            node = node.setdefault("properties", {}).setdefault(name, {})
    return node


def overlay_of(observations: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return the ``allOf`` member that folds a schema's observations in."""
    overlay: dict[str, Any] = {"$comment": f"proposed by pytest-krakenfutures on {date.today().isoformat()}"}
    for item in observations:
        node = _place(overlay, item["path"])
        seen = f"seen in {item.get('count', 1)} response{'s' if item.get('count', 1) != 1 else ''}"
        if item["kind"] == UNKNOWN_FIELD:
            node["$comment"] = f"proposed: a field the schema did not declare, {seen}"
        elif item["kind"] == UNKNOWN_VALUE:
            known = node.setdefault("x-known", [])
            if item.get("detail") not in known:
                known.append(item.get("detail"))
            node["$comment"] = f"proposed: values outside the documented list, {seen}"
        elif item["kind"] == STRING_NUMBER:
            node["x-sent-as-string"] = True
            node["$comment"] = f"proposed: a decimal sent as a JSON string, {seen}"
    return overlay


def propose(observations: Iterable[dict[str, Any]], out_dir: Path, schema_dir: str | None = None) -> list[Path]:
    """Write a proposed schema per schema with observations; return the files written."""
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for item in observations:
        try:
            name = catalog.endpoint(item["endpoint"]).schema
        except KeyError:
            continue
        by_schema.setdefault(name, []).append(item)
    written = []
    for name, items in sorted(by_schema.items()):
        proposed = copy.deepcopy(load(name, schema_dir))
        proposed.setdefault("allOf", []).append(overlay_of(items))
        path = out_dir / f"{name}.json"
        write_atomically(path, json.dumps(proposed, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
