"""Cassette file names: one per test, from its module, its classes and its name; never two tests on one file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]=,+]+")
#: Fixtures that give a test a cassette of its own.
CASSETTE_FIXTURES = frozenset({"kf_session"})


def cassette_path(cassette_dir: Path, item: pytest.Item) -> Path:
    """Return a test's cassette: ``<cassette dir>/<module path>/<Class.>...<test name>.yaml``."""
    module = Path(str(item.path)).with_suffix("")
    try:
        relative = module.relative_to(item.config.rootpath)
    except ValueError:
        relative = Path(module.name)
    classes = [node.name for node in item.listchain() if isinstance(node, pytest.Class)]
    name = ".".join([*classes, _UNSAFE.sub("_", item.name).strip("_") or "test"])
    return cassette_dir / relative / f"{name}.yaml"


def uses_cassette(item: pytest.Item) -> bool:
    """Whether a collected test records to or replays from a cassette."""
    return bool(CASSETTE_FIXTURES & set(getattr(item, "fixturenames", ())))


#: Set on a test whose cassette another test would share: the message its setup fails with.
collision_key = pytest.StashKey[str]()


def mark_collisions(cassette_dir: Path, items: Iterable[pytest.Item]) -> list[Path]:
    """Mark every test that would share its cassette file with another; return the cassettes tests own."""
    owners: dict[Path, list[pytest.Item]] = {}
    for item in items:
        if uses_cassette(item):
            owners.setdefault(cassette_path(cassette_dir, item), []).append(item)
    for path, sharing in owners.items():
        if len(sharing) < 2:
            continue
        names = " and ".join(item.nodeid for item in sharing)
        for item in sharing:
            item.stash[collision_key] = (
                f"{names} would share the cassette {path}: their names differ only in characters a file name "
                "cannot hold; give one of them another name or parameter id"
            )
    return list(owners)
