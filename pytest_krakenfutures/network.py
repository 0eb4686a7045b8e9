"""The network fence around a test's cassette: connections, DNS lookups and datagrams it may not make."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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

    def allows_address(self, host: str) -> bool:
        """Whether a connection or datagram to this numeric address may go out."""
        return self.loopback and is_loopback(host)

    def allows_name(self, host: str | bytes | None) -> bool:
        """Whether resolving this name may happen (numbers need no lookup; names need one)."""
        if host is None:
            return True
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
        if is_numeric(name):
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


def _address_host(address: Any) -> tuple[str, str]:
    if isinstance(address, tuple) and address:
        port = str(address[1]) if len(address) > 1 else "?"
        return str(address[0]), port
    return str(address), "?"


@contextlib.contextmanager
def fenced(fence: Fence) -> Iterator[None]:
    """Apply a fence to every socket of the process for the duration of the block."""
    sock = socket.socket
    originals: dict[tuple[Any, str], Any] = {}

    def patch(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name)
        originals[(owner, name)] = original
        setattr(owner, name, make(original))

    def check_address(family: int, address: Any, verb: str) -> None:
        if family not in _INET:
            return
        host, port = _address_host(address)
        if not fence.allows_address(host):
            raise fence.refuse(f"{verb} {host}:{port}")

    def check_name(host: Any, verb: str = "DNS lookup of") -> None:
        if not fence.allows_name(host):
            shown = host.decode("ascii", "replace") if isinstance(host, bytes) else host
            raise fence.refuse(f"{verb} {shown}")

    def connecting(original: Any) -> Any:
        def connect(self: socket.socket, address: Any) -> Any:
            check_address(self.family, address, "connection to")
            return original(self, address)

        return connect

    def sending_to(original: Any) -> Any:
        def sendto(self: socket.socket, data: Any, *rest: Any) -> Any:
            if rest:
                check_address(self.family, rest[-1], "datagram to")
            return original(self, data, *rest)

        return sendto

    def sending_message(original: Any) -> Any:
        def sendmsg(self: socket.socket, buffers: Any, *rest: Any) -> Any:
            if len(rest) >= 3 and rest[2] is not None:
                check_address(self.family, rest[2], "datagram to")
            return original(self, buffers, *rest)

        return sendmsg

    def resolving(original: Any) -> Any:
        def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
            check_name(host)
            return original(host, *args, **kwargs)

        return resolve

    def reverse_resolving(original: Any) -> Any:
        def resolve(address: Any, *args: Any, **kwargs: Any) -> Any:
            host = address[0] if isinstance(address, tuple) else address
            numeric_only = bool(args and isinstance(args[0], int) and args[0] & socket.NI_NUMERICHOST)
            if not numeric_only and not fence.allows_address(str(host)):
                raise fence.refuse(f"reverse DNS lookup of {host}")
            return original(address, *args, **kwargs)

        return resolve

    patch(sock, "connect", connecting)
    patch(sock, "connect_ex", connecting)
    patch(sock, "sendto", sending_to)
    if hasattr(sock, "sendmsg"):
        patch(sock, "sendmsg", sending_message)
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        patch(socket, name, resolving)
    patch(socket, "gethostbyaddr", reverse_resolving)
    patch(socket, "getnameinfo", reverse_resolving)
    try:
        yield
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
