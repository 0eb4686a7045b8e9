"""The run's secrets (the key pair tests sign with, every Authent sent) and their removal from text.

One ``vault`` per process holds them. Cassettes are scanned against it before they are written,
and pytest's reports (tracebacks, ``--showlocals``, captured output and logs) are redacted with it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

#: An Authent: base64 of a 64-byte HMAC-SHA512.
_SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")
#: Shorter strings are not treated as secrets (nothing is a secret because it is short).
_MIN_SECRET = 8
API_KEY = "the API key"
API_SECRET = "the API secret"
SIGNATURE = "an Authent signature sent in this run"
_LABELS = {API_KEY: "<redacted api key>", API_SECRET: "<redacted api secret>", SIGNATURE: "<redacted Authent>"}


class Vault:
    """What must never be written or shown: credential values, in every form they travel, and signatures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forms: dict[str, str] = {}
        self._signatures: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        #: The key pairs registered, each with every form it takes.
        self._pairs: set[tuple[str, str]] = set()

    def __repr__(self) -> str:
        return f"<Vault of {len(self._forms)} credential forms and {len(self._signatures)} signatures>"

    @property
    def empty(self) -> bool:
        """Whether nothing has been registered (the plugin was not used in this process)."""
        return not self._forms and not self._signatures

    def add_credentials(self, api_key: str, api_secret: str) -> None:
        """Register a key pair, with the forms it can take in URLs, JSON and Python reprs."""
        with self._lock:
            if (api_key, api_secret) in self._pairs:
                return
            self._pairs.add((api_key, api_secret))
            for value, label in ((api_key, API_KEY), (api_secret, API_SECRET)):
                self._add_value(value, label)
            try:
                decoded = base64.b64decode(api_secret + "=" * (-len(api_secret) % 4))
            except (binascii.Error, ValueError):
                decoded = b""
            self._add_value(repr(decoded)[2:-1], API_SECRET)

    def add_request_headers(self, headers: Mapping[str, Any]) -> None:
        """Register the APIKey and Authent of a request that is about to be sent."""
        for name, value in headers.items():
            text = value[0] if isinstance(value, list) and value else value
            if not isinstance(text, (str, bytes)):
                continue
            text = text.decode("latin-1") if isinstance(text, bytes) else text
            lowered = str(name).lower()
            if lowered == "authent" and text:
                with self._lock:
                    self._signatures.add(text)
            elif lowered == "apikey":
                with self._lock:
                    self._add_value(text, API_KEY)

    def _add_value(self, value: str, label: str) -> None:
        """Register a secret in its raw and URL-encoded forms (too short a value is no secret)."""
        if len(value) < _MIN_SECRET:
            return
        for form in {value, quote(value, safe=""), quote_plus(value)}:
            if form not in self._forms:
                self._forms[form] = label
                self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        """Return one pattern of every registered form (rebuilt when one is added)."""
        if self._pattern is None and self._forms:
            alternatives = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(item) for item in alternatives))
        return self._pattern

    def leaks(self, text: str) -> list[str]:
        """Return what of the vault a text holds (labels, each once, in order of appearance)."""
        found: list[str] = []
        pattern = self._compiled()
        if pattern is not None:
            for match in pattern.finditer(text):
                label = self._forms[match.group(0)]
                if label not in found:
                    found.append(label)
        if self._signatures and any(match in self._signatures for match in _SIGNATURE.findall(text)):
            found.append(SIGNATURE)
        return found

    def redact(self, text: str) -> str:
        """Return text with every secret of the vault replaced by a label."""
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub(lambda match: _LABELS[self._forms[match.group(0)]], text)
        if self._signatures:
            text = _SIGNATURE.sub(
                lambda match: _LABELS[SIGNATURE] if match.group(0) in self._signatures else match.group(0), text
            )
        return text


vault = Vault()
_log_lock = threading.Lock()
_logs_redacted = False


def redact_logs() -> None:
    """Pass every log record through the vault from now on: captured, live (``log_cli``) and file logs alike."""
    global _logs_redacted
    with _log_lock:
        if _logs_redacted:
            return
        _logs_redacted = True
        make_record = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        """Make a record as before, then take the run's secrets out of its message."""
        record = make_record(*args, **kwargs)
        if vault.empty:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it when the record is emitted
            return record
        redacted_message = vault.redact(message)
        if redacted_message != message:
            record.msg, record.args = redacted_message, None
        return record

    logging.setLogRecordFactory(factory)


def redacted(value: Any, depth: int = 0) -> Any:
    """Return a report part (strings, lists, tuples, pytest's traceback dataclasses) with secrets removed."""
    if isinstance(value, str):
        return vault.redact(value)
    if depth > 12:
        return value
    if isinstance(value, list):
        value[:] = [redacted(item, depth + 1) for item in value]
        return value
    if isinstance(value, tuple):
        return tuple(redacted(item, depth + 1) for item in value)
    if isinstance(value, dict):
        for key in list(value):
            value[key] = redacted(value[key], depth + 1)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            object.__setattr__(value, item.name, redacted(getattr(value, item.name), depth + 1))
    return value


def redact_report(report: Any) -> None:
    """Remove the run's secrets from a test report: its traceback, locals and captured sections."""
    if vault.empty:
        return
    if report.longrepr is not None:
        report.longrepr = redacted(report.longrepr)
    report.sections = [(title, vault.redact(content)) for title, content in report.sections]
