"""Pure signing primitives: the Authent string, the signed parts of a request, the nonce source."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import tempfile
import threading
import time
from urllib.parse import urlsplit

from .errors import SigningError

DERIVATIVES_PREFIX = "/derivatives"


def signed_path(endpoint_path: str) -> str:
    """Return the path that goes into the hash: the URL path without a leading ``/derivatives``."""
    if endpoint_path == DERIVATIVES_PREFIX or endpoint_path.startswith(DERIVATIVES_PREFIX + "/"):
        return endpoint_path[len(DERIVATIVES_PREFIX) :]
    return endpoint_path


def decode_secret(api_secret: str) -> bytes:
    """Decode a base64 API secret (padding optional); the error never shows the secret."""
    text = api_secret.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError(
            "the API secret is not valid base64; copy it again from Kraken's API key page (KRAKEN_FUTURES_API_SECRET)"
        ) from None


def compute_authent(api_secret: str, endpoint_path: str, post_data: str, nonce: str = "") -> str:
    """Return Kraken's Authent header for one request.

    ``base64(HMAC-SHA512(b64decode(secret), SHA256(post_data + nonce + endpoint_path)))``, where
    a leading ``/derivatives`` is stripped from ``endpoint_path``.
    """
    message = (post_data + nonce + signed_path(endpoint_path)).encode("utf-8")
    digest = hashlib.sha256(message).digest()
    mac = hmac.new(decode_secret(api_secret), digest, hashlib.sha512).digest()
    return base64.b64encode(mac).decode("ascii")


def body_text(body: bytes | str | None) -> str:
    """Return a request body as the text that is signed, exactly as it goes on the wire."""
    if body is None:
        return ""
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise SigningError("the request body is not UTF-8 text and cannot be signed") from None
    if isinstance(body, str):
        return body
    raise SigningError(
        f"a streamed request body ({type(body).__name__}) cannot be signed; pass data= as a dict or string"
    )


def signing_input(url: str, body: bytes | str | None) -> tuple[str, str]:
    """Return ``(endpoint_path, post_data)`` for a request: its path, and query followed by body."""
    parts = urlsplit(url)
    return parts.path, parts.query + body_text(body)


class NonceSource:
    """Strictly increasing nonces, unique across threads and across processes on one machine.

    Each value is at least the current time in microseconds and greater than every value handed
    out before by any process sharing ``state_file`` (a file lock guards the shared counter).
    """

    def __init__(self, state_file: str | None = None) -> None:
        self.state_file = state_file or default_nonce_file()
        self._lock = threading.Lock()
        self._file_lock: object | None = None
        self._fd: int | None = None
        self._fd_pid = 0

    def __repr__(self) -> str:
        return f"NonceSource(state_file={self.state_file!r})"

    def __call__(self) -> str:
        """Return the next nonce as a decimal string."""
        with self._lock:
            lock = self._get_file_lock()
            with lock:  # type: ignore[attr-defined]
                fd = self._state_fd()
                last = self._read_last(fd)
                value = max(time.time_ns() // 1000, last + 1)
                _write_at_start(fd, f"{value:0{_STATE_WIDTH}d}".encode("ascii"))
            return str(value)

    def _get_file_lock(self) -> object:
        if self._file_lock is None:
            from filelock import FileLock

            self._file_lock = FileLock(self.state_file + ".lock")
        return self._file_lock

    def _state_fd(self) -> int:
        """Return the open state file of this process (reopened after a fork)."""
        if self._fd is None or self._fd_pid != os.getpid():
            self._fd = os.open(self.state_file, os.O_RDWR | os.O_CREAT, 0o600)
            self._fd_pid = os.getpid()
        return self._fd

    @staticmethod
    def _read_last(fd: int) -> int:
        try:
            return int(_read_from_start(fd, _STATE_WIDTH + 1).decode("ascii").strip() or 0)
        except (OSError, ValueError):
            return 0


#: Digits of the zero-padded counter in the state file (written in place, always the same width).
_STATE_WIDTH = 20


def _read_from_start(fd: int, size: int) -> bytes:
    """Read up to ``size`` bytes from the start of a file (``pread`` where the platform has it)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, size)


def _write_at_start(fd: int, data: bytes) -> None:
    """Write bytes at the start of a file (``pwrite`` where the platform has it)."""
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, 0)
        return
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def default_nonce_file() -> str:
    """Return the per-user file that holds the last nonce handed out on this machine."""
    user = getattr(os, "getuid", lambda: "user")()
    return os.path.join(tempfile.gettempdir(), f"pytest-krakenfutures-{user}.nonce")


_default_source: NonceSource | None = None
_default_lock = threading.Lock()


def default_nonce() -> str:
    """Return the next nonce from the process-wide default source."""
    global _default_source
    with _default_lock:
        if _default_source is None:
            _default_source = NonceSource()
    return _default_source()
