"""vcrpy's patches of every HTTP client, built once per process and pointed at the active test's cassette.

vcrpy builds its patchers for one cassette, trying the imports of every client it knows (boto3,
tornado, httplib2...) each time. Here they are built once, for a stand-in that hands every
attribute to whichever cassette is active. A test then swaps the attributes in and out itself:
what ``mock.patch`` would do for each, without its bookkeeping, as a list of (owner, attribute,
replacement) read once from vcrpy's patchers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

from vcr import patch as vcr_patch
from vcr.patch import CassettePatcherBuilder


class ActiveCassette:
    """What vcrpy's stubs hold as their cassette: the one active now (one at a time in a process)."""

    def __init__(self) -> None:
        object.__setattr__(self, "target", None)
        object.__setattr__(self, "_path", "<the active pytest-krakenfutures cassette>")
        object.__setattr__(self, "custom_patches", ())
        object.__setattr__(self, "skip_patchers", ())

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "target")
        if target is None:
            raise RuntimeError("no pytest-krakenfutures cassette is active; vcrpy's patches were left in place")
        return getattr(target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "target"), name, value)


@dataclass(frozen=True)
class Swap:
    """One attribute vcrpy replaces: where it lives, its name and what takes its place."""

    owner: Any
    attribute: str
    replacement: Any

    def apply(self) -> tuple[bool, Any]:
        """Put the replacement in place; return whether the owner held the attribute itself, and its value."""
        local = self.attribute in vars(self.owner)
        original = getattr(self.owner, self.attribute)
        setattr(self.owner, self.attribute, self.replacement)
        return local, original

    def undo(self, local: bool, original: Any) -> None:
        """Put back what ``apply`` replaced (an inherited attribute is removed, as ``mock.patch`` does)."""
        if local:
            setattr(self.owner, self.attribute, original)
        else:
            delattr(self.owner, self.attribute)


_active = ActiveCassette()
_swaps: list[Swap] = []
#: vcrpy's other patchers (the connection removers, which close the stubs' connections on exit).
_others: list[Any] = []
#: What vcrpy's ``force_reset`` puts back while it builds a real connection: (owner, attribute, original).
_originals: list[tuple[Any, str, Any]] = []


@contextlib.contextmanager
def _force_reset() -> Iterator[None]:
    """Put back the real client classes while vcrpy builds a real connection, as vcrpy's ``force_reset`` does.

    vcrpy rebuilds its list of reset patches (retrying the imports of every client it knows) for
    every connection it creates; the list does not change within a process, so it is read once.
    """
    if not _originals:
        _originals.extend((patch.getter(), patch.attribute, patch.new) for patch in vcr_patch.reset_patchers())
    replaced = [(owner, attribute, getattr(owner, attribute)) for owner, attribute, _ in _originals]
    for owner, attribute, original in _originals:
        setattr(owner, attribute, original)
    try:
        yield
    finally:
        for (owner, attribute, current), (_, _, original) in zip(replaced, _originals, strict=True):
            # What replaced the original meanwhile (a newer cassette's patch) stays, as in vcrpy's force_reset.
            if getattr(owner, attribute) is original:
                setattr(owner, attribute, current)


def _build() -> None:
    """Read vcrpy's patchers, built once for the stand-in cassette, into swaps and the rest."""
    for patcher in CassettePatcherBuilder(_active).build():
        if isinstance(patcher, mock._patch) and patcher.new is not mock.DEFAULT:
            _swaps.append(Swap(patcher.getter(), patcher.attribute, patcher.new))
        else:
            _others.append(patcher)
    _swaps.append(Swap(vcr_patch, "force_reset", _force_reset))


@contextlib.contextmanager
def patched_for(cassette: Any) -> Iterator[None]:
    """Route every client vcrpy intercepts to ``cassette`` while the block runs."""
    if object.__getattribute__(_active, "target") is not None:
        raise RuntimeError("a pytest-krakenfutures cassette is already active in this process")
    if not _swaps:
        _build()
    object.__setattr__(_active, "target", cassette)
    undone: list[tuple[Swap, bool, Any]] = []
    try:
        for swap in _swaps:
            undone.append((swap, *swap.apply()))
        # The connection removers leave first, closing the stubs' connections while the stubs are in place.
        with contextlib.ExitStack() as others:
            for other in _others:
                others.enter_context(other)
            yield
    finally:
        for swap, local, original in reversed(undone):
            swap.undo(local, original)
        object.__setattr__(_active, "target", None)
