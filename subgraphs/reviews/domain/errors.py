"""The reviews subgraph's error codes (``ReviewErrorCode``): stable, part of the API."""

from __future__ import annotations

from enum import StrEnum

from shared.idempotency import IdempotencyError, IdempotencyKeyReused


class ReviewErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    NOT_FOUND = "NOT_FOUND"


class ReviewError(Exception):
    def __init__(self, code: ReviewErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @classmethod
    def from_idempotency(cls, error: IdempotencyError) -> ReviewError:
        """A malformed key is INVALID; a key used before with other input, IDEMPOTENCY_KEY_REUSED."""
        code = (
            ReviewErrorCode.IDEMPOTENCY_KEY_REUSED
            if isinstance(error, IdempotencyKeyReused)
            else ReviewErrorCode.INVALID
        )
        return cls(code, error.message, field=error.field)
