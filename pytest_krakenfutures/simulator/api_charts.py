"""Handlers of the charts operations (none served yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import Handler
    from .exchange import Exchange


def handlers(exchange: Exchange) -> dict[str, Handler]:
    """Return the charts handlers by operation id."""
    return {}
