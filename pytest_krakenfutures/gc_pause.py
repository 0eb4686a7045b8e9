"""Python's cyclic garbage collector held off while a cassette is turned into YAML or back.

Building or emitting a large cassette allocates a few hundred thousand small objects (YAML
nodes, mappings, lists) that refer to no cycle; each allocation burst sets off the collector,
which walks every live object again, so that collection grew to about 40% of the time of
saving a thousand-interaction cassette with libyaml. What the block frees goes by reference
counting as usual; the collector runs again when it ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic collector for the block; one already held off (by the caller, or an outer block) stays so."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
