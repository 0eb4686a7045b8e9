"""Bounded records of orders that left the book: the recent ones by time, the filled ones by count."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, ValuesView
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar


class Timed(Protocol):
    """Anything with the time it happened."""

    @property
    def time(self) -> datetime:
        """When it happened."""


T = TypeVar("T", bound=Timed)
V = TypeVar("V")
Item = TypeVar("Item")


class _Kept(Generic[Item]):
    """Items by id in the order they came, read like a mapping (what the bounded kinds below share)."""

    _items: OrderedDict[str, Item]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def values(self) -> ValuesView[Item]:
        """The items, oldest first."""
        return self._items.values()


class Recent(_Kept[T]):
    """Items by id, forgotten once they are ``memory`` older than the newest one (time only moves forward)."""

    def __init__(self, memory: timedelta) -> None:
        self.memory = memory
        self._items: OrderedDict[str, T] = OrderedDict()

    def __setitem__(self, key: str, item: T) -> None:
        self._items[key] = item
        while self._items:
            oldest = next(iter(self._items.values()))
            if item.time - oldest.time <= self.memory:
                break
            self._items.popitem(last=False)


class Latest(_Kept[V]):
    """The latest ``kept`` items by id (the oldest forgotten first)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._items: OrderedDict[str, V] = OrderedDict()

    def __setitem__(self, key: str, item: V) -> None:
        self._items[key] = item
        if len(self._items) > self.kept:
            self._items.popitem(last=False)

    def get(self, key: str) -> V | None:
        """Return the item with this id, or ``None``."""
        return self._items.get(key)
