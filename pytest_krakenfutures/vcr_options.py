"""The vcrpy settings a user may add to a test's cassette (``kf_vcr_config``, the ``kf_cassette`` marker), checked.

The plugin owns where cassettes live, how they are written and what is always matched and
scrubbed; these settings only add to that: more matchers, more filters, hooks of one's own,
hosts that bypass the cassette.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigurationError

#: Keys a user may set, and what each one does (shown when a key is wrong).
ACCEPTED = {
    "record_mode": "the test's record mode",
    "match_on": "further matchers (vcrpy matcher names or functions), on top of method, path, query and body",
    "filter_headers": "request headers kept out of the cassette (only Content-Type is kept anyway)",
    "filter_query_parameters": "query parameters kept out of the cassette (and out of matching)",
    "filter_post_data_parameters": "form or JSON body fields kept out of the cassette (and out of matching)",
    "before_record_request": "functions run on each request after the plugin's scrubbing",
    "before_record_response": "functions run on each response after the plugin's scrubbing",
    "ignore_hosts": "hosts whose requests bypass the cassette and may reach the network (never a Kraken host)",
    "allow_playback_repeats": "whether a recorded answer may be played more than once",
}
#: Keys the plugin owns, and where the user's wish belongs instead.
OWNED = {
    "cassette_library_dir": "the kf_cassette_dir ini key or the kf_cassette_path fixture",
    "path_transformer": "the kf_cassette_path fixture",
    "serializer": "nothing: cassettes are always the plugin's YAML",
    "persister": "nothing: cassettes are always written by the plugin",
    "decode_compressed_response": "nothing: responses are always stored decoded",
    "ignore_localhost": "ignore_hosts with the names you mean (the simulator is on 127.0.0.1)",
    "allowed_hosts": "ignore_hosts (or pytest-recording's --allowed-hosts, which it applies itself)",
}


@dataclass(frozen=True)
class VcrOptions:
    """What a test's configuration adds to the plugin's vcrpy settings, in vcrpy's own terms."""

    record_mode: str | None = None
    match_on: tuple[str | Callable[..., Any], ...] = ()
    filter_headers: tuple[Any, ...] = ()
    filter_query_parameters: tuple[Any, ...] = ()
    filter_post_data_parameters: tuple[Any, ...] = ()
    before_record_request: tuple[Callable[..., Any], ...] = ()
    before_record_response: tuple[Callable[..., Any], ...] = ()
    ignore_hosts: tuple[str, ...] = ()
    allow_playback_repeats: bool = False

    def vcr_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments these options add to ``vcr.VCR`` (the filters and ignored hosts)."""
        arguments: dict[str, Any] = {}
        for key in ("filter_headers", "filter_query_parameters", "filter_post_data_parameters", "ignore_hosts"):
            value = getattr(self, key)
            if value:
                arguments[key] = list(value)
        return arguments


def merged(config: Mapping[str, Any], marker: Mapping[str, Any]) -> dict[str, Any]:
    """Return the fixture's configuration with the marker's keys over it (as pytest-recording merges)."""
    result = dict(config)
    result.update(marker)
    return result


def check(values: Mapping[str, Any], source: str, protected_hosts: tuple[str, ...] = ()) -> VcrOptions:
    """Check a test's vcrpy settings and return them as options; a wrong key or value names its source."""
    if not isinstance(values, Mapping):
        raise ConfigurationError(f"{source} must be a dict of vcrpy settings, not {type(values).__name__}")
    fields: dict[str, Any] = {}
    for key, value in values.items():
        if key in OWNED:
            raise ConfigurationError(f"{source}: {key!r} is set by pytest-krakenfutures; use {OWNED[key]}")
        if key not in ACCEPTED:
            accepted = ", ".join(ACCEPTED)
            raise ConfigurationError(f"{source}: {key!r} is not a setting of a test's cassette; use one of: {accepted}")
        fields[key] = _value(key, value, source)
    for host in fields.get("ignore_hosts", ()):
        if host.lower().rstrip(".") in protected_hosts:
            raise ConfigurationError(
                f"{source}: ignore_hosts may not name {host}: requests to Kraken and to the simulator always go "
                "through the cassette"
            )
    return VcrOptions(**fields)


def _value(key: str, value: Any, source: str) -> Any:
    """Check one setting's value and return it in the options' form."""
    if key == "record_mode":
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(f"{source}: record_mode must be a string such as 'once', not {value!r}")
        return value
    if key == "allow_playback_repeats":
        if not isinstance(value, bool):
            raise ConfigurationError(f"{source}: allow_playback_repeats must be True or False, not {value!r}")
        return value
    items = (value,) if isinstance(value, str) or callable(value) else value
    try:
        items = tuple(items)
    except TypeError:
        raise ConfigurationError(f"{source}: {key} must be a list, not {value!r}") from None
    if key in ("before_record_request", "before_record_response"):
        for item in items:
            if not callable(item):
                raise ConfigurationError(f"{source}: {key} holds {item!r}, which is not a function")
    if key == "ignore_hosts":
        for item in items:
            if not isinstance(item, str) or not item:
                raise ConfigurationError(f"{source}: ignore_hosts holds {item!r}, which is not a host name")
    if key == "match_on":
        for item in items:
            if not (isinstance(item, str) or callable(item)):
                raise ConfigurationError(f"{source}: match_on holds {item!r}, neither a matcher name nor a function")
    return items
