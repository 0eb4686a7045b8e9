"""Which catalogued endpoint a request is for: werkzeug's URL map, with exact static paths looked up first.

Binding werkzeug's ``Map`` to each request's environ and matching it costs more than many
answers. Most requests name a path without placeholders exactly as catalogued, so those are
looked up in a table of (method, path) built from the map itself: each entry is what the map
matches for that method and path. The table is only used where binding could not fail or
change the match: a Host that IDNA encoding takes as it is, no ``Upgrade`` (a WebSocket
request matches no rule), a plain HTTP scheme. Everything else is bound and matched as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from ...catalog import Endpoint

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

_PLACEHOLDER = re.compile(r"\{([^}/]+)\}")
#: A host name of ASCII labels of 1 to 63 characters (IDNA encoding leaves it as it is), maybe with a port.
_PLAIN_HOST = re.compile(r"(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}\.?(?::[0-9]*)?")
_PLAIN_SCHEMES = frozenset({"http", "https"})


class Router:
    """Matches requests to endpoints: ``url_map`` (werkzeug), and its exact static paths in a table."""

    def __init__(self, endpoints: Iterable[Endpoint]) -> None:
        rules = [
            Rule(_PLACEHOLDER.sub(r"<\1>", item.full_path), endpoint=item, methods=list(item.methods))
            for item in endpoints
        ]
        self.url_map = Map(rules, strict_slashes=False, merge_slashes=False)
        self._exact = self._exact_paths()

    def _exact_paths(self) -> dict[tuple[str, str], Endpoint]:
        """Return the endpoint the map matches for each method and path of a rule without placeholders."""
        adapter = self.url_map.bind("localhost")
        table: dict[tuple[str, str], Endpoint] = {}
        for rule in self.url_map.iter_rules():
            if rule.arguments:
                continue
            for method in rule.methods or ():
                try:
                    endpoint, _ = adapter.match(rule.rule, method)
                except HTTPException:
                    continue
                table[(method, rule.rule)] = cast(Endpoint, endpoint)
        return table

    def match(self, environ: WSGIEnvironment, path: str) -> tuple[Endpoint, Mapping[str, Any]]:
        """Return the endpoint of a request and its path arguments; werkzeug's 404 or 405 when there is none."""
        if _plainly_bound(environ):
            found = self._exact.get((environ["REQUEST_METHOD"].upper(), path))
            if found is not None:
                return found, {}
        endpoint, args = self.url_map.bind_to_environ(environ).match()
        return cast(Endpoint, endpoint), args


def _plainly_bound(environ: WSGIEnvironment) -> bool:
    """Whether binding the map to this environ cannot fail and matches as binding to any plain host does."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
    return (
        "REQUEST_METHOD" in environ
        and "HTTP_UPGRADE" not in environ
        and environ.get("wsgi.url_scheme") in _PLAIN_SCHEMES
        and _PLAIN_HOST.fullmatch(host) is not None
    )
