"""``assert_contract``: check a response's envelope, outcome and schema, and explain any breach."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import catalog
from ._bodies import as_text
from ._format import MAX_LISTED, describe, listing, ordered, short
from .coverage import documented_statuses
from .errors import ContractUsageError, ContractViolation, UnknownEndpoint
from .observations import UNKNOWN_VALUE, collector, observe
from .outcome import RESULTS, Outcome, classify, describe_not_performed, performed
from .schemas import validator
from .validators import fast_validator

ERROR_SCHEMA = "error"
#: HTTP 204: the request succeeded and there is nothing to show (market share before aggregation).
NO_CONTENT = 204

#: What usually causes each error code, said to the user first.
HINTS: dict[str, str] = {
    "authenticationError": (
        "the request was not authenticated: check KRAKEN_FUTURES_API_KEY / KRAKEN_FUTURES_API_SECRET "
        "and that the signed path and parameters are the ones sent"
    ),
    "nonceBelowThreshold": "the nonce went backwards: another client may share this key with a larger nonce",
    "nonceDuplicate": "a nonce was used twice: two processes share the key without a shared nonce source",
    "apiLimitExceeded": "the rate limit was hit: slow down or spread calls over time",
    "requiredArgumentMissing": "a required parameter is missing from the request",
    "invalidArgument": "a parameter has a value Kraken does not accept",
}


def assert_contract(
    response_or_body: Any,
    endpoint: str | None = None,
    *,
    outcome: str | None = None,
) -> Any:
    """Check a response against its endpoint's contract and return the decoded JSON body.

    ``response_or_body`` is a ``requests`` (or ``httpx``) response, a decoded JSON body, JSON text
    or bytes. Raises ``ContractViolation`` naming the endpoint and the likeliest cause, then every
    schema violation with its JSON path. ``outcome`` states what the test expects:
    ``"success"``, ``"error"``, ``"error:<code>"`` or an order status such as
    ``"insufficientAvailableFunds"``; left out, success and (for order operations) the
    operation performed.
    """
    __tracebackhide__ = True
    return check(response_or_body, endpoint, outcome=outcome)


def check(
    response_or_body: Any,
    endpoint: str | None = None,
    *,
    outcome: str | None = None,
    schema_dir: str | None = None,
    context: str | None = None,
) -> Any:
    """Do the work of ``assert_contract``, with a user schema directory and context for messages."""
    __tracebackhide__ = True
    if outcome is not None and (not isinstance(outcome, str) or not outcome.strip()):
        raise ContractUsageError(
            f"outcome= must be a string such as 'success', 'error:<code>' or an order status like 'placed', "
            f"not {type(outcome).__name__} {outcome!r}"
        )
    target, label, body, http_status = _subject(response_or_body, endpoint)
    if isinstance(body, NotJson):
        if body.status == NO_CONTENT and not body.text and outcome in (None, "success"):
            return None
        return _check_not_json(body, label, target, outcome, context)
    if target is not None and target.body_format == "csv" and isinstance(body, str):
        if outcome not in (None, "success"):
            _fail(label, f"expected outcome {outcome!r}, got success (a CSV body)", target, classify(body), context)
        _check_csv(body, label, context)
        return body
    _check_envelope(body, label, target, context)
    found = classify(body, target, http_status)
    if outcome is not None:
        if not found.matches(outcome):
            said = f"expected outcome {outcome!r}, got {_said(found, body)}"
            _fail(label, said + _unknown_statuses(outcome, target, schema_dir), target, found, context)
    elif found.result == "error":
        _fail(label, f"expected success, got {_said(found, body)}", target, found, context)
    elif not performed(found, target):
        assert target is not None
        expected = ",".join(found.statuses) if len(set(found.statuses)) > 1 else found.status
        hint = f'; pass outcome="{expected}" if the test expects this'
        _fail(label, describe_not_performed(found, target, body) + hint, target, found, context)
    enveloped = isinstance(body, dict) and isinstance(body.get("result"), str)
    schema_name = ERROR_SCHEMA if found.result == "error" and enveloped else None
    if schema_name is None and found.result == "success":
        schema_name = target.schema if target is not None else None
    if schema_name is not None:
        _validate(body, schema_name, label, target, found, schema_dir, context)
        if schema_name != ERROR_SCHEMA and target is not None:
            collector.add(observe(body, target, schema_dir))
    return body


@dataclass(frozen=True)
class NotJson:
    """A body that did not decode as JSON, with what the response said about itself (when it was one)."""

    text: str | bytes
    status: int | None = None
    content_type: str | None = None


def _check_envelope(body: Any, label: str, target: catalog.Endpoint | None, context: str | None) -> None:
    """Fail a body whose ``result`` is not Kraken's ``success`` or ``error``, or an error that says nothing."""
    __tracebackhide__ = True
    if not isinstance(body, dict) or "result" not in body:
        return
    result = body["result"]
    enveloped = target is None or target.envelope
    if isinstance(result, str) and result not in RESULTS:
        _fail(label, f"the envelope's result is {result!r}: Kraken answers 'success' or 'error'", target, None, context)
    if enveloped and not isinstance(result, str):
        _fail(label, f"the envelope's result is {short(result)}, not 'success' or 'error'", target, None, context)
    if result == "error" and "error" not in body and "errors" not in body:
        _fail(
            label,
            f"an error envelope with neither 'error' nor 'errors': nothing says what failed; body: {short(body)}",
            target,
            None,
            context,
        )


