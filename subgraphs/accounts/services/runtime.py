"""What the accounts use cases need besides a unit of work: hashing, keys, mail, a clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.auth import Principal
from subgraphs.accounts.adapters.mailer import Mailer, Message
from subgraphs.accounts.domain.passwords import Passwords
from subgraphs.accounts.services.signing_keys import KeyRing
from subgraphs.accounts.services.throttle import FailureLimiter
from subgraphs.accounts.settings import AccountsSettings

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AccountsRuntime:
    settings: AccountsSettings
    passwords: Passwords
    keys: KeyRing
    mailer: Mailer
    ip_failures: FailureLimiter
    clock: Clock = utc_now

    async def deliver(self, message: Message) -> None:
        """Send after the transaction committed; a failure is logged, never shown to the
        caller (the answer must not depend on whether mail went out)."""
        try:
            await self.mailer.send(message)
        except Exception:
            log.exception("mail delivery failed", extra={"kind": message.kind})

    def link(self, path: str, token: str) -> str:
        return f"{self.settings.public_url}/{path}?token={token}"


def actor_of(principal: Principal) -> str:
    """How the audit log names a caller."""
    return f"{principal.kind}:{principal.id or '-'}"
