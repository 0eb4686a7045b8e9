"""Which key pair a test signs with: the dummy pair in replay, the simulator's, or the environment's."""

from __future__ import annotations

from ._options import Settings
from .environments import Credentials, credentials_from_environment, dummy_credentials
from .redaction import redact_logs, vault


def simulator_credentials() -> Credentials:
    """Return the credentials the simulator is started with: the environment's, else the dummy pair."""
    return credentials_from_environment() or dummy_credentials()


def credentials_for(settings: Settings, *, sends: bool) -> Credentials | None:
    """Return the credentials a test signs with: dummy when nothing is sent, the simulator's, or the environment's."""
    if not sends:
        credentials: Credentials | None = dummy_credentials()
    elif settings.env == "sim":
        credentials = simulator_credentials()
    else:
        credentials = credentials_from_environment()
    if credentials is not None:
        protect(credentials)
    return credentials


def protect(credentials: Credentials) -> None:
    """Keep a key pair out of every cassette, report and log line of the run."""
    vault.add_credentials(credentials.api_key, credentials.api_secret)
    redact_logs()
