"""A vcrpy cassette whose lookups cost the same at 10 and at 10,000 interactions.

vcrpy scans every recorded request, with every matcher, several times per request sent. Here
the recorded requests are indexed once by what the base matchers compare (``match_key``), new
interactions join the index as they are recorded, and each request sent is filtered once.
vcrpy's semantics are kept: answers play in recorded order, each once unless repeats are
allowed, and further matchers (``match_on``) still decide among the candidates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vcr import matchers as vcr_matchers
from vcr.cassette import Cassette, CassetteNotFoundError, _run_hooks
from vcr.matchers import requests_match
from vcr.record_mode import RecordMode
from vcr.request import HeadersDict, Request

from . import matching

#: The matcher functions ``match_key`` stands for, in the order cassettes list them.
_BASE = (vcr_matchers.method, vcr_matchers.path, matching.query, matching.body)


class _CheapCopy(Request):  # type: ignore[misc]
    """A view of a vcrpy request whose deep copy (what vcrpy's filters start with) copies only what can change.

    A request's fields are strings, bytes and a parsed URI, which need no copy; its headers (one
    value per name) and a body read from an iterator (a list of chunks) are copied.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Request:
        """Return a plain vcrpy request equal to this one, sharing nothing mutable with it."""
        clone: Request = object.__new__(Request)
        clone.__dict__.update(self.__dict__)
        clone.headers = HeadersDict(self.headers)
        if isinstance(clone.__dict__.get("_body"), list):
            clone.__dict__["_body"] = list(clone.__dict__["_body"])
        return clone


def cheaply_copied(request: Any) -> Any:
    """Return ``request`` as a view that vcrpy's filters copy cheaply (a subclass of Request is left as it is)."""
    if type(request) is not Request:
        return request
    view = object.__new__(_CheapCopy)
    view.__dict__ = request.__dict__
    return view


class IndexedCassette(Cassette):  # type: ignore[misc]
    """A vcrpy cassette with an index of its requests and one filtering of each request sent."""

    _kf_index: dict[tuple[Any, ...], list[int]] | None = None
    _kf_indexed = 0
    _kf_memo: tuple[Any, Any] | None = None

    def _kf_filtered(self, request: Any) -> Any:
        """Return a request as vcrpy's filters make it (``None``: not for the cassette), once per request object."""
        memo = self._kf_memo
        if memo is not None and memo[0] is request:
            return memo[1]
        filtered = self._before_record_request(cheaply_copied(request))
        self._kf_memo = (request, filtered)
        return filtered

    def _kf_further(self) -> tuple[Any, ...] | None:
        """Return the matchers beyond the base ones, or ``None`` when the cassette does not match on the base ones."""
        match_on = tuple(self._match_on)
        if match_on[: len(_BASE)] != _BASE:
            return None
        return match_on[len(_BASE) :]

    def _kf_lookup(self) -> dict[tuple[Any, ...], list[int]]:
        """Return the index of the recorded requests, with the interactions recorded since brought in."""
        index = self._kf_index
        if index is None:
            index = self._kf_index = {}
        for position in range(self._kf_indexed, len(self.data)):
            index.setdefault(matching.match_key(self.data[position][0]), []).append(position)
        self._kf_indexed = len(self.data)
        return index

    def _responses(self, request: Any) -> Iterator[tuple[int, Any]]:
        """Yield the recorded answers whose requests match, in recorded order."""
        further = self._kf_further()
        if further is None:
            yield from super()._responses(request)
            return
        filtered = self._kf_filtered(request)
        if filtered is None:
            return
        key = matching.match_key(filtered)
        if key[3] is matching.JSON_BODY:
            further = (matching.body, *further)
        for position in self._kf_lookup().get(key, ()):
            stored, response = self.data[position]
            if further and not requests_match(filtered, stored, further):
                continue
            yield position, response

    def can_play_response_for(self, request: Any) -> bool:
        """Whether an unplayed recorded answer matches (vcrpy's rule, with the request filtered once)."""
        filtered = self._kf_filtered(request)
        return bool(
            filtered is not None
            and self.record_mode != RecordMode.ALL
            and (self.rewound or self.allow_playback_repeats)
            and request in self
        )

    def filter_request(self, request: Any) -> Any:
        """Return a request as the cassette's filters make it (once per request object)."""
        return self._kf_filtered(request)

    def _load(self) -> None:
        """Load the recorded interactions, through the load and record hooks, without copying each answer."""
        try:
            requests, responses, *metadata = self._persister.load_cassette(self._path, serializer=self._serializer)
        except CassetteNotFoundError:
            return
        for loaded_request, loaded_response in zip(requests, responses, strict=False):
            interaction = _run_hooks(self._after_load_interaction, loaded_request, loaded_response, self)
            if interaction is None:
                continue
            request, response = interaction
            stored = self._before_record_request(cheaply_copied(request))
            answer = self._before_record_response(response) if stored is not None else None
            if answer is not None:
                self.data.append((stored, answer))
            self._old_interactions.append((request, response))
        self._loaded_count = len(self.data)
        self.dirty = False
        self.rewound = True
        self._metadata = metadata[0] if metadata else {}