def _unknown_statuses(outcome: str, target: catalog.Endpoint | None, schema_dir: str | None) -> str:
    """When an expected order status is one the endpoint is not known to answer, list the known ones."""
    if target is None or outcome in RESULTS or outcome.startswith("error:"):
        return ""
    known = known_statuses(target, schema_dir)
    if not known:
        return ""
    wanted = [part.strip() for part in outcome.split(",")]
    strange = [part for part in wanted if part not in known]
    if not strange:
        return ""
    return (
        f"; {', '.join(repr(part) for part in strange)} is not a status {target.id} is known to answer "
        f"(documented or seen in this run: {', '.join(known)})"
    )


def known_statuses(target: catalog.Endpoint, schema_dir: str | None = None) -> list[str]:
    """Return the inner statuses an order operation is documented to answer, then those seen in this run."""
    key = catalog.ORDER_STATUS_KEYS.get(target.id)
    if key is None:
        return []
    known = documented_statuses(target, schema_dir)
    path = f"$.{key}[*].status" if target.id == "sendBatchOrder" else f"$.{key}.status"
    for seen in collector.counts():
        if seen.endpoint == target.id and seen.kind == UNKNOWN_VALUE and seen.path == path and seen.detail:
            known.append(seen.detail)
    return list(dict.fromkeys(known))


def _check_not_json(
    body: NotJson, label: str, target: catalog.Endpoint | None, outcome: str | None, context: str | None
) -> str | bytes:
    """Accept a non-JSON error page only when the test expects that error; otherwise say what came back."""
    __tracebackhide__ = True
    found = classify(body.text, target, body.status)
    if outcome is not None and found.result == "error" and found.matches(outcome):
        return body.text
    origin = f" (HTTP {body.status}, {body.content_type})" if body.status is not None else ""
    said = f"the body is not JSON{origin}: {short(body.text)}"
    if outcome is not None:
        said = f"expected outcome {outcome!r}, got {found}; {said}"
    _fail(label, said, target, found, context)
    raise AssertionError("unreachable")  # pragma: no cover


def _check_csv(text: str, label: str, context: str | None) -> None:
    """Check a CSV answer's structure: a header of named columns, and every row as wide as the header."""
    __tracebackhide__ = True
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    problems = []
    if not rows or not any(cell.strip() for cell in rows[0]):
        problems.append("line 1: no header row")
    else:
        header = rows[0]
        if len(set(header)) != len(header):
            problems.append(f"line 1: repeated column names in {short(header)}")
        for number, row in enumerate(rows[1:], start=2):
            if row and len(row) != len(header):
                problems.append(f"line {number}: {len(row)} fields where the header has {len(header)}: {short(row)}")
    if problems:
        count = f"{len(problems)} CSV violation{'s' if len(problems) != 1 else ''}"
        lines = [f"{label}: {count}; likeliest cause: {problems[0]}", *(f"  {p}" for p in problems[:MAX_LISTED])]
        if len(problems) > MAX_LISTED:
            lines.append(f"  ... and {len(problems) - MAX_LISTED} more")
        if context:
            lines.append(context)
        raise ContractViolation("\n".join(lines), endpoint=label)


def _subject(response_or_body: Any, endpoint: str | None) -> tuple[catalog.Endpoint | None, str, Any, int | None]:
    """Return what is checked: the endpoint, how to name it, the decoded body and the HTTP status."""
    __tracebackhide__ = True
    if endpoint is not None and not isinstance(endpoint, str):
        raise ContractUsageError(
            f"endpoint= must be an operation id such as 'getTickers', not {type(endpoint).__name__}"
        )
    target = catalog.endpoint(endpoint) if endpoint is not None else None
    if _is_response(response_or_body):
        return _response_subject(response_or_body, target)
    if isinstance(response_or_body, (bytes, bytearray, memoryview, str, dict, list)):
        if target is None:
            raise UnknownEndpoint("assert_contract needs endpoint= (an operation id such as 'getTickers') for a body")
        return target, str(target), _decoded(response_or_body, target), None
    raise ContractUsageError(
        "assert_contract takes a requests or httpx response, a decoded JSON body (dict or list), JSON text or "
        f"bytes; got {type(response_or_body).__name__}"
        + (" (the call returned nothing?)" if response_or_body is None else "")
    )


def _is_response(value: Any) -> bool:
    """Whether a value looks like an HTTP response of requests or httpx (status, bytes, the request)."""
    return all(hasattr(value, name) for name in ("status_code", "content", "headers", "request"))


