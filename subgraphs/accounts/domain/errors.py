"""The accounts subgraph's error codes (``AccountErrorCode``): stable, part of the API."""

from __future__ import annotations

from enum import StrEnum

from shared.idempotency import IdempotencyError, IdempotencyKeyReused


class AccountErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    INVALID_EMAIL = "INVALID_EMAIL"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"  # noqa: S105 - an error code
    PASSWORD_TOO_SIMILAR = "PASSWORD_TOO_SIMILAR"  # noqa: S105 - an error code
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    """Wrong email, wrong password, locked account or wrong second factor: one code, no oracle."""
    MFA_REQUIRED = "MFA_REQUIRED"
    INVALID_OTP = "INVALID_OTP"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 - an error code
    RATE_LIMITED = "RATE_LIMITED"
    NOT_FOUND = "NOT_FOUND"
    EMAIL_TAKEN = "EMAIL_TAKEN"
    NAME_TAKEN = "NAME_TAKEN"
    TOO_MANY = "TOO_MANY"
    PERMISSION_NOT_HELD = "PERMISSION_NOT_HELD"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


class AccountError(Exception):
    def __init__(self, code: AccountErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @classmethod
    def from_idempotency(cls, error: IdempotencyError) -> AccountError:
        code = (
            AccountErrorCode.IDEMPOTENCY_KEY_REUSED
            if isinstance(error, IdempotencyKeyReused)
            else AccountErrorCode.INVALID
        )
        return cls(code, error.message, field=error.field)


def invalid_credentials() -> AccountError:
    """The one answer to a failed sign-in, whatever failed."""
    return AccountError(
        AccountErrorCode.INVALID_CREDENTIALS, "The email or password is not right.", field=None
    )


def invalid_token(field: str = "token") -> AccountError:
    return AccountError(
        AccountErrorCode.INVALID_TOKEN, "The token is invalid or has expired.", field=field
    )
