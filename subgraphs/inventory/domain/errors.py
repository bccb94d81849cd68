"""The inventory subgraph's error codes (``InventoryErrorCode``): stable, part of the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.idempotency import IdempotencyError, IdempotencyKeyReused


class InventoryErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    BELOW_RESERVED = "BELOW_RESERVED"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    RESERVATION_NOT_FOUND = "RESERVATION_NOT_FOUND"
    RESERVATION_EXPIRED = "RESERVATION_EXPIRED"
    RESERVATION_COMMITTED = "RESERVATION_COMMITTED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


@dataclass(frozen=True, slots=True)
class Shortage:
    """One line that cannot be reserved: what was asked and what is available now."""

    variant_id: str
    requested: int
    available: int


class InventoryError(Exception):
    """A rule of the inventory was broken by the input; shown to the caller with its code."""

    def __init__(
        self,
        code: InventoryErrorCode,
        message: str,
        *,
        field: str | None = None,
        shortages: Sequence[Shortage] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.shortages = tuple(shortages)

    @classmethod
    def from_idempotency(cls, error: IdempotencyError) -> InventoryError:
        """A malformed key is INVALID; a key used before with other input, IDEMPOTENCY_KEY_REUSED."""
        code = (
            InventoryErrorCode.IDEMPOTENCY_KEY_REUSED
            if isinstance(error, IdempotencyKeyReused)
            else InventoryErrorCode.INVALID
        )
        return cls(code, error.message, field=error.field)
