"""The reviews subgraph's error codes (``ReviewErrorCode``): stable, part of the API."""

from __future__ import annotations

from enum import StrEnum


class ReviewErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"


class ReviewError(Exception):
    def __init__(self, code: ReviewErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
