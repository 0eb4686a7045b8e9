"""Parsed cassettes kept in pytest's cache folder, so that an unchanged cassette is not parsed from YAML again.

An entry is named by a digest of the cassette's whole text and holds what parsing that text
gave, in ``marshal``'s format (the one Python's own bytecode cache uses; reading it runs no
code). A cassette that changes in any byte has another digest, so an entry is never stale; an
entry written by another version of the plugin or of Python, or damaged, is parsed again and
replaced. Only plain data is kept (mappings, lists, text, bytes, numbers): a cassette whose
YAML makes anything else is parsed every time. Entries not read for ``UNUSED_DAYS`` are
removed at the end of a run; ``pytest --cache-clear`` removes them all.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ._version import __version__

#: The folder under pytest's cache (``.pytest_cache/d/``) that holds the entries.
CACHE_NAME = "kf-cassettes"
#: What an entry must start with to be read: its layout, the plugin's version and Python's.
_STAMP = (1, __version__, sys.version_info[:2])
#: An entry read after this long gets a new modification time, so that pruning keeps it.
_TOUCH_AFTER = 24 * 3600.0
#: Entries not read for this many days are removed at the end of a run.
UNUSED_DAYS = 14
_SUFFIX = ".marshal"


#: The folder a run keeps parsed cassettes in, once a cassette has asked for it.
_folder_key = pytest.StashKey["Path | None"]()


def folder_of(config: pytest.Config) -> Path | None:
    """Return the run's folder of parsed cassettes, made on first use (none without pytest's cache plugin)."""
    if _folder_key not in config.stash:
        cache = getattr(config, "cache", None)
        try:
            config.stash[_folder_key] = None if cache is None else Path(cache.mkdir(CACHE_NAME))
        except OSError:
            config.stash[_folder_key] = None
    return config.stash[_folder_key]


def used_folder(config: pytest.Config) -> Path | None:
    """Return the folder of parsed cassettes if this process used one (``None``: no cassette was loaded)."""
    return config.stash.get(_folder_key, None)


class ParsedCassettes:
    """The parsed cassettes of one cache folder (or none: every cassette is parsed)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def document(self, text: str, parse: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        """Return what ``parse`` gives for a cassette's text, from the folder when it was parsed before."""
        if self.folder is None:
            return parse(text)
        entry = self.folder / (hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest() + _SUFFIX)
        kept = _read(entry)
        if kept is not None:
            return kept
        document = parse(text)
        _write(entry, document)
        return document


def _read(entry: Path) -> dict[str, Any] | None:
    """Return an entry's document (``None`` if there is none, or it is damaged or from another version)."""
    try:
        with open(entry, "rb") as file:
            data = file.read()
            modified = os.fstat(file.fileno()).st_mtime
        stamp, document = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stamp != _STAMP or not isinstance(document, dict):
        return None
    if time.time() - modified > _TOUCH_AFTER:
        _touch(entry)
    return document


def _touch(entry: Path) -> None:
    """Mark an entry as read now (a folder that cannot be written is left as it is)."""
    with contextlib.suppress(OSError):
        os.utime(entry)


def _write(entry: Path, document: dict[str, Any]) -> None:
    """Keep a parsed document in its entry, atomically; a document or folder that cannot be kept is not."""
    try:
        data = marshal.dumps((_STAMP, document))
    except ValueError:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def prune(folder: Path | None, *, now: float | None = None) -> int:
    """Remove the entries not read for ``UNUSED_DAYS`` (and stray temporary files); return how many."""
    if folder is None:
        return 0
    horizon = (time.time() if now is None else now) - UNUSED_DAYS * 86400
    removed = 0
    try:
        listed = list(os.scandir(folder))
    except OSError:
        return 0
    for item in listed:
        if not item.name.endswith((_SUFFIX, ".tmp")):
            continue
        try:
            if item.stat().st_mtime < horizon:
                os.unlink(item.path)
                removed += 1
        except OSError:
            continue
    return removed
