"""``Simulator``: the simulated Kraken Futures API served over HTTP from a background thread."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType

from ..environments import DUMMY_API_KEY, DUMMY_API_SECRET
from .domain.clock import ClockSetting
from .domain.exchange import Exchange
from .http.app import SimulatorApp
from .http.authentication import DEFAULT_NONCE_WINDOW, ApiKey, Authenticator
from .http.limits import RateLimiter
from .http.serving import JsonErrorsHandler, KeepAliveServer, QuietRequestHandler

#: Seconds between checks for a stop request (bounds how long ``stop()`` takes).
_POLL_INTERVAL = 0.02


class Simulator:
    """A loopback Kraken Futures v3 REST server with one funded account.

    ``clock`` is ``None`` for wall time, or an ISO-8601 string / datetime at which a deterministic
    clock starts (advancing 1 ms per request); ``seed`` makes order and execution ids reproducible;
    ``verbose`` writes an access-log line per request to stderr; ``extra_keys`` are further keys
    the simulator accepts (a read-only key, say) besides ``api_key``, which has full access;
    ``rate_limits=False`` lifts Kraken's rate-limit budgets (for load tests); ``nonce_window`` is how
    many seconds a nonce may lag behind the key's highest (0 is strict: every nonce must be higher).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = DUMMY_API_KEY,
        api_secret: str = DUMMY_API_SECRET,
        *,
        seed: int | None = None,
        clock: ClockSetting = None,
        verbose: bool = False,
        extra_keys: Sequence[ApiKey] = (),
        rate_limits: bool = True,
        nonce_window: float = DEFAULT_NONCE_WINDOW,
    ) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self.api_key = api_key
        self.api_secret = api_secret
        self.exchange = Exchange(seed=seed, clock=clock)
        limiter = RateLimiter() if rate_limits else RateLimiter(budgets={})
        authenticator = Authenticator([ApiKey(api_key, api_secret), *extra_keys], nonce_window=nonce_window)
        self.app = SimulatorApp(self.exchange, authenticator, limiter=limiter)
        self._server: KeepAliveServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Simulator {self.host}:{self.port} {state}>"

    @property
    def running(self) -> bool:
        """Whether the server is accepting requests."""
        return self._server is not None

    @property
    def base_url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:54321`` (the real port once started)."""
        if self._server is None and self.port == 0:
            raise RuntimeError("the simulator has no port yet; start() it first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Simulator:
        """Start serving in a daemon thread (no-op when already running) and return ``self``."""
        with self._lock:
            if self._server is not None:
                return self
            handler = JsonErrorsHandler if self.verbose else QuietRequestHandler
            server = KeepAliveServer(self.host, self.port, self.app, handler)
            self.port = server.server_port
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL},
                name=f"kf-simulator-{self.port}",
                daemon=True,
            )
            self._thread.start()
            return self

    def stop(self) -> None:
        """Stop serving, end the open keep-alive connections and release the port (no-op when not running)."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def add_key(self, api_key: str, api_secret: str) -> None:
        """Accept one more full-access key pair from now on (the same pair again is a no-op).

        A key the simulator already has with another secret (or lesser rights) is a ``ValueError``;
        added keys outlive ``reset()``.
        """
        self.app.authenticator.add(ApiKey(api_key, api_secret))

    def reset(self, seed: int | None = None, clock: ClockSetting = None) -> None:
        """Restore a fresh exchange (books, funded account, no orders) and restart clock and ids.

        The API keys (added ones too) and the nonces already seen are kept (see ``forget_nonces``).
        """
        self.exchange.reset(seed=seed, clock=clock)
        self.app.limiter.reset()

    def forget_nonces(self) -> None:
        """Forget the nonces seen, as a new key pair starts afresh: the next client may count in any unit."""
        self.app.authenticator.forget_nonces()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
