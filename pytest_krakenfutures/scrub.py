"""Account identifiers and secrets out of a cassette: the same value always by the same placeholder.

A ``Scrubber`` belongs to one cassette. It learns the values of identity fields (``accountUid``,
``email``, ``fromUser``...) wherever it meets them, in response bodies and in request paths,
queries and bodies, and replaces every occurrence of a learned value, and of the run's API key
and secret, with a placeholder. A placeholder is derived from the value by a keyed hash, so the
same value reads the same in every cassette, in every run, recorded or replayed: a test that
writes an identifier into a request itself still matches its recording. A placeholder does not
contain its value; a value that can be guessed (an e-mail address) can be checked against it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from itertools import chain
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit, urlunsplit

from . import catalog
from ._bodies import as_text

#: The key of the placeholder hash: fixed, so that recording and replay agree without any secret.
PLACEHOLDER_KEY = "pytest-krakenfutures placeholder v1"
#: Fields whose values identify an account or a person, compared without case, ``_`` or ``-``.
IDENTITY_FIELDS = frozenset(
    {
        "accountuid",
        "masteraccountuid",
        "subaccountuid",
        "useruid",
        "accountid",
        "fromuser",
        "touser",
        "email",
        "fullname",
        "address",
        "withdrawaladdress",
        "apikey",
        "iiban",
    }
)
#: Path parameters of catalogued endpoints that carry an account identifier.
IDENTITY_PATH_PARAMETERS = frozenset({"{subaccountUid}"})
#: The catalogued endpoints whose paths carry an account identifier (a request's path is matched only to these).
_IDENTITY_ENDPOINTS = tuple(
    item for item in catalog.endpoints() if IDENTITY_PATH_PARAMETERS & set(item.full_path.split("/"))
)
#: Every placeholder starts so; a value that already does is never replaced again.
PLACEHOLDER_PREFIX = "redacted-"
#: Numeric placeholders (for ``accountId``) lie in this range, so they are never replaced again.
NUMBER_PLACEHOLDERS = range(999_000_000_000, 1_000_000_000_000)
#: The run's own API key and secret read the same in every cassette, whichever keys recorded it.
CREDENTIAL_PLACEHOLDERS = (f"{PLACEHOLDER_PREFIX}api-key", f"{PLACEHOLDER_PREFIX}api-secret")
#: Values at least this long are replaced inside longer strings too; shorter ones only whole.
SUBSTRING_MIN = 12
_FORM = "application/x-www-form-urlencoded"
_PATH_SAFE = "-._~!$&'()*+,;=:@"


def field_key(name: str) -> str:
    """Return a field name as identity fields are compared: lower-case, without ``_`` and ``-``."""
    return name.lower().replace("_", "").replace("-", "")


def is_placeholder(value: str) -> bool:
    """Whether a string is a placeholder written by a scrubber."""
    return value.startswith(PLACEHOLDER_PREFIX)


class Scrubber:
    """Learns identity values and replaces them, with the run's key pair, by stable placeholders.

    ``credentials`` is the (key, secret) the run signs with: they become ``redacted-api-key`` and
    ``redacted-api-secret``, so a cassette does not change when the keys that record it do.
    """

    def __init__(
        self,
        key: str = PLACEHOLDER_KEY,
        *,
        credentials: tuple[str, str] | None = None,
        fields: Iterable[str] = (),
    ) -> None:
        self._key = key.encode("utf-8")
        self.fields = IDENTITY_FIELDS | {field_key(name) for name in fields}
        self._known: dict[str, str] = {}
        self._numbers: dict[int, int] = {}
        self._number_keys: set[str] = set()
        self._table: tuple[re.Pattern[str], dict[str, str]] | None = None
        self._number_pattern: re.Pattern[str] | None = None
        #: What was scrubbed in this run, by identity, with how much was known once it was scrubbed.
        self._scrubbed: dict[int, tuple[Any, int]] = {}
        self.paused = False
        if credentials is not None:
            for value, label in zip(credentials, CREDENTIAL_PLACEHOLDERS, strict=True):
                if value:
                    self._known[value] = label

    def __repr__(self) -> str:
        return f"<Scrubber of {len(self._known) + len(self._numbers)} values>"

    # -- what is known ---------------------------------------------------------------------------

    def placeholder(self, value: str) -> str:
        """Return the placeholder of a value (e-mail addresses keep an address's shape)."""
        digest = self._digest(value)[:12]
        if "@" in value:
            return f"{PLACEHOLDER_PREFIX}{digest}@example.invalid"
        return f"{PLACEHOLDER_PREFIX}{digest}"

    def learn(self, value: str) -> None:
        """Remember a value to replace wherever it appears from now on."""
        if value and not is_placeholder(value) and value not in self._known:
            self._known[value] = self.placeholder(value)
            self._table = None

    def learn_number(self, key: str, value: int) -> None:
        """Remember a numeric identifier (such as ``accountId``) under the field it was found in."""
        if value and value not in self._numbers and value not in NUMBER_PLACEHOLDERS:
            offset = int(self._digest(str(value))[:12], 16) % len(NUMBER_PLACEHOLDERS)
            self._numbers[value] = NUMBER_PLACEHOLDERS[offset]
        if key not in self._number_keys:
            self._number_keys.add(key)
            self._number_pattern = None

    def _learned(self) -> int:
        """Return how much is known: it only grows, and scrubbing again changes nothing while it stays the same."""
        return len(self._known) + len(self._numbers) + len(self._number_keys)

    def _mark_scrubbed(self, item: Any) -> None:
        """Remember that an interaction's request or response was scrubbed with everything known now."""
        self._scrubbed[id(item)] = (item, self._learned())

    def _up_to_date(self, item: Any) -> bool:
        """Whether an item was scrubbed in this run and nothing was learned since."""
        scrubbed, learned = self._scrubbed.get(id(item), (None, -1))
        return scrubbed is item and learned == self._learned()

    def _digest(self, value: str) -> str:
        """Return the keyed hash a value's placeholder is made from."""
        return hmac.new(self._key, b"kf-placeholder\x1f" + value.encode("utf-8"), hashlib.sha256).hexdigest()

    # -- replacing in text -----------------------------------------------------------------------

    def text(self, text: str) -> str:
        """Return text with every known value replaced (long ones anywhere, short ones as JSON strings)."""
        pattern, table = self._compiled()
        if table:
            text = pattern.sub(lambda match: table[match.group(0)], text)
        if self._numbers:
            text = self._numbers_pattern().sub(self._number_replacement, text)
        return text

    def _numbers_pattern(self) -> re.Pattern[str]:
        """Return the pattern of the numeric identity fields seen so far (compiled once per new field)."""
        if self._number_pattern is None:
            keys = "|".join(re.escape(key) for key in sorted(self._number_keys))
            self._number_pattern = re.compile(f'("(?:{keys})"\\s*:\\s*)(-?\\d+)(?![\\d.eE])')
        return self._number_pattern

    def _number_replacement(self, match: re.Match[str]) -> str:
        """Return a matched numeric identity field with its placeholder number."""
        number = int(match.group(2))
        return match.group(1) + str(self._numbers.get(number, number))

    def binary(self, data: bytes) -> bytes:
        """Return bytes that are not text with the long known values (the API key, say) replaced."""
        for real, fake in self._known.items():
            if len(real) >= SUBSTRING_MIN:
                data = data.replace(real.encode("utf-8"), fake.encode("utf-8"))
        return data

    def value(self, value: str) -> str:
        """Return a single field value with known values replaced (a whole short value included)."""
        return self._known.get(value) or self.text(value)

    def _compiled(self) -> tuple[re.Pattern[str], dict[str, str]]:
        """Return one pattern of every known value, and what each match becomes (rebuilt when one is learned)."""
        if self._table is None:
            table: dict[str, str] = {}
            for real, fake in self._known.items():
                for form_real, form_fake in {(real, fake), (_json_inner(real), _json_inner(fake))}:
                    if len(real) >= SUBSTRING_MIN:
                        table[form_real] = form_fake
                    else:
                        table[f'"{form_real}"'] = f'"{form_fake}"'
            alternatives = sorted(table, key=len, reverse=True)
            pattern = re.compile("|".join(re.escape(item) for item in alternatives)) if table else re.compile("(?!)")
            self._table = (pattern, table)
        return self._table

    # -- learning from structures ----------------------------------------------------------------

    def learn_json(self, node: Any) -> None:
        """Learn the identity values of a parsed JSON document."""
        if isinstance(node, dict):
            for key, child in node.items():
                if isinstance(key, str) and field_key(key) in self.fields:
                    if isinstance(child, str):
                        self.learn(child)
                    elif isinstance(child, int) and not isinstance(child, bool):
                        self.learn_number(key, child)
                self.learn_json(child)
        elif isinstance(node, list):
            for child in node:
                self.learn_json(child)

    def _learn_json_text(self, text: str) -> bool:
        """Learn from text that looks like JSON; return whether it did."""
        if text.lstrip()[:1] not in ("{", "["):
            return False
        with contextlib.suppress(ValueError):
            self.learn_json(json.loads(text))
        return True

    def body(self, text: str, content_type: str = "") -> str:
        """Learn from and scrub a request or response body (JSON, form-encoded or plain text)."""
        if self._learn_json_text(text):
            return self.text(text)
        if _FORM in content_type.lower() or _looks_like_form(text):
            return self.pairs(text)
        return self.text(text)

    def pairs(self, text: str) -> str:
        """Learn from and scrub ``a=b&c=d`` text, re-encoding only the values that change."""
        if not text:
            return text
        segments = text.split("&")
        decoded = []
        for segment in segments:
            name, equals, raw = segment.partition("=")
            field, value = unquote_plus(name), unquote_plus(raw)
            decoded.append((name, equals, raw, value))
            if field_key(field) in self.fields:
                self.learn(value)
            else:
                self._learn_json_text(value)
        out = []
        for (name, equals, _raw, value), segment in zip(decoded, segments, strict=True):
            scrubbed = self.value(value)
            out.append(segment if scrubbed == value else f"{name}{equals}{quote_plus(scrubbed)}")
        return "&".join(out)

    def uri(self, uri: str) -> str:
        """Learn from and scrub a URL: identity path parameters, known values in the path and the query."""
        parts = urlsplit(uri)
        segments = parts.path.split("/")
        for called in _IDENTITY_ENDPOINTS:
            template = called.full_path.split("/")
            if len(template) == len(segments) and called.serves_path(parts.path):
                for pattern, segment in zip(template, segments, strict=True):
                    if pattern in IDENTITY_PATH_PARAMETERS:
                        self.learn(unquote(segment))
        path_out = []
        for segment in segments:
            value = unquote(segment)
            scrubbed = self.value(value)
            path_out.append(segment if scrubbed == value else quote(scrubbed, safe=_PATH_SAFE))
        query = self.pairs(parts.query)
        return urlunsplit((parts.scheme, parts.netloc, "/".join(path_out), query, parts.fragment))

    # -- vcrpy hooks -----------------------------------------------------------------------------

    def request(self, request: Any) -> Any:
        """Scrub a (canonical copy of a) vcrpy request in place and return it."""
        if self.paused:
            return request
        request.uri = self.uri(request.uri)
        body = request.body
        if isinstance(body, (bytes, str)):
            text = as_text(body)
            if text is not None:
                content_type = str(request.headers.get("Content-Type", "") or "")
                scrubbed = self.body(text, content_type)
                if scrubbed != text:
                    request.body = scrubbed
        self._mark_scrubbed(request)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """Scrub a vcrpy response dictionary (body and kept headers) in place and return it."""
        if self.paused:
            return response
        body = response.get("body")
        if isinstance(body, dict) and isinstance(body.get("string"), (bytes, str)):
            raw = body["string"]
            text = as_text(raw)
            if text is not None:
                scrubbed = self.body(text, _header(response, "content-type"))
                if scrubbed != text:
                    body["string"] = scrubbed.encode("utf-8") if isinstance(raw, bytes) else scrubbed
            elif isinstance(raw, bytes):
                body["string"] = self.binary(raw)
        headers = response.get("headers")
        if isinstance(headers, dict):
            for name, values in headers.items():
                if isinstance(values, list):
                    headers[name] = [self.text(v) if isinstance(v, str) else v for v in values]
                elif isinstance(values, str):
                    headers[name] = self.text(values)
        self._mark_scrubbed(response)
        return response

    def interactions(self, requests: list[Any], responses: list[dict[str, Any]]) -> None:
        """Scrub a whole recording again with everything learned from it, so no early value escapes.

        Nothing is done when every request and response was scrubbed in this run after the last
        value was learned: scrubbing them again would change nothing.
        """
        if all(map(self._up_to_date, chain(requests, responses))):
            return
        for response in responses:
            self.response(response)
        for request in requests:
            self.request(request)
        for response in responses:
            self.response(response)


def _json_inner(value: str) -> str:
    """Return a string as it stands between the quotes of a JSON document."""
    return json.dumps(value)[1:-1]


def _looks_like_form(text: str) -> bool:
    """Whether a body without a content type reads as ``a=b&c=d``."""
    return "=" in text and not any(char in text for char in " \n\r\t")


def _header(response: dict[str, Any], name: str) -> str:
    """Return the first value of a response header, by lower-case name (empty when absent)."""
    for key, values in (response.get("headers") or {}).items():
        if str(key).lower() == name:
            return str(values[0] if isinstance(values, list) and values else values)
    return ""
