"""Identifiers for orders and executions: random, or reproducible from a seed."""

from __future__ import annotations

import random
import uuid


class IdSource:
    """Hands out uuid4-format strings, from ``random.Random(seed)`` when a seed is given."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def uuid(self) -> str:
        """Return the next id as a lower-case uuid4 string."""
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))
