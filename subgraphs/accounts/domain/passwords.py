"""Emails and passwords: normalization, the password policy, argon2id hashing.

Hashing follows OWASP's argon2id floor (m ≥ 19 MiB, t ≥ 2, p = 1); ``needs_rehash`` is true for a
hash made with other parameters, so raising them upgrades every hash at its owner's next login.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_EMAIL_LENGTH = 254
OWASP_MEMORY_KIB = 19 * 1024
OWASP_TIME_COST = 2
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def normalize_email(raw: str) -> str:
    """NFKC, trimmed, domain lowercased; refuses what cannot be an address."""
    email = unicodedata.normalize("NFKC", raw).strip()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise AccountError(
            AccountErrorCode.INVALID_EMAIL, "Enter a valid email address.", field="email"
        )
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def email_key(email: str) -> str:
    """What makes two addresses the same account: the normalized address, casefolded."""
    return email.casefold()


def check_password_policy(password: str, *, email: str | None, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            AccountErrorCode.PASSWORD_TOO_SHORT,
            f"Use at least {MIN_PASSWORD_LENGTH} characters.",
            field=field,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            AccountErrorCode.INVALID,
            f"Use at most {MAX_PASSWORD_LENGTH} characters.",
            field=field,
        )
    if email:
        folded = password.casefold().strip()
        key = email_key(email)
        if folded in {key, key.split("@", 1)[0]}:
            raise AccountError(
                AccountErrorCode.PASSWORD_TOO_SIMILAR,
                "The password must not be your email address.",
                field=field,
            )


@dataclass(frozen=True, slots=True)
class Argon2Parameters:
    memory_kib: int = OWASP_MEMORY_KIB
    time_cost: int = OWASP_TIME_COST
    parallelism: int = 1

    def __post_init__(self) -> None:
        if self.memory_kib < OWASP_MEMORY_KIB or self.time_cost < OWASP_TIME_COST:
            raise ValueError("argon2id parameters below the OWASP floor (m=19 MiB, t=2, p=1)")


class Passwords:
    """argon2id hashing with fixed parameters; a dummy hash keeps unknown emails as slow."""

    def __init__(self, parameters: Argon2Parameters | None = None) -> None:
        self.parameters = parameters or Argon2Parameters()
        self._hasher = PasswordHasher(
            time_cost=self.parameters.time_cost,
            memory_cost=self.parameters.memory_kib,
            parallelism=self.parameters.parallelism,
            type=Type.ID,
        )
        self._dummy = self._hasher.hash("agora-timing-equalizer")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Constant work whether or not there is a hash (unknown email, erased account)."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and bool(stored_hash)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
