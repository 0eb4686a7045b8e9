"""The account's back-office state beside the order engine: settings, wallets, the assignment program.

The exchange keeps one and starts a fresh one whenever it is reset; the order engine reads the
settings (a contract's fixed leverage), the account handlers change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .account_settings import AccountSettings
from .assignment import AssignmentProgram
from .wallets import Wallets


@dataclass
class BackOffice:
    """Everything the account, history and charts handlers keep for one exchange generation."""

    settings: AccountSettings = field(default_factory=AccountSettings)
    wallets: Wallets = field(default_factory=Wallets)
    assignments: AssignmentProgram = field(default_factory=AssignmentProgram)
