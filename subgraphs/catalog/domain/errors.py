"""The catalog's error codes: stable, part of the API (``ProductErrorCode``)."""

from __future__ import annotations

from enum import StrEnum

from shared.idempotency import IdempotencyError, IdempotencyKeyReused


class CatalogErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INVALID_ATTRIBUTE = "INVALID_ATTRIBUTE"
    CATEGORY_CYCLE = "CATEGORY_CYCLE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_FILE_TYPE = "UNSUPPORTED_FILE_TYPE"
    IMAGE_TOO_MANY_PIXELS = "IMAGE_TOO_MANY_PIXELS"


class CatalogError(Exception):
    """A rule of the catalog was broken by the input; shown to the user with its code."""

    def __init__(self, code: CatalogErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @classmethod
    def from_idempotency(cls, error: IdempotencyError) -> CatalogError:
        """A malformed key is INVALID; a key used before with other input, IDEMPOTENCY_KEY_REUSED."""
        code = (
            CatalogErrorCode.IDEMPOTENCY_KEY_REUSED
            if isinstance(error, IdempotencyKeyReused)
            else CatalogErrorCode.INVALID
        )
        return cls(code, error.message, field=error.field)
