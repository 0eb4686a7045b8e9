"""Bodies as text: the one decoding rule the contract checks and the scrubber share."""

from __future__ import annotations


def as_text(body: bytes | str) -> str | None:
    """Return a body as text, or ``None`` when it is not UTF-8."""
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None
