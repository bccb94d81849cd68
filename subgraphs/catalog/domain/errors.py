"""The catalog's error codes: stable, part of the API (``ProductErrorCode``)."""

from __future__ import annotations

from enum import StrEnum


class CatalogErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"


class CatalogError(Exception):
    """A rule of the catalog was broken by the input; shown to the user with its code."""

    def __init__(self, code: CatalogErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
