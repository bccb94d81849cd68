"""The search subgraph's error codes (``SearchErrorCode``): stable, part of the API."""

from __future__ import annotations

from enum import StrEnum


class SearchErrorCode(StrEnum):
    INVALID_FIRST = "INVALID_FIRST"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_PRICE_RANGE = "INVALID_PRICE_RANGE"
    INVALID_RATING = "INVALID_RATING"
    QUERY_TOO_LONG = "QUERY_TOO_LONG"
    TOO_MANY_FILTERS = "TOO_MANY_FILTERS"


class SearchError(Exception):
    """Input a search cannot run with; the message is for the client."""

    def __init__(self, code: SearchErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
