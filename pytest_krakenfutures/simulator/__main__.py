"""Command line: run the Kraken Futures simulator in the foreground until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from ..environments import DUMMY_API_KEY, DUMMY_API_SECRET
from ..errors import ConfigurationError, SigningError
from .http.authentication import DEFAULT_NONCE_WINDOW, READ_ONLY_ACCESS, ApiKey
from .server import Simulator

PROG = "python -m pytest_krakenfutures.simulator"


class _Parser(argparse.ArgumentParser):
    """Argument parser whose errors are a single line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        """Report a bad argument in one line and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the simulator's command line."""
    parser = _Parser(prog=PROG, description="Serve a simulated Kraken Futures v3 REST API on a local port.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default: 0)")
    parser.add_argument("--api-key", default=DUMMY_API_KEY, help="API key the simulator accepts")
    parser.add_argument("--api-secret", default=DUMMY_API_SECRET, help="base64 API secret the simulator accepts")
    parser.add_argument(
        "--read-only-api-key", default=None, help="a second key, with read-only access and no withdrawals"
    )
    parser.add_argument("--read-only-api-secret", default=None, help="base64 secret of --read-only-api-key")
    parser.add_argument("--seed", type=int, default=None, help="seed for reproducible order and execution ids")
    parser.add_argument("--clock", default=None, help="ISO-8601 start of a deterministic clock (1 ms per request)")
    parser.add_argument("--no-rate-limits", action="store_true", help="lift Kraken's rate-limit budgets")
    parser.add_argument(
        "--nonce-window",
        type=float,
        default=DEFAULT_NONCE_WINDOW,
        metavar="SECONDS",
        help="how far a nonce may lag behind the highest one (default: 1; 0 is strict)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until interrupted; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.read_only_api_key is None) != (args.read_only_api_secret is None):
        parser.error("--read-only-api-key and --read-only-api-secret go together")
    try:
        extra = []
        if args.read_only_api_key is not None:
            extra.append(
                ApiKey(args.read_only_api_key, args.read_only_api_secret, access=READ_ONLY_ACCESS, withdrawal=False)
            )
        simulator = Simulator(
            args.host,
            args.port,
            args.api_key,
            args.api_secret,
            seed=args.seed,
            clock=args.clock,
            verbose=args.verbose,
            extra_keys=extra,
            rate_limits=not args.no_rate_limits,
            nonce_window=args.nonce_window,
        )
    except SigningError:
        parser.error("--api-secret and --read-only-api-secret must be valid base64")
    except ConfigurationError as exc:
        parser.error(str(exc))
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        """Ask the serving loop to stop (on SIGINT or SIGTERM)."""
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        simulator.start()
    except OSError as exc:
        sys.stderr.write(f"{PROG}: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
        return 1
    try:
        print(f"Kraken Futures simulator listening on {simulator.base_url}", flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
