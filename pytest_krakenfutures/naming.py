"""Cassette file names: one per test, from its module, its classes and its name; never two tests on one file."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]=,+]+")
#: Fixtures that give a test a cassette of its own.
CASSETTE_FIXTURES = frozenset({"kf_session", "kf_cassette", "kf_base_url", "kf_ccxt_config", "kf_kraken_sdk_config"})
#: Markers that give a test a cassette of its own: the cassette's settings, the simulator state to start from.
CASSETTE_MARKERS = ("kf_cassette", "kf_state")


#: A test's cassette as last worked out: the cassette directory and chosen name it was worked out for, and the file.
_path_key = pytest.StashKey[tuple[Path, str, Path]]()


def cassette_path(cassette_dir: Path, item: pytest.Item) -> Path:
    """Return a test's cassette: ``<cassette dir>/<module path>/<Class.>...<test name>.yaml``.

    A ``name`` given to the ``kf_cassette`` marker replaces the file name (``.yaml`` is added when
    it has no suffix); it stays inside the module's cassette directory. The answer is kept on the
    test (collection works it out, and the test's setup asks again) while directory and name hold.
    """
    chosen = _chosen_name(item)
    kept = item.stash.get(_path_key, None)
    if kept is not None and kept[1] == chosen and kept[0] == cassette_dir:
        return kept[2]
    path = _worked_out(cassette_dir, item, chosen)
    item.stash[_path_key] = (cassette_dir, chosen, path)
    return path


def _worked_out(cassette_dir: Path, item: pytest.Item, chosen: str) -> Path:
    """Work out ``cassette_path`` for a test and the name its marker chose."""
    relative = _module_folder(str(item.path), item.config.rootpath)
    if chosen:
        file_name = chosen
        return cassette_dir / relative / (file_name if Path(file_name).suffix else f"{file_name}.yaml")
    classes = [node.name for node in item.listchain() if isinstance(node, pytest.Class)]
    name = ".".join([*classes, _UNSAFE.sub("_", item.name).strip("_") or "test"])
    return cassette_dir / relative / f"{name}.yaml"


@functools.lru_cache(maxsize=1024)
def _module_folder(module_file: str, rootpath: Path) -> Path:
    """Return where a test module's cassettes go, relative to the cassette directory (one answer per module)."""
    module = Path(module_file).with_suffix("")
    try:
        return module.relative_to(rootpath)
    except ValueError:
        return Path(module.name)


def uses_cassette(item: pytest.Item) -> bool:
    """Whether a collected test records to or replays from a cassette."""
    if CASSETTE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return any(item.get_closest_marker(name) is not None for name in CASSETTE_MARKERS)


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
        named = any(_chosen_name(item) for item in sharing)
        why = (
            "kf_cassette(name=...) gives them one file"
            if named
            else ("their names differ only in characters a file name cannot hold")
        )
        for item in sharing:
            item.stash[collision_key] = (
                f"{names} would share the cassette {path}: {why}; each test records its own cassette, so give one "
                "of them another name, parameter id or kf_cassette(name=...)"
            )
    return list(owners)


def _chosen_name(item: pytest.Item) -> str:
    """Return the cassette name a test's ``kf_cassette`` marker gives (``''`` when it gives none)."""
    marker = item.get_closest_marker("kf_cassette")
    chosen = marker.kwargs.get("name") if marker is not None else None
    return chosen.strip() if isinstance(chosen, str) else ""
