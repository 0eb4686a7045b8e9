"""Why a request has no recorded answer, what was closest, and the command that would record it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .persister import BESIDE_SUFFIXES

if TYPE_CHECKING:
    from .context import CassetteContext

_MAX_BODY = 300


def describe_request(request: Any) -> str:
    """Return ``METHOD /path?query with body '...'`` for a vcrpy request (the body cut to a readable length)."""
    parts = urlsplit(request.uri)
    what = f"{request.method} {parts.path}" + (f"?{parts.query}" if parts.query else "")
    body = request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body:
        shown = body if len(body) <= _MAX_BODY else body[:_MAX_BODY] + "..."
        what += f" with body {shown!r}"
    return what


def explain_miss(context: CassetteContext, cassette: Any, request: Any) -> str:
    """Say why a request has no recorded answer and which option would record it."""
    what = describe_request(request)
    host = urlsplit(request.uri).hostname
    record = context.record_command
    if not context.path.exists():
        lines = [
            f"no cassette {context.path} for {context.test_id}, and {context.mode_text} does "
            f"not record; {what} was not sent to {host}. Record it with: {record}"
        ]
    else:
        lines = [
            f"cassette {context.path} has no unplayed answer for {what}; with {context.mode_text} "
            f"it was not sent to {host}."
        ]
        similar = list(cassette.find_requests_with_most_matches(request))
        for recorded, _succeeded, failed in similar[:3]:
            if not failed:
                continue
            differences = "; ".join(f"{name}: {' '.join(str(message).split())}" for name, message in failed)
            lines.append(
                f"  closest recorded: {recorded.method} {urlsplit(recorded.uri).path} differs in {differences}"
            )
        if similar and not similar[0][2]:
            lines.append("  every matching recorded answer was already played: the test makes this call more often")
        lines.append(
            "To record the difference: --kf-record-mode=new_episodes (add) or --kf-record-mode=rewrite (start over)"
        )
    for suffix in BESIDE_SUFFIXES.values():
        kept = context.path.with_name(context.path.name + suffix)
        if kept.exists():
            lines.append(f"  a recording an earlier run did not keep is in {kept}")
    return "\n".join(lines)
