"""Keyset pagination, framework-free: opaque cursors, page requests, pages.

Cursors encode the sort key of the last row seen, so pages stay stable while rows are inserted
(unlike offsets). ``first`` is capped at ``MAX_PAGE_SIZE``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
T = TypeVar("T")


class PaginationError(ValueError):
    """``first`` out of range or a cursor that was not issued by us."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def encode_cursor(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise PaginationError("after is not a valid cursor", field="after") from exc
    if not isinstance(value, list) or not value:
        raise PaginationError("after is not a valid cursor", field="after")
    return value


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = DEFAULT_PAGE_SIZE
    after: list[Any] | None = None

    @classmethod
    def parse(
        cls, first: int | None, after: str | None, *, default: int = DEFAULT_PAGE_SIZE
    ) -> PageRequest:
        """``first`` null means the field's ``default`` (what omitting it gives)."""
        size = default if first is None else first
        if not 0 <= size <= MAX_PAGE_SIZE:
            raise PaginationError(f"first must be between 0 and {MAX_PAGE_SIZE}", field="first")
        return cls(first=size, after=decode_cursor(after) if after else None)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows of one page with the cursor of each and whether more follow."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
