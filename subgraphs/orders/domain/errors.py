"""The orders subgraph's error codes: stable, part of the API."""

from __future__ import annotations

from enum import StrEnum


class OrderErrorCode(StrEnum):
    """Why an order mutation refused its input."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    NOT_CANCELLABLE = "NOT_CANCELLABLE"
    ALREADY_SHIPPED = "ALREADY_SHIPPED"
    NOT_PAID = "NOT_PAID"
    NOTHING_TO_FULFIL = "NOTHING_TO_FULFIL"
    INVALID_STATE = "INVALID_STATE"
    QUANTITY_EXCEEDED = "QUANTITY_EXCEEDED"
    REFUND_EXCEEDS_PAID = "REFUND_EXCEEDS_PAID"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    CONCURRENT_CHANGE = "CONCURRENT_CHANGE"


class OrderError(Exception):
    def __init__(self, code: OrderErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ConcurrencyConflict(Exception):
    """Another writer appended the same version of the order first: reload and retry."""
