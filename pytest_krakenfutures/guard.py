"""The recording guard: which requests may leave for an environment that is not the bundled simulator.

Outside the simulator a request is sent only when its path, normalised the way servers read
paths, is a catalogued endpoint that does not change state, asked with a method it serves.
Everything else needs ``--kf-allow-trading``; moving funds needs ``--kf-allow-transfers`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from . import catalog
from .environments import API_KEY_VAR, API_SECRET_VAR
from .errors import RequestRefused

#: Request headers that make a request a signed one (compared case-insensitively).
SIGNING_HEADERS = frozenset({"apikey", "authent"})
#: Percent-decoding rounds tried before a path that keeps changing is refused as unreadable.
_DECODE_ROUNDS = 4
#: Words that make an unknown path count as moving funds (a new withdrawal endpoint, say).
_FUNDS_WORDS = ("withdraw", "transfer")


def normalised_path(path: str) -> str | None:
    """Return a URL path as a server would route it, lower-case; ``None`` if it cannot be read.

    Percent-encoding is decoded until it stops changing, backslashes count as slashes, repeated
    slashes, ``.`` and ``..`` segments, ``;`` parameters and a trailing slash are resolved away.
    """
    text = path
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    else:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        return None
    segments: list[str] = []
    for raw in text.replace("\\", "/").split("/"):
        segment = raw.split(";", 1)[0]
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return ("/" + "/".join(segments)).lower()


def origin(url: str) -> tuple[str, str]:
    """Return the (scheme, host:port) of a URL, lower-case, with the default port made explicit."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, f"{(parts.hostname or '').lower()}:{port}"


@dataclass(frozen=True)
class RequestGuard:
    """The switches of one recording, and the check every outgoing request passes first.

    ``env`` is what the user asked for (``live``, ``sim`` or a URL); ``env_url`` where that is;
    ``simulator_url`` the bundled simulator's address when it is the target (requests to it are
    never refused); ``has_credentials`` whether the run signs with keys of its own.
    """

    env: str
    env_url: str
    simulator_url: str | None = None
    allow_trading: bool = False
    allow_transfers: bool = False
    has_credentials: bool = True

    def check(self, method: str, url: str, headers: Mapping[str, object] | None = None) -> None:
        """Raise ``RequestRefused`` before a request is sent that this recording may not send."""
        __tracebackhide__ = True
        target = origin(url)
        if self.simulator_url is not None and target == origin(self.simulator_url):
            return
        method = method.upper()
        raw_path = urlsplit(url).path or "/"
        shown = f"{method} {raw_path}"
        signed = any(str(name).lower() in SIGNING_HEADERS for name in headers or {})
        home = origin(self.simulator_url or self.env_url)
        if signed and target != home:
            raise RequestRefused(
                f"refused before sending: {shown} is signed (APIKey/Authent) and addressed to {target[1]}, "
                f"not to the environment {self.env} ({home[1]}); a signed request goes only to the environment "
                "it is recorded from"
            )
        if self.simulator_url is not None:
            where = f"{target[1]} (not the bundled simulator)"
        else:
            where = self.env if target == home else f"{target[1]}"
        path = normalised_path(raw_path)
        if path is None:
            raise RequestRefused(
                f"refused before sending: {shown} has a path that does not decode to a plain one; nothing was sent "
                f"to {where}"
            )
        called = catalog.resolve(method, path)
        at_path = catalog.at_path(path)
        moves_funds = any(item.moves_funds for item in at_path) or (
            not at_path and any(word in path for word in _FUNDS_WORDS)
        )
        if called is not None and not called.mutates and not moves_funds:
            self._check_credentials(shown, called, where)
            return
        needed = ["--kf-allow-trading"] if not self.allow_trading else []
        if moves_funds and not self.allow_transfers:
            needed.append("--kf-allow-transfers")
        if not needed:
            return
        raise RequestRefused(
            f"refused before sending: {shown} {_what(method, path, called, at_path, moves_funds)} on {where}; "
            f"recording it needs {' and '.join(needed)} (or record from --kf-env=sim)"
        )

    def _check_credentials(self, shown: str, called: catalog.Endpoint, where: str) -> None:
        """Refuse a private endpoint when the run has no key pair to sign it with."""
        __tracebackhide__ = True
        if called.private and not self.has_credentials:
            raise RequestRefused(
                f"refused before sending: {shown} ({called.id}) is private and no credentials are set; recording "
                f"it from {where} needs {API_KEY_VAR} and {API_SECRET_VAR} in the environment"
            )


def check_bypass(method: str, url: str, headers: Mapping[str, object] | None = None) -> None:
    """Refuse a signed request to a host that bypasses the cassette (``ignore_hosts``): keys stay with Kraken."""
    __tracebackhide__ = True
    if any(str(name).lower() in SIGNING_HEADERS for name in headers or {}):
        host = urlsplit(url).hostname
        raise RequestRefused(
            f"refused before sending: {method.upper()} {urlsplit(url).path or '/'} is signed (APIKey/Authent) and "
            f"addressed to {host}, a host in ignore_hosts; a signed request goes only through the cassette"
        )


def _what(
    method: str,
    path: str,
    called: catalog.Endpoint | None,
    at_path: tuple[catalog.Endpoint, ...],
    moves_funds: bool,
) -> str:
    """Say why a request is refused: what it calls, or that it calls nothing known."""
    if called is not None:
        return f"({called.id}) {'moves funds' if moves_funds else 'changes state'}"
    if at_path:
        served = ", ".join(sorted({f"{item.method} ({item.id})" for item in at_path}))
        kind = "moves funds" if moves_funds else "changes state" if any(i.mutates for i in at_path) else "reads"
        return f"asks a path served for {served}, which {kind}, with {method}"
    return f"is not an endpoint known to be read-only ({path}{', which may move funds' if moves_funds else ''})"
