"""What the server reads off a connection: the request's HTTP version, its header fields and a counted body."""

from __future__ import annotations

from typing import IO, Any, overload


def version_number(version: str) -> tuple[int, int] | None:
    """Return ``HTTP/major.minor`` as two numbers, or ``None`` when it is no HTTP version."""
    if not version.startswith("HTTP/"):
        return None
    parts = version[5:].split(".")
    if len(parts) != 2 or not all(part.isdigit() and len(part) <= 10 for part in parts):
        return None
    return int(parts[0]), int(parts[1])


class CountingInput:
    """A request body stream that counts the bytes the application read from it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        """Read like the socket's file, counting the bytes."""
        data = self._stream.read(size)
        self.consumed += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        """Read one line like the socket's file, counting the bytes."""
        data = self._stream.readline(size)
        self.consumed += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        """Read into a buffer like the socket's file, counting the bytes."""
        count = self._stream.readinto(buffer)  # type: ignore[attr-defined]
        self.consumed += count or 0
        return int(count or 0)

    def __iter__(self) -> CountingInput:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class HeaderFields:
    """A request's header fields in order; a name is looked up without regard to case, as ``HTTPMessage`` does.

    The handler reads ``get`` and ``get_all``, and werkzeug's ``make_environ`` reads ``items``:
    this answers them as ``http.client.HTTPMessage`` does (first value, every value, all fields)
    without building an ``email.message.Message`` per request.
    """

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._fields = fields
        self._values: dict[str, list[str]] = {}
        for name, value in fields:
            self._values.setdefault(name.lower(), []).append(value)

    @overload
    def get(self, name: str) -> str | None: ...

    @overload
    def get(self, name: str, failobj: str) -> str: ...

    def get(self, name: str, failobj: str | None = None) -> str | None:
        """Return the value of the first field of this name, else ``failobj``."""
        values = self._values.get(name.lower())
        return values[0] if values else failobj

    def get_all(self, name: str) -> list[str] | None:
        """Return the value of every field of this name, in order, or ``None`` when there is none."""
        values = self._values.get(name.lower())
        return list(values) if values else None

    def items(self) -> list[tuple[str, str]]:
        """Return every field as (name, value), in order."""
        return list(self._fields)
