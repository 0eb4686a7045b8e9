"""The network fence around a test's cassette: connections, DNS lookups and datagrams it may not make."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import NetworkBlocked

_INET = (socket.AF_INET, socket.AF_INET6)


@dataclass(frozen=True)
class Fence:
    """Which hosts a test may reach while its cassette is active, and what to say when it may not.

    ``loopback`` allows 127.0.0.1 and ``localhost`` (recording from the simulator); without it no
    address is allowed (replay). ``reason`` ends every refusal: which cassette, which option.
    """

    loopback: bool
    reason: str
    #: Host names the user lets bypass the cassette (``ignore_hosts``), lower-case.
    hosts: frozenset[str] = frozenset()
    #: The addresses those names resolved to while the fence stood (connections to them may go out).
    resolved: set[str] = field(default_factory=set, compare=False)

    def allows_address(self, host: str) -> bool:
        """Whether a connection or datagram to this numeric address may go out."""
        return (self.loopback and is_loopback(host)) or host in self.resolved or host.lower() in self.hosts

    def allows_host_name(self, name: str) -> bool:
        """Whether a name is one of the hosts the user lets bypass the cassette."""
        return name.lower().rstrip(".") in self.hosts

    def allows_name(self, host: str | bytes | None) -> bool:
        """Whether resolving this name may happen (numbers need no lookup; names need one)."""
        if host is None:
            return True
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
        if is_numeric(name) or self.allows_host_name(name):
            return True
        return self.loopback and name.lower().rstrip(".") == "localhost"

    def refuse(self, what: str) -> NetworkBlocked:
        """Return the error for one refused attempt."""
        return NetworkBlocked(f"{what} blocked by pytest-krakenfutures: {self.reason}")


def is_numeric(host: str) -> bool:
    """Whether a host is an IP address literal (resolving it sends nothing)."""
    try:
        ipaddress.ip_address(host.split("%")[0].strip("[]"))
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """Whether a host address is on this machine's loopback."""
    try:
        return ipaddress.ip_address(host.split("%")[0].strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _addresses(answer: Any) -> list[str]:
    """Return the addresses in an answer of ``getaddrinfo``, ``gethostbyname`` or ``gethostbyname_ex``."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, tuple) and len(answer) == 3 and isinstance(answer[2], list):
        return [str(address) for address in answer[2]]
    if isinstance(answer, list):
        return [str(entry[4][0]) for entry in answer if isinstance(entry, tuple) and len(entry) == 5]
    return []


def _address_host(address: Any) -> tuple[str, str]:
    """Return the host and port of a socket address, as text."""
    if isinstance(address, tuple) and address:
        port = str(address[1]) if len(address) > 1 else "?"
        return str(address[0]), port
    return str(address), "?"


class _Checks:
    """The checks a fence puts in front of socket calls, and the wrappers that apply them."""

    def __init__(self, fence: Fence) -> None:
        self.fence = fence

    def address(self, family: int, address: Any, verb: str) -> None:
        """Refuse a connection or datagram to an internet address the fence does not allow."""
        __tracebackhide__ = True
        if family not in _INET:
            return
        host, port = _address_host(address)
        if not self.fence.allows_address(host):
            raise self.fence.refuse(f"{verb} {host}:{port}")

    def connecting(self, original: Any) -> Any:
        """Wrap ``socket.connect`` / ``connect_ex``."""

        def connect(sock: socket.socket, address: Any) -> Any:
            __tracebackhide__ = True
            self.address(sock.family, address, "connection to")
            return original(sock, address)

        return connect

    def sending_to(self, original: Any) -> Any:
        """Wrap ``socket.sendto`` (the address is its last argument)."""

        def sendto(sock: socket.socket, data: Any, *rest: Any) -> Any:
            __tracebackhide__ = True
            if rest:
                self.address(sock.family, rest[-1], "datagram to")
            return original(sock, data, *rest)

        return sendto

    def sending_message(self, original: Any) -> Any:
        """Wrap ``socket.sendmsg`` (the address is its fourth argument)."""

        def sendmsg(sock: socket.socket, buffers: Any, *rest: Any) -> Any:
            __tracebackhide__ = True
            if len(rest) >= 3 and rest[2] is not None:
                self.address(sock.family, rest[2], "datagram to")
            return original(sock, buffers, *rest)

        return sendmsg

    def resolving(self, original: Any) -> Any:
        """Wrap a name lookup (``getaddrinfo``, ``gethostbyname``...): names need DNS, numbers do not."""

        def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            if not self.fence.allows_name(host):
                shown = host.decode("ascii", "replace") if isinstance(host, bytes) else host
                raise self.fence.refuse(f"DNS lookup of {shown}")
            answer = original(host, *args, **kwargs)
            name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host or "")
            if self.fence.allows_host_name(name):
                self.fence.resolved.update(_addresses(answer))
            return answer

        return resolve

    def reverse_resolving(self, original: Any) -> Any:
        """Wrap an address lookup (``gethostbyaddr``, ``getnameinfo`` without ``NI_NUMERICHOST``)."""

        def resolve(address: Any, *args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            host = address[0] if isinstance(address, tuple) else address
            numeric_only = bool(args and isinstance(args[0], int) and args[0] & socket.NI_NUMERICHOST)
            if not numeric_only and not self.fence.allows_address(str(host)):
                raise self.fence.refuse(f"reverse DNS lookup of {host}")
            return original(address, *args, **kwargs)

        return resolve


@contextlib.contextmanager
def fenced(fence: Fence) -> Iterator[None]:
    """Apply a fence to every socket of the process for the duration of the block."""
    checks = _Checks(fence)
    wrappers: list[tuple[Any, str, Callable[[Any], Any]]] = [
        (socket.socket, "connect", checks.connecting),
        (socket.socket, "connect_ex", checks.connecting),
        (socket.socket, "sendto", checks.sending_to),
        (socket, "getaddrinfo", checks.resolving),
        (socket, "gethostbyname", checks.resolving),
        (socket, "gethostbyname_ex", checks.resolving),
        (socket, "gethostbyaddr", checks.reverse_resolving),
        (socket, "getnameinfo", checks.reverse_resolving),
    ]
    if hasattr(socket.socket, "sendmsg"):
        wrappers.append((socket.socket, "sendmsg", checks.sending_message))
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in wrappers]
    for (owner, name, wrap), (_, _, original) in zip(wrappers, originals, strict=True):
        setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