def _response_subject(response: Any, target: catalog.Endpoint | None) -> tuple[catalog.Endpoint, str, Any, int]:
    """Return the subject of a response: its endpoint (from its request when not given) and decoded body."""
    __tracebackhide__ = True
    request = response.request
    method = str(request.method or "GET").upper()
    path = urlsplit(str(request.url or getattr(response, "url", ""))).path
    if target is None:
        target = catalog.resolve(method, path)
        if target is None:
            raise UnknownEndpoint(f"{method} {path} is not a Kraken Futures endpoint this plugin knows; pass endpoint=")
    label = f"{method} {path} ({target.id})"
    content_type = response.headers.get("Content-Type", "no content type")
    text = as_text(response.content)
    if target.body_format == "csv" and response.status_code < 400 and text is not None:
        return target, label, text, response.status_code
    return target, label, _json_or_not(response.content, text, response.status_code, content_type), response.status_code


def _decoded(body: Any, target: catalog.Endpoint) -> Any:
    """Return a body a user holds as the JSON it carries (text and bytes decoded first)."""
    if isinstance(body, (dict, list)):
        return body
    raw = bytes(body) if isinstance(body, (bytearray, memoryview)) else body
    text = as_text(raw) if isinstance(raw, bytes) else raw
    if target.body_format == "csv" and text is not None:
        return text
    return _json_or_not(raw, text, None, None)


def _json_or_not(raw: bytes | str, text: str | None, status: int | None, content_type: str | None) -> Any:
    """Return decoded JSON, or a ``NotJson`` holding the start of what came instead."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        start = text if text is not None else raw[:200]
        return NotJson(start, status, content_type)


def _said(found: Outcome, body: Any) -> str:
    if found.result == "error":
        hint = HINTS.get(found.code or "")
        return f"{found}" + (f" ({hint})" if hint else "") + f"; body: {short(body)}"
    return str(found)


def _validate(
    body: Any,
    schema_name: str,
    label: str,
    target: catalog.Endpoint | None,
    found: Outcome,
    schema_dir: str | None,
    context: str | None,
) -> None:
    """Pass a body jsonschema-rs accepts; explain any other with jsonschema's violations, most relevant first."""
    __tracebackhide__ = True
    fast = fast_validator(schema_name, schema_dir)
    verdict = fast.passes(body) if fast is not None else None
    if verdict:
        return
    errors = ordered(validator(schema_name, schema_dir).iter_errors(body))
    if not errors:
        if fast is not None and verdict is not None:
            _disagree(fast.messages(body), schema_name, label, found, context)
        return
    from jsonschema.exceptions import best_match

    headline = describe(best_match(errors))
    count = f"{len(errors)} schema violation{'s' if len(errors) != 1 else ''}"
    lines = [f"{label}: {count} (schema {schema_name}); likeliest cause: {headline}", *listing(errors)]
    if context:
        lines.append(context)
    raise ContractViolation(
        "\n".join(lines), endpoint=label, schema_name=schema_name, errors=errors, outcome=str(found)
    )


def _disagree(messages: list[str], schema_name: str, label: str, found: Outcome, context: str | None) -> None:
    """Fail a body jsonschema-rs rejects and jsonschema accepts: the validators disagree, so it does not pass."""
    __tracebackhide__ = True
    lines = [
        f"{label}: the validators disagree (schema {schema_name}): jsonschema-rs rejects the body and jsonschema "
        f"finds no violation, so it does not pass; jsonschema-rs says: {messages[0] if messages else 'invalid'}",
        *(f"  {message}" for message in messages[:MAX_LISTED]),
    ]
    if len(messages) > MAX_LISTED:
        lines.append(f"  +{len(messages) - MAX_LISTED} more")
    if context:
        lines.append(context)
    raise ContractViolation("\n".join(lines), endpoint=label, schema_name=schema_name, outcome=str(found))


def _fail(label: str, reason: str, target: catalog.Endpoint | None, found: Outcome | None, context: str | None) -> None:
    """Raise the violation of one failed check, with the cassette (or other context) last."""
    __tracebackhide__ = True
    message = f"{label}: {reason}" + (f"\n{context}" if context else "")
    raise ContractViolation(message, endpoint=label, outcome=None if found is None else str(found))


class ContractChecker:
    """``assert_contract`` with a schema directory and a cassette to name in failures (the fixture)."""

    def __init__(self, schema_dir: str | None = None, cassette: Any = None) -> None:
        self.schema_dir = schema_dir
        self.cassette = cassette

    def __repr__(self) -> str:
        return f"<ContractChecker schema_dir={self.schema_dir!r} cassette={str(self.cassette)!r}>"

    def __call__(
        self,
        response_or_body: Any,
        endpoint: str | None = None,
        *,
        outcome: str | None = None,
    ) -> Any:
        """Check a response like ``assert_contract`` and return its decoded body."""
        __tracebackhide__ = True
        context = f"cassette: {self.cassette}" if self.cassette is not None else None
        return check(response_or_body, endpoint, outcome=outcome, schema_dir=self.schema_dir, context=context)
